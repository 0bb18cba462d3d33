package dev.mandate.kernel.reconciler;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What the reconciler knows about the state connectors it runs. Thread-safe; the read methods
 * never block.
 */
@ProviderType
public interface ReconcilerStatus {

    /** The latest run of every bound connector, by connector id. */
    List<ConnectorRun> runs();

    /** The latest run of one connector, if it is bound. */
    Optional<ConnectorRun> run(String connectorId);

    /**
     * Runs a connector now, on the reconciler's threads, after any run of it already in progress.
     * Returns at once; the future completes with the run's outcome (it does not fail when the
     * collection fails: see {@link ConnectorRun#state()}).
     *
     * @throws IllegalArgumentException when no connector with this id is bound
     */
    CompletableFuture<ConnectorRun> runNow(String connectorId);
}
