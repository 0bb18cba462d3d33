package dev.mandate.kernel.shell.command;

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
        try {
            BlueprintInfo promoted = intent.promote(name);
            System.out.println("blueprint '" + promoted.name() + "' version " + promoted.version()
                    + " is in force (" + promoted.contentHash() + ")");
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
        }
        return null;
    }
}
