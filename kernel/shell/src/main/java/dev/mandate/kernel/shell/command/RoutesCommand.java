package dev.mandate.kernel.shell.command;

import dev.mandate.kernel.reconciler.ReconcilerRoutes;
import dev.mandate.kernel.reconciler.RouteInfo;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Command(scope = "mandate", name = "routes", description = "Lists the reconciler's Camel routes: id, state, last run, "
        + "last error and exchanges")
@Service
public class RoutesCommand implements Action {

    @Reference
    ReconcilerRoutes routes;

    @Override
    public Object execute() {
        if (!routes.started()) {
            System.out.println("the camel context has not started (yet)");
        }
        ShellTable table = new ShellTable();
        table.column("Route");
        table.column("State");
        table.column("Last run");
        table.column("Exchanges");
        table.column("Failed");
        table.column("Last error");
        for (RouteInfo route : routes.routes()) {
            table.addRow().addContent(route.id(), route.state(), route.lastRun() == null ? "never" : route.lastRun(),
                    route.exchangesTotal(), route.exchangesFailed(), route.lastError() == null ? "" : route.lastError());
        }
        table.print(System.out);
        return null;
    }
}
