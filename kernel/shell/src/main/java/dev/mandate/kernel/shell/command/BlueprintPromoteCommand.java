package dev.mandate.kernel.shell.command;

import java.io.PrintStream;

import dev.mandate.api.intent.BlueprintInfo;
import dev.mandate.api.intent.IntentService;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "mandate", name = "blueprint-promote",
        description = "Puts the shadow version of a blueprint in force (recorded as evidence; kept across restarts)")
@Service
public class BlueprintPromoteCommand implements Action {

    @Reference
    IntentService intent;

    @Argument(index = 0, name = "name", required = true, description = "The blueprint name")
    String name;

    @Override
    public Object execute() {
        return execute(System.out, System.err);
    }

    Object execute(PrintStream out, PrintStream err) {
        try {
            BlueprintInfo promoted = intent.promote(name);
            out.println("blueprint '" + promoted.name() + "' version " + promoted.version()
                    + " is in force (" + promoted.contentHash() + ")");
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
        }
        return null;
    }
}
