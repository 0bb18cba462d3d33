package dev.mandate.api.enforcement;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Runs an {@link EnforcementAdapter} against the decision point: translates the tool's document,
 * decides every change, records the enforcement as evidence and returns the tool's answer.
 * Adapters call it from their own endpoints; it blocks for the ledger writes.
 */
@ProviderType
public interface EnforcementPoint {

    /**
     * Decides every change {@code input} proposes. A change on an element the model does not hold
     * (other than a create) is denied, not skipped.
     *
     * @throws InvalidChangeException when the adapter finds the document malformed; nothing is decided
     */
    <I, O> EnforcementResult<O> enforce(EnforcementAdapter<I, O> adapter, I input) throws InvalidChangeException;

    /**
     * Decides every change {@code input} proposes; a dry run records every decision as a what-if,
     * issues no execution grant and opens no approval request.
     *
     * @throws InvalidChangeException when the adapter finds the document malformed; nothing is decided
     * @throws UnsupportedOperationException for a dry run, by an enforcement point that cannot do one
     * @since 1.1
     */
    default <I, O> EnforcementResult<O> enforce(EnforcementAdapter<I, O> adapter, I input, boolean dryRun)
            throws InvalidChangeException {
        if (dryRun) {
            throw new UnsupportedOperationException("this enforcement point cannot decide a dry run");
        }
        return enforce(adapter, input);
    }
}
