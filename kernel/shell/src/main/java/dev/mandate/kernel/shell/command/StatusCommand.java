package dev.mandate.kernel.shell.command;

import dev.mandate.api.evidence.EvidenceLedger;
import dev.mandate.api.intent.IntentService;
import dev.mandate.api.model.ElementQuery;
import dev.mandate.api.model.ModelSnapshot;
import dev.mandate.api.model.ModelStore;
import dev.mandate.kernel.reconciler.ConnectorRun;
import dev.mandate.kernel.reconciler.ReconcilerStatus;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.support.table.ShellTable;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "mandate", name = "status", description = "Shows the model revision, ownership coverage, intent and ledger")
@Service
public class StatusCommand implements Action {

    @Reference
    ModelStore model;

    @Reference
    IntentService intent;

    @Reference
    EvidenceLedger ledger;

    @Reference(optional = true)
    ReconcilerStatus reconciler;

    @Override
    public Object execute() {
        try {
            ModelSnapshot snapshot = model.current();
            int unowned = snapshot.query(new ElementQuery(null, null, ElementQuery.NO_OWNER, null, null, null, null, 1))
                    .total();
            System.out.printf("model       revision %d, %d elements, %d without an accountable owner%n",
                    snapshot.revision(), snapshot.size(), unowned);
        } catch (RuntimeException e) {
            System.out.println("model       unavailable: " + e.getMessage());
        }
        System.out.printf("intent      %d blueprints, %d teams (generation %d)%n", intent.blueprints().size(),
                intent.teams().size(), intent.generation());
        ledger.head().ifPresentOrElse(
                head -> System.out.printf("evidence    %d records, head %s%n", head.sequence(), head.hash()),
                () -> System.out.println("evidence    no records yet"));
        if (reconciler != null) {
            ShellTable table = new ShellTable();
            table.column("Connector");
            table.column("Domain");
            table.column("Run");
            table.column("Health");
            table.column("Last success");
            table.column("Elements");
            table.column("Last error");
            for (ConnectorRun run : reconciler.runs()) {
                table.addRow().addContent(run.connectorId(), run.domain(), run.state(),
                        run.health() == null ? "-" : run.health().state(),
                        run.lastSuccess() == null ? "never" : run.lastSuccess(), run.elementCount(),
                        run.lastError() == null ? "" : run.lastError());
            }
            table.print(System.out);
        }
        return null;
    }
}
