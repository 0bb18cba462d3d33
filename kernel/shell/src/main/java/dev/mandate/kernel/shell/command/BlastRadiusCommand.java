package dev.mandate.kernel.shell.command;

import java.util.EnumSet;
import java.util.Set;

import dev.mandate.api.model.BlastRadius;
import dev.mandate.api.model.ModelSnapshot;
import dev.mandate.api.model.ModelStore;
import dev.mandate.api.model.RelationType;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "mandate", name = "blast-radius", description = "Shows what depends on an element, and whom a change to it reaches")
@Service
public class BlastRadiusCommand implements Action {

    @Reference
    ModelStore model;

    @Argument(index = 0, name = "id", required = true, description = "The element id")
    String id;

    @Option(name = "--relations", description = "Relation types to follow (comma-separated)")
    String relations = "DEPENDS_ON,CONTAINS,HOSTED_ON,BACKED_UP_BY";

    @Option(name = "--cap", description = "Stop after this many dependents")
    int cap = 10_000;

    @Option(name = "-v", aliases = "--verbose", description = "List every dependent")
    boolean verbose;

    @Override
    public Object execute() {
        ModelSnapshot snapshot = model.current();
        if (snapshot.element(id).isEmpty()) {
            System.err.println("no element '" + id + "' in the model");
            return null;
        }
        Set<RelationType> types = EnumSet.noneOf(RelationType.class);
        for (String name : relations.split(",")) {
            types.add(RelationType.parse(name));
        }
        BlastRadius radius = snapshot.blastRadius(id, types, cap);
        System.out.printf("%d dependents%s, depth %d, at revision %d%n", radius.count(),
                radius.truncated() ? " (stopped at the cap; at least this many)" : "", radius.depth(), snapshot.revision());
        System.out.println("owners        " + String.join(", ", radius.owners()));
        System.out.println("environments  " + String.join(", ", radius.environments()));
        System.out.println("trust zones   " + String.join(", ", radius.trustZones()));
        if (verbose) {
            radius.elements().forEach(dependent -> System.out.println("  " + dependent));
        }
        return null;
    }
}
