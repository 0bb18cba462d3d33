package dev.mandate.kernel.shell.command;

import dev.mandate.kernel.conformance.Assessment;
import dev.mandate.kernel.conformance.ConformanceService;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "mandate", name = "conformance",
        description = "Assesses this instance against IOM Appendix A and the Appendix B maturity model, from live facts")
@Service
public class ConformanceCommand implements Action {

    @Reference
    ConformanceService conformance;

    @Option(name = "--criteria", description = "Show each maturity sub-criterion with its metric and value")
    boolean criteria;

    @Override
    public Object execute() {
        Assessment assessment = conformance.assess();
        System.out.printf("IOM Appendix A at model revision %d: %s%n", assessment.modelRevision(),
                assessment.conformant() ? "CONFORMANT" : "not conformant");
        for (Assessment.Requirement row : assessment.appendixA()) {
            System.out.printf("  %-8s %-38s %-4s %s%n", row.id(), row.dimension(), row.met() ? "met" : "NOT", row.because());
        }
        System.out.printf("IOM maturity: %d of 72, %s%n", assessment.total(), assessment.band());
        for (Assessment.Dimension dimension : assessment.maturity()) {
            System.out.printf("  %-38s %2d/12%n", dimension.name(), dimension.score());
            if (criteria) {
                for (Assessment.Criterion criterion : dimension.criteria()) {
                    System.out.printf("      %d  %-28s %s = %s%n", criterion.score(), criterion.name(), criterion.metric(),
                            criterion.value());
                }
            }
        }
        return null;
    }
}
