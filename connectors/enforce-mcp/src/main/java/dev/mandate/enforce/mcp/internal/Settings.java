package dev.mandate.enforce.mcp.internal;

import java.util.EnumSet;
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
 */
record Settings(String defaultAgentId, Set<RelationType> blastRelations, int blastCap, int maxRequestBytes,
        int timeoutSeconds) {

    static Settings of(AgentGateConfig config) {
        return of(config.defaultAgentId(), config.blastRadius_relations(), config.blastRadius_cap(),
                config.maxRequestBytes(), config.timeoutSeconds());
    }

    /** @throws IllegalArgumentException naming the setting that is wrong */
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
        return new Settings(defaultAgentId.trim(), Set.copyOf(walked), cap, maxRequestBytes, timeoutSeconds);
    }
}
