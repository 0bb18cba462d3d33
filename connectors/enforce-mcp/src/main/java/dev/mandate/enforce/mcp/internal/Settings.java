package dev.mandate.enforce.mcp.internal;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import dev.mandate.api.model.RelationType;

/**
 * The gate's validated configuration.
 *
 * @param defaultAgentId  the actor id of an agent that does not name itself
 * @param blastRelations  the relations {@code explain_element} walks for the blast radius
 * @param blastCap        where that walk stops
 * @param maxRequestBytes the largest JSON-RPC message accepted
 * @param timeoutSeconds  how long one tool call may take
 * @param authenticate    whether callers must authenticate (the authenticated caller is the agent)
 * @param callerRoles     roles of which an authenticated caller must hold one; empty: any
 */
record Settings(String defaultAgentId, Set<RelationType> blastRelations, int blastCap, int maxRequestBytes,
        int timeoutSeconds, boolean authenticate, List<String> callerRoles) {

    static Settings of(AgentGateConfig config) {
        return of(config.defaultAgentId(), config.blastRadius_relations(), config.blastRadius_cap(),
                config.maxRequestBytes(), config.timeoutSeconds()).authenticated(config.authenticate(),
                        config.callerRoles());
    }

    /** These settings with authentication on or off, and the roles a caller must hold one of. */
    Settings authenticated(boolean on, String[] roles) {
        List<String> required = new ArrayList<>();
        for (String entry : roles == null ? new String[0] : roles) {
            for (String role : entry.split(",")) {
                if (!role.isBlank()) {
                    required.add(role.trim());
                }
            }
        }
        return new Settings(defaultAgentId, blastRelations, blastCap, maxRequestBytes, timeoutSeconds, on,
                List.copyOf(required));
    }

    /**
     * Settings without authentication (as for local development).
     *
     * @throws IllegalArgumentException naming the setting that is wrong
     */
    static Settings of(String defaultAgentId, String[] relations, int cap, int maxRequestBytes, int timeoutSeconds) {
        if (defaultAgentId == null || defaultAgentId.isBlank()) {
            throw new IllegalArgumentException("defaultAgentId is empty: agents that do not name themselves need an id");
        }
        Set<RelationType> walked = EnumSet.noneOf(RelationType.class);
        // a .cfg file gives a list as one comma-separated value
        for (String entry : relations) {
            for (String relation : entry.split(",")) {
                if (!relation.isBlank()) {
                    walked.add(RelationType.parse(relation.trim()));
                }
            }
        }
        if (cap < 1 || maxRequestBytes < 1024 || timeoutSeconds < 1) {
            throw new IllegalArgumentException("blastRadius.cap, maxRequestBytes (at least 1024) and timeoutSeconds "
                    + "must be positive, not " + cap + ", " + maxRequestBytes + ", " + timeoutSeconds);
        }
        return new Settings(defaultAgentId.trim(), Set.copyOf(walked), cap, maxRequestBytes, timeoutSeconds, false,
                List.of());
    }
}
