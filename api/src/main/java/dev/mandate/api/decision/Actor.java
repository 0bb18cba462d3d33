package dev.mandate.api.decision;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 * @param attributes further facts the identity provider asserts about the actor (clearance, home
 *                  zone, roles, scope …), visible to constraints as {@code actor.attributes} (since 1.1)
 */
public record Actor(String id, ActorKind kind, String team, List<String> groups, AgentInfo agent, String assurance,
        Map<String, Object> attributes) {

    public Actor {
        groups = groups == null ? List.of() : List.copyOf(groups);
        attributes = attributes == null || attributes.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    /** An actor without further attributes. */
    public Actor(String id, ActorKind kind, String team, List<String> groups, AgentInfo agent, String assurance) {
        this(id, kind, team, groups, agent, assurance, Map.of());
    }
}
