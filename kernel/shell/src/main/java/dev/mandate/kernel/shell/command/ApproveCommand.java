package dev.mandate.kernel.shell.command;

import java.util.List;

import dev.mandate.api.decision.Actor;
import dev.mandate.api.decision.ActorKind;
import dev.mandate.api.decision.ApprovalRefusedException;
import dev.mandate.api.decision.ApprovalRequest;
import dev.mandate.api.decision.ApprovalService;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "mandate", name = "approve", description = "Approves (or with --reject rejects) an approval request")
@Service
public class ApproveCommand implements Action {

    @Reference
    ApprovalService approvals;

    @Argument(index = 0, name = "id", required = true, description = "The approval request id")
    String id;

    @Option(name = "-a", aliases = "--approver", required = true, description = "Who approves")
    String approverId;

    @Option(name = "-t", aliases = "--team", description = "The team the approver acts for")
    String team;

    @Option(name = "-g", aliases = "--group", multiValued = true, description = "An identity group of the approver")
    List<String> groups;

    @Option(name = "--reject", description = "Reject instead of approve")
    boolean reject;

    @Option(name = "-c", aliases = "--comment", description = "Why")
    String comment;

    @Override
    public Object execute() {
        Actor approver = new Actor(approverId, ActorKind.HUMAN, team, groups, null, "shell");
        try {
            ApprovalRequest result = reject ? approvals.reject(id, approver, comment) : approvals.approve(id, approver, comment);
            System.out.println(result.status());
            if (result.outcome() != null) {
                System.out.println("decision after approval: " + result.outcome().outcome());
                if (result.outcome().grant() != null) {
                    System.out.println("grant: " + result.outcome().grant());
                }
            }
        } catch (ApprovalRefusedException | IllegalArgumentException e) {
            System.err.println(e.getMessage());
        }
        return null;
    }
}
