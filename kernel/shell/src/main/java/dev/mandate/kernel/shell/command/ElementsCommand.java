package dev.mandate.kernel.shell.command;

import java.util.List;

import dev.mandate.api.model.Element;
import dev.mandate.api.model.ElementPage;
import dev.mandate.api.model.ElementQuery;
import dev.mandate.api.model.ModelStore;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Command(scope = "mandate", name = "elements", description = "Lists elements of the canonical model")
@Service
public class ElementsCommand implements Action {

    @Reference
    ModelStore model;

    @Option(name = "--kind", description = "Only this kind, e.g. aws:rds:db-instance")
    String kind;

    @Option(name = "--provider", description = "Only this provider: aws, azure, network, identity, vsphere …")
    String provider;

    @Option(name = "--owner", description = "Only this owning team; 'none' for elements without an owner")
    String owner;

    @Option(name = "--env", description = "Only this environment")
    String environment;

    @Option(name = "--zone", description = "Only this trust zone")
    String trustZone;

    @Option(name = "-q", aliases = "--query", description = "Text in the id or name")
    String text;

    @Option(name = "--label", multiValued = true, description = "Only elements with this label, as key=value (repeatable)")
    List<String> labels;

    @Option(name = "--attr", multiValued = true,
            description = "Only elements whose attribute at this path has this value, as path.to.field=value (repeatable)")
    List<String> attributes;

    @Option(name = "-n", aliases = "--limit", description = "At most this many rows (1 to 1000)")
    int limit = 50;

    @Option(name = "--cursor", description = "Continue after the cursor a previous listing printed")
    String cursor;

    @Override
    public Object execute() {
        ElementPage page = model.current()
                .query(new ElementQuery(kind, provider, owner, environment, trustZone, text, cursor, limit,
                        ElementQuery.conditions("label", labels), ElementQuery.conditions("attribute", attributes)));
        ShellTable table = new ShellTable();
        table.column("Id");
        table.column("Kind");
        table.column("Env");
        table.column("Zone");
        table.column("Owner");
        for (Element element : page.items()) {
            table.addRow().addContent(element.id(), element.kind(), dash(element.environment()),
                    dash(element.trustZone()), element.hasOwner() ? element.owner() : "(none)");
        }
        table.print(System.out);
        System.out.printf("%d of %d at revision %d%s%n", page.items().size(), page.total(), page.revision(),
                page.nextCursor() == null ? "" : "; next page: --cursor " + page.nextCursor());
        return null;
    }

    private static String dash(String value) {
        return value == null ? "-" : value;
    }
}
