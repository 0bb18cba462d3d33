package dev.mandate.kernel.approvals.internal;

import java.util.Optional;
import java.util.function.Function;

import dev.mandate.api.decision.Actor;
import dev.mandate.api.decision.ActorKind;
import dev.mandate.api.decision.ApprovalRequest;
import dev.mandate.api.intent.DecisionRight;
import dev.mandate.api.intent.Team;

/**
 * Who may decide an approval request: never the requester, never an AI, and only a member of one of
 * the addressed teams that holds a right with {@code approve: true} for the action in the target's
 * environment.
 */
final class SeparationOfDuties {

    private final Function<String, Optional<Team>> teams;

    SeparationOfDuties(Function<String, Optional<Team>> teams) {
        this.teams = teams;
    }

    /** Why {@code approver} may not decide {@code approval}, or empty when they may. */
    Optional<String> refusal(Actor approver, ApprovalRequest approval) {
        if (approver == null || approver.id() == null || approver.id().isBlank()) {
            return Optional.of("the approver is missing");
        }
        if (approver.kind() == ActorKind.AI) {
            return Optional.of("'" + approver.id() + "' is an AI actor, and an AI actor can never approve");
        }
        if (approver.id().equals(approval.request().actor().id())) {
            return Optional.of("'" + approver.id() + "' asked for this change and cannot approve it");
        }
        String action = approval.request().action().wireName();
        for (String teamId : approval.approvers()) {
            Optional<Team> team = teams.apply(teamId);
            if (team.isPresent() && belongsTo(approver, team.get()) && approves(team.get(), action, approval.environment())) {
                return Optional.empty();
            }
        }
        return Optional.of("'" + approver.id() + "' holds no approving right for " + action
                + (approval.environment() == null ? "" : " in " + approval.environment()) + " in "
                + String.join(", ", approval.approvers()));
    }

    private static boolean belongsTo(Actor actor, Team team) {
        return team.id().equals(actor.team()) || actor.groups().stream().anyMatch(team.groups()::contains);
    }

    private static boolean approves(Team team, String action, String environment) {
        for (DecisionRight right : team.decisionRights()) {
            if (right.approve() && right.covers(action, environment)) {
                return true;
            }
        }
        return false;
    }
}
