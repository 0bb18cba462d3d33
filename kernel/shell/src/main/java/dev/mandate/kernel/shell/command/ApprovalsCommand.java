package dev.mandate.kernel.shell.command;

import java.util.Locale;

import dev.mandate.api.decision.ApprovalRequest;
import dev.mandate.api.decision.ApprovalService;
import dev.mandate.api.decision.ApprovalStatus;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Command(scope = "mandate", name = "approvals", description = "Lists approval requests")
@Service
public class ApprovalsCommand implements Action {

    @Reference
    ApprovalService approvals;

    @Option(name = "-s", aliases = "--status", description = "pending, escalated, approved, rejected or expired")
    String status;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Id");
        table.column("Status");
        table.column("Requester");
        table.column("Action");
        table.column("Target");
        table.column("Approvers");
        table.column("Expires");
        ApprovalStatus filter = status == null ? null : ApprovalStatus.valueOf(status.toUpperCase(Locale.ROOT));
        for (ApprovalRequest approval : approvals.list(filter)) {
            table.addRow().addContent(approval.id(), approval.status(), approval.request().actor().id(),
                    approval.request().action(), approval.request().target(), String.join(", ", approval.approvers()),
                    approval.expiresAt());
        }
        table.print(System.out);
        return null;
    }
}
