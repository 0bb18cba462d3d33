package dev.mandate.kernel.shell.command;

import java.io.PrintStream;

import dev.mandate.api.intent.BlueprintInfo;
import dev.mandate.api.intent.IntentService;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Command(scope = "mandate", name = "blueprints", description = "Lists the blueprints in force")
@Service
public class BlueprintsCommand implements Action {

    @Reference
    IntentService intent;

    @Override
    public Object execute() {
        return execute(System.out);
    }

    Object execute(PrintStream out) {
        ShellTable table = new ShellTable();
        table.column("Name");
        table.column("Version");
        table.column("Owner");
        table.column("Constraints");
        table.column("Origin");
        for (BlueprintInfo blueprint : intent.blueprints()) {
            table.addRow().addContent(blueprint.name(), blueprint.version(), blueprint.owner(),
                    blueprint.constraints().size(), blueprint.origin());
        }
        table.print(out);
        return null;
    }
}
