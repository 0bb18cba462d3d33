package dev.mandate.api.intent;

import java.time.Instant;
import java.util.List;

/**
 * How a blueprint's shadow version (loaded beside the version in force, not enforced) would have
 * evaluated differently from the version in force, over the most recent evaluations.
 *
 * @param name        the blueprint name
 * @param inForce     the version in force
 * @param shadow      the shadow version
 * @param evaluations how many evaluations ran both since the shadow was loaded
 * @param differences the most recent evaluations whose matches differ, newest last (bounded)
 * @since 1.1
 */
public record ShadowReport(String name, String inForce, String shadow, long evaluations,
        List<Difference> differences) {

    public ShadowReport {
        differences = differences == null ? List.of() : List.copyOf(differences);
    }

    /**
     * One evaluation that the shadow would have answered differently.
     *
     * @param at            the evaluation time
     * @param target        the element id
     * @param action        the action wire name
     * @param actor         the actor id
     * @param inForceEffect the strongest counting effect of the version in force ({@code none} when nothing matched)
     * @param shadowEffect  the strongest counting effect of the shadow version
     * @param inForceMatches the sources that matched in force
     * @param shadowMatches the sources that matched in the shadow
     */
    public record Difference(Instant at, String target, String action, String actor, String inForceEffect,
            String shadowEffect, List<String> inForceMatches, List<String> shadowMatches) {
        public Difference {
            inForceMatches = inForceMatches == null ? List.of() : List.copyOf(inForceMatches);
            shadowMatches = shadowMatches == null ? List.of() : List.copyOf(shadowMatches);
        }
    }
}
