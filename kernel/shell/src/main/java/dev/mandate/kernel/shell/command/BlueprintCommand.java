package dev.mandate.kernel.shell.command;

import java.io.PrintStream;
import java.util.List;

import dev.mandate.api.intent.BlueprintInfo;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.ElementPage;
import dev.mandate.api.model.ElementQuery;
import dev.mandate.api.model.ModelSnapshot;
import dev.mandate.api.model.ModelStore;
import dev.mandate.kernel.intent.BlueprintCatalog;
import dev.mandate.kernel.intent.BlueprintDetail;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Command(scope = "mandate", name = "blueprint", description = "Shows one blueprint in force in full: version, owner, "
        + "hash, source, mode, what it applies to, its constraints and how many elements it governs")
@Service
public class BlueprintCommand implements Action {

    @Reference
    BlueprintCatalog catalog;

    @Reference(optional = true)
    ModelStore model;

    @Argument(index = 0, name = "name", required = true, description = "The blueprint name, as mandate:blueprints lists it")
    String name;

    @Override
    public Object execute() {
        return execute(System.out, System.err);
    }

    Object execute(PrintStream out, PrintStream err) {
        BlueprintDetail detail = catalog.detail(name).orElse(null);
        if (detail == null) {
            err.println("no blueprint '" + name + "' is in force");
            return null;
        }
        print(detail, model == null ? null : model.current(), catalog, out);
        return null;
    }

    static void print(BlueprintDetail detail, ModelSnapshot snapshot, BlueprintCatalog catalog, PrintStream out) {
        BlueprintInfo info = detail.info();
        line(out, "Name", info.name());
        line(out, "Version", info.version() + (detail.promoted() ? " (promoted from shadow)" : ""));
        line(out, "Owner", info.owner());
        if (!info.description().isBlank()) {
            line(out, "Description", info.description());
        }
        line(out, "Hash", info.contentHash());
        line(out, "Source", info.origin());
        line(out, "Mode", detail.mode());
        line(out, "Fallback", info.fallback() == null ? "none"
                : info.fallback().toString().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        line(out, "Shadow", detail.shadowVersion() == null ? "none"
                : detail.shadowVersion() + " (mandate:blueprint-shadow-report " + info.name() + ")");
        BlueprintDetail.AppliesTo applies = detail.appliesTo();
        line(out, "Applies to", "kinds " + any(applies.kinds()) + "; providers " + any(applies.providers())
                + "; environments " + any(applies.environments())
                + (applies.match() == null ? "" : "; match " + applies.match()));
        line(out, "Governs", snapshot == null ? "unknown (no model)"
                : governed(snapshot, catalog, info.ref()) + " elements (model revision " + snapshot.revision() + ")");
        line(out, "Variations", detail.variations().isEmpty() ? "none" : String.join(", ", detail.variations()));
        line(out, "Structure", detail.structure() + " required relations");
        line(out, "Data flows", detail.dataFlows() + " rules");
        line(out, "Constraints", String.valueOf(detail.constraints().size()));
        if (!detail.constraints().isEmpty()) {
            ShellTable table = new ShellTable();
            table.column("Id");
            table.column("Effect");
            table.column("Mode");
            table.column("Severity");
            for (BlueprintDetail.Constraint constraint : detail.constraints()) {
                table.addRow().addContent(constraint.id(), constraint.effect(), constraint.mode(), constraint.severity());
            }
            table.print(out);
        }
    }

    /** How many elements of the model this blueprint governs (every element is checked). */
    static int governed(ModelSnapshot snapshot, BlueprintCatalog catalog, String ref) {
        int count = 0;
        String cursor = null;
        do {
            ElementPage page = snapshot.query(new ElementQuery(null, null, null, null, null, null, cursor, 1000));
            for (Element element : page.items()) {
                if (catalog.governing(element).contains(ref)) {
                    count++;
                }
            }
            cursor = page.nextCursor();
        } while (cursor != null);
        return count;
    }

    private static String any(List<String> values) {
        return values.isEmpty() ? "any" : String.join(", ", values);
    }

    private static void line(PrintStream out, String label, String value) {
        out.printf("%-12s %s%n", label, value);
    }
}
