package dev.mandate.kernel.ledger.retention;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A claim on ledger records that retention must respect. The ledger prunes only records below the
 * lowest {@link #keepFrom()} of every registered hold; a pruned chain keeps its signed retention
 * summary either way.
 */
@ConsumerType
public interface RetentionHold {

    /**
     * The first sequence this holder still needs: it and every later record must not be pruned.
     * {@link Long#MAX_VALUE} when the holder needs nothing. Called while the ledger's writers wait:
     * must return quickly (a local file read at most) and must not call the ledger.
     *
     * @throws RuntimeException when the holder cannot tell; the ledger then prunes nothing
     */
    long keepFrom();
}
