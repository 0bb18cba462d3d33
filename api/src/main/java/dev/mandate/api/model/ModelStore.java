package dev.mandate.api.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The authoritative canonical model (IOM §5). Readers take a {@link ModelSnapshot}; writers commit
 * change sets, each of which becomes one new revision when it is durable.
 */
@ProviderType
public interface ModelStore {

    /**
     * The current revision. Never blocks.
     *
     * @throws ModelUnavailableException when the store has not loaded (a decision must not be taken on
     *                                   an empty model after a failed start)
     */
    ModelSnapshot current();

    /**
     * Applies a change set durably and atomically, then publishes it as the next revision. Invalid
     * parts (malformed ids, relations to unknown elements, oversize attributes) are rejected with a
     * reason and the rest is applied; a relation to an element that does not exist is kept as a
     * dangling reference ({@link ModelSnapshot#danglingRelations()}). Blocks for the database write; never call on a framework thread.
     *
     * @throws ModelUnavailableException when the database cannot be written; nothing was applied
     * @throws IllegalArgumentException  when the change set as a whole is not acceptable (e.g. an
     *                                   observation that claims the INTENDED layer)
     */
    CommitResult commit(ChangeSet changes);

    /**
     * The element as it was at {@code revision}. The current revision is answered from memory; older
     * ones from the history the store keeps (how far back is the store's retention). Blocks for a
     * database read; never call on a framework thread.
     *
     * @return the element, or empty when it did not exist at that revision
     * @throws UnknownRevisionException  when the revision was never committed or its history is pruned
     * @throws ModelUnavailableException when the store has not loaded or the database cannot be read
     * @since 1.1
     */
    default Optional<Element> elementAt(String id, long revision) {
        ModelSnapshot now = current();
        if (revision != now.revision()) {
            throw new UnknownRevisionException(revision);
        }
        return now.element(id);
    }

    /**
     * The relations of an element as they were at {@code revision}: those that started from it,
     * then those that ended at it, each ordered by type name, then the id at the other end. Dangling relations (to or from an
     * element that did not exist then) are included. The current revision is answered from memory;
     * older ones from the history the store keeps. Blocks for a database read; never call on a
     * framework thread.
     *
     * @throws UnknownRevisionException  when the revision was never committed or its history is pruned
     * @throws ModelUnavailableException when the store has not loaded or the database cannot be read
     * @since 1.2
     */
    default List<Relation> relationsAt(String id, long revision) {
        ModelSnapshot now = current();
        if (revision != now.revision()) {
            throw new UnknownRevisionException(revision);
        }
        List<Relation> outgoing = new ArrayList<>(now.outgoing(id));
        outgoing.sort(Comparator.comparing((Relation relation) -> relation.type().name()).thenComparing(Relation::to));
        List<Relation> incoming = new ArrayList<>(now.incoming(id));
        incoming.sort(Comparator.comparing((Relation relation) -> relation.type().name()).thenComparing(Relation::from));
        outgoing.addAll(incoming);
        return outgoing;
    }
}
