package dev.mandate.api.decision;

import java.util.List;

/**
 * Who asks.
 *
 * @param id        the actor's identity (a user name, a pipeline, an agent)
 * @param kind      human, system or AI
 * @param team      the team the actor acts for, or {@code null}
 * @param groups    identity groups the actor belongs to (team membership is by group)
 * @param agent     for AI actors, the model and prompt hash; {@code null} otherwise
 * @param assurance authentication assurance as asserted by the caller ({@code mfa}, {@code password},
 *                  {@code workload-identity} …), or {@code null}
 */
public record Actor(String id, ActorKind kind, String team, List<String> groups, AgentInfo agent, String assurance) {
    public Actor {
        groups = groups == null ? List.of() : List.copyOf(groups);
    }
}
