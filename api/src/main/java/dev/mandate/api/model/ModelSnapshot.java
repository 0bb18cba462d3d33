package dev.mandate.api.model;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One consistent revision of the canonical model. Immutable: whatever happens to the store
 * afterwards, a snapshot keeps answering for its revision. Reads never block and never touch the
 * database.
 */
@ProviderType
public interface ModelSnapshot {

    /** The revision this snapshot shows; 0 for an empty model. */
    long revision();

    /** How many elements this revision holds. */
    int size();

    /** The element with this id, if it exists in this revision. */
    Optional<Element> element(String id);

    /** A page of the elements that match {@code query}, in id order. */
    ElementPage query(ElementQuery query);

    /**
     * Relations kept although one of their ends is not an element of this revision (a reference to
     * something not observed yet), ordered by source, type and target. They are stored and listed,
     * and become ordinary relations once both ends exist; {@link #blastRadius} never walks them.
     *
     * @since 1.1
     */
    default List<Relation> danglingRelations() {
        return List.of();
    }

    /** Relations whose source is {@code id}. */
    List<Relation> outgoing(String id);

    /** Relations whose target is {@code id}. */
    List<Relation> incoming(String id);

    /**
     * The transitive dependents of {@code id}: elements that reach it over the given relation types
     * followed backwards ({@code x DEPENDS_ON id}) and forwards for {@link RelationType#CONTAINS}
     * ({@code id CONTAINS x}). Deterministic for a revision; stops at {@code cap} elements.
     *
     * @throws IllegalArgumentException when no element has this id
     */
    BlastRadius blastRadius(String id, Set<RelationType> over, int cap);
}
