package dev.mandate.benchmarks.reconciliation;

import dev.mandate.api.model.ChangeSet;
import dev.mandate.api.model.CommitResult;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.ModelSnapshot;
import dev.mandate.api.model.ModelStore;
import dev.mandate.api.model.Relation;
import dev.mandate.kernel.model.internal.ModelIndex;

import java.util.List;

/**
 * The model store's in-memory part for benchmarks: commits go straight into the real
 * {@link ModelIndex} (no database, no layer merge: the benchmark's elements carry all their layers).
 */
final class IndexModelStore implements ModelStore {
    private volatile ModelIndex index;

    IndexModelStore(ModelIndex index) {
        this.index = index;
    }

    @Override
    public ModelSnapshot current() {
        return index;
    }

    @Override
    public synchronized CommitResult commit(ChangeSet changes) {
        ModelIndex.Builder builder = index.toBuilder();
        for (Element element : changes.upserts()) {
            builder.put(element);
        }
        for (String id : changes.removals()) {
            builder.remove(id);
        }
        for (Relation relation : changes.relationUpserts()) {
            builder.putRelation(relation);
        }
        index = builder.build(index.revision() + 1);
        return new CommitResult(index.revision(), changes.upserts().size() + changes.removals().size()
                + changes.relationUpserts().size(), List.of());
    }
}
