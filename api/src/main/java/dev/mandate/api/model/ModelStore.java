package dev.mandate.api.model;

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
     * reason and the rest is applied. Blocks for the database write; never call on a framework thread.
     *
     * @throws ModelUnavailableException when the database cannot be written; nothing was applied
     * @throws IllegalArgumentException  when the change set as a whole is not acceptable (e.g. an
     *                                   observation that claims the INTENDED layer)
     */
    CommitResult commit(ChangeSet changes);
}
