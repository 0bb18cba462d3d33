package dev.mandate.kernel.reconciler.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.mandate.api.model.ChangeSet;
import dev.mandate.api.model.CommitResult;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.ModelSnapshot;
import dev.mandate.api.model.ModelStore;
import dev.mandate.api.model.Relation;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The reconciler's way into the model: it commits like the store and remembers which elements each
 * revision touched, so that drift and the intended layer look only at what changed. The memory is
 * bounded ({@link #MAX_REVISIONS} revisions, {@link #MAX_IDS} ids); a revision the reconciler did not
 * commit itself, or one forgotten, makes {@link #touched} answer {@code null} (the caller then scans
 * the whole revision). Thread-safe.
 */
@Component(service = ModelChanges.class)
public final class ModelChanges implements ModelStore {
    static final int MAX_REVISIONS = 4096;
    static final int MAX_IDS = 2_000_000;

    /** The elements one revision touched. */
    private record Touched(long revision, Set<String> ids) {
    }

    private final ModelStore model;
    private final Deque<Touched> recent = new ArrayDeque<>(); // guarded by itself, oldest first
    private int ids; // guarded by recent
    private final Object commitLock = new Object();

    @Activate
    public ModelChanges(@Reference ModelStore model) {
        this.model = model;
    }

    @Override
    public ModelSnapshot current() {
        return model.current();
    }

    /** Commits one change set at a time (the store writes one at a time anyway), so each new revision is known. */
    @Override
    public CommitResult commit(ChangeSet changes) {
        synchronized (commitLock) {
            long before = model.current().revision();
            CommitResult result = model.commit(changes);
            if (result.revision() == before + 1) {
                remember(result.revision(), changes);
            }
            return result;
        }
    }

    private void remember(long revision, ChangeSet changes) {
        Set<String> touched = new HashSet<>();
        for (Element element : changes.upserts()) {
            if (element != null && element.id() != null) {
                touched.add(element.id());
            }
        }
        for (String id : changes.removals()) {
            if (id != null) {
                touched.add(id);
            }
        }
        for (List<Relation> relations : List.of(changes.relationUpserts(), changes.relationRemovals())) {
            for (Relation relation : relations) {
                if (relation != null) {
                    touched.add(relation.from());
                    touched.add(relation.to());
                }
            }
        }
        synchronized (recent) {
            recent.addLast(new Touched(revision, touched));
            ids += touched.size();
            while (recent.size() > MAX_REVISIONS || ids > MAX_IDS && recent.size() > 1) {
                ids -= recent.removeFirst().ids().size();
            }
        }
    }

    /**
     * The ids of the elements the revisions after {@code from} up to and including {@code to} touched,
     * or {@code null} when one of them is not known here (committed by someone else, or forgotten).
     */
    public Set<String> touched(long from, long to) {
        Set<String> all = new LinkedHashSet<>();
        synchronized (recent) {
            long next = from + 1;
            for (Touched touched : recent) {
                if (touched.revision() < next) {
                    continue;
                }
                if (touched.revision() > to) {
                    break;
                }
                if (touched.revision() != next) {
                    return null;
                }
                all.addAll(touched.ids());
                next++;
            }
            return next == to + 1 ? all : null;
        }
    }
}
