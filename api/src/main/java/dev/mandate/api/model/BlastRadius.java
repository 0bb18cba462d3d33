package dev.mandate.api.model;

import java.util.List;

/**
 * Who and what a change to an element reaches: its transitive dependents.
 *
 * @param count        how many elements depend on it, directly or transitively
 * @param depth        the longest dependency path walked
 * @param owners       the owning teams of the element and its dependents, sorted
 * @param environments the environments touched, sorted
 * @param trustZones   the trust zones touched, sorted
 * @param elements     the dependents' ids in breadth-first order (at most the cap)
 * @param truncated    true when the walk stopped at its cap; {@code count} is then a lower bound
 */
public record BlastRadius(int count, int depth, List<String> owners, List<String> environments,
        List<String> trustZones, List<String> elements, boolean truncated) {

    public BlastRadius {
        owners = Immutables.list(owners);
        environments = Immutables.list(environments);
        trustZones = Immutables.list(trustZones);
        elements = Immutables.list(elements);
    }

    /** The blast radius of an element nothing depends on. */
    public static BlastRadius none(String owner, String environment, String trustZone) {
        return new BlastRadius(0, 0, owner == null ? List.of() : List.of(owner),
                environment == null ? List.of() : List.of(environment),
                trustZone == null ? List.of() : List.of(trustZone), List.of(), false);
    }
}
