package dev.mandate.kernel.shell.command;

import java.io.PrintStream;

import dev.mandate.api.intent.IntentService;
import dev.mandate.api.intent.ShadowReport;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Command(scope = "mandate", name = "blueprint-shadow-report",
        description = "Lists the recent evaluations the shadow version of a blueprint would have answered differently")
@Service
public class BlueprintShadowReportCommand implements Action {

    @Reference
    IntentService intent;

    @Argument(index = 0, name = "name", required = true, description = "The blueprint name")
    String name;

    @Override
    public Object execute() {
        return execute(System.out, System.err);
    }

    Object execute(PrintStream out, PrintStream err) {
        ShadowReport report = intent.shadowReport(name).orElse(null);
        if (report == null) {
            err.println("blueprint '" + name + "' has no shadow version");
            return null;
        }
        print(report, out);
        return null;
    }

    static void print(ShadowReport report, PrintStream out) {
        out.println(report.name() + ": in force " + (report.inForce().isEmpty() ? "none" : report.inForce())
                + ", shadow " + report.shadow() + ", " + report.evaluations() + " evaluations, "
                + report.differences().size() + " would change");
        if (report.differences().isEmpty()) {
            return;
        }
        ShellTable table = new ShellTable();
        table.column("At");
        table.column("Target");
        table.column("Action");
        table.column("Actor");
        table.column("In force");
        table.column("Shadow");
        for (ShadowReport.Difference difference : report.differences()) {
            table.addRow().addContent(difference.at(), difference.target(), difference.action(), difference.actor(),
                    difference.inForceEffect(), difference.shadowEffect());
        }
        table.print(out);
    }
}
