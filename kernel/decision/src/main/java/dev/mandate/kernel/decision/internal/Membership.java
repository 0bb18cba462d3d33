package dev.mandate.kernel.decision.internal;

import dev.mandate.api.decision.Actor;
import dev.mandate.api.intent.Team;

/** Whether an actor acts for a team: by its declared team, or by one of its identity groups. */
final class Membership {
    private Membership() {
    }

    static boolean belongsTo(Actor actor, Team team) {
        if (team.id().equals(actor.team())) {
            return true;
        }
        for (String group : actor.groups()) {
            if (team.groups().contains(group)) {
                return true;
            }
        }
        return false;
    }
}
