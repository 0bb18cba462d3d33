package dev.mandate.kernel.shell.command;

import java.util.List;

import dev.mandate.kernel.reconciler.DriftFinding;
import dev.mandate.kernel.reconciler.DriftKind;
import dev.mandate.kernel.reconciler.DriftService;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Command(scope = "mandate", name = "drift", description = "Lists the current drift findings between the intended, "
        + "built and running layers")
@Service
public class DriftCommand implements Action {

    @Reference
    DriftService drift;

    @Option(name = "--kind", description = "unmanaged, missing, diverged, unauthorized or dataflow")
    String kind;

    @Option(name = "--owner", description = "an owning team id, or none")
    String owner;

    @Option(name = "--class", description = "an element kind or a prefix of one (aws:ec2)")
    String elementClass;

    @Option(name = "--limit", description = "at most this many rows (default 100)")
    int limit = 100;

    @Override
    public Object execute() {
        DriftKind wanted;
        try {
            wanted = kind == null ? null : DriftKind.of(kind);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return null;
        }
        List<DriftFinding> findings = drift.findings(wanted, owner, elementClass);
        System.out.printf("%d findings at revision %d%n", findings.size(), drift.revision());
        ShellTable table = new ShellTable();
        table.column("Kind");
        table.column("Severity");
        table.column("Owner");
        table.column("Element");
        table.column("Path");
        table.column("Expected");
        table.column("Actual");
        table.column("Right");
        for (DriftFinding finding : findings.subList(0, Math.min(Math.max(1, limit), findings.size()))) {
            table.addRow().addContent(finding.kind().wireName(), finding.severity(),
                    finding.owner() == null ? "-" : finding.owner(), finding.elementId(),
                    finding.path() == null ? "" : finding.path(), finding.expected() == null ? "" : finding.expected(),
                    finding.actual() == null ? "" : finding.actual(),
                    finding.rightLayer() == null ? "" : finding.rightLayer());
        }
        table.print(System.out);
        return null;
    }
}
