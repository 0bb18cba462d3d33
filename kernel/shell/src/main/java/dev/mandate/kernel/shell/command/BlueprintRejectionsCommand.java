package dev.mandate.kernel.shell.command;

import java.io.PrintStream;

import dev.mandate.kernel.intent.BlueprintCatalog;
import dev.mandate.kernel.intent.Problem;
import dev.mandate.kernel.intent.Rejection;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "mandate", name = "blueprint-rejections",
        description = "Lists the blueprint packs and files whose last load was rejected, with file, line, column and reason")
@Service
public class BlueprintRejectionsCommand implements Action {

    @Reference
    BlueprintCatalog catalog;

    @Override
    public Object execute() {
        return execute(System.out);
    }

    Object execute(PrintStream out) {
        java.util.List<Rejection> rejections = catalog.rejections();
        if (rejections.isEmpty()) {
            out.println("no rejected intent sources");
        }
        for (Rejection rejection : rejections) {
            out.println(rejection.source() + " rejected; what was in force before stays in force:");
            for (Problem problem : rejection.problems()) {
                out.println("  " + problem);
            }
        }
        return null;
    }
}
