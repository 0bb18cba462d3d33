package dev.mandate.api.model;

import java.util.List;

/**
 * A set of changes committed as one new model revision.
 *
 * @param source            who proposes them (a connector id, a state file)
 * @param layer             the layer the upserted elements describe; never {@link Layer#INTENDED} from an observation
 * @param upserts           elements to create or replace in {@code layer}
 * @param removals          ids whose {@code layer} is withdrawn (the element goes when no layer is left)
 * @param relationUpserts   relations to add or update
 * @param relationRemovals  relations to remove
 */
public record ChangeSet(String source, Layer layer, List<Element> upserts, List<String> removals,
        List<Relation> relationUpserts, List<Relation> relationRemovals) {

    public ChangeSet {
        upserts = Immutables.list(upserts);
        removals = Immutables.list(removals);
        relationUpserts = Immutables.list(relationUpserts);
        relationRemovals = Immutables.list(relationRemovals);
    }
}
