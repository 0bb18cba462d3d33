package dev.mandate.kernel.shell.command;

import java.security.AccessController;
import java.security.Principal;
import java.util.Set;
import java.util.TreeSet;

import javax.security.auth.Subject;

import dev.mandate.api.decision.Actor;
import dev.mandate.api.decision.ActorKind;
import dev.mandate.api.decision.ApprovalRefusedException;
import dev.mandate.api.decision.ApprovalRequest;
import dev.mandate.api.decision.ApprovalService;

import org.apache.karaf.jaas.boot.principal.GroupPrincipal;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * Approves or rejects as the user logged in to the shell: the approver is the session's JAAS user,
 * its roles and groups are its identity groups (as over REST), never someone named on the command line.
 */
@Command(scope = "mandate", name = "approve", description = "Approves (or with --reject rejects) an approval request as the logged-in user")
@Service
public class ApproveCommand implements Action {

    /** A role or group that marks the logged-in user as an AI agent, which can never approve. */
    static final String AI_ROLE = "mandate-ai";

    @Reference
    ApprovalService approvals;

    @Argument(index = 0, name = "id", required = true, description = "The approval request id")
    String id;

    @Option(name = "--reject", description = "Reject instead of approve")
    boolean reject;

    @Option(name = "-c", aliases = "--comment", description = "Why")
    String comment;

    @Override
    @SuppressWarnings("removal")
    public Object execute() {
        Actor approver = sessionUser(Subject.getSubject(AccessController.getContext()));
        if (approver == null) {
            System.err.println("no user is logged in to this shell session: approvals need an authenticated approver");
            return null;
        }
        try {
            ApprovalRequest result = reject ? approvals.reject(id, approver, comment) : approvals.approve(id, approver, comment);
            System.out.println(result.status() + " by " + approver.id());
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

    /** The shell session's user as an actor, or null without a logged-in user. */
    static Actor sessionUser(Subject subject) {
        if (subject == null) {
            return null;
        }
        String user = null;
        Set<String> memberships = new TreeSet<>();
        for (Principal principal : subject.getPrincipals()) {
            if (principal instanceof UserPrincipal) {
                user = principal.getName();
            } else if (principal instanceof RolePrincipal || principal instanceof GroupPrincipal) {
                memberships.add(principal.getName());
            }
        }
        if (user == null) {
            return null;
        }
        ActorKind kind = memberships.contains(AI_ROLE) ? ActorKind.AI : ActorKind.HUMAN;
        return new Actor(user, kind, null, java.util.List.copyOf(memberships), null, "shell");
    }
}
