package dev.mandate.kernel.reconciler;

import java.time.Duration;
import java.time.Instant;

import dev.mandate.api.connector.ConnectorStatus;
import dev.mandate.api.connector.Domain;

/**
 * The latest run of one state connector, for freshness displays and health checks.
 *
 * @param connectorId     the connector's id, which is also the source of what it observes
 * @param domain          what it observes
 * @param state           how its latest run stands
 * @param health          the connector's own status when this was read, or {@code null} if it failed to say
 * @param intervalSeconds seconds between runs
 * @param lastStarted     when the latest run started, or {@code null} before the first
 * @param lastFinished    when the latest finished run ended, or {@code null}
 * @param lastDuration    how long the latest finished run took, or {@code null}
 * @param lastSuccess     when the latest complete run ended: the model is as fresh as this; {@code null} if none
 * @param lastError       one line on why the latest run failed (or what went wrong after it), else {@code null}
 * @param elementCount    elements observed by the latest complete run
 * @param relationCount   relations observed by the latest complete run
 * @param revision        the model revision after the latest complete run, 0 before one
 */
public record ConnectorRun(String connectorId, Domain domain, RunState state, ConnectorStatus health,
        long intervalSeconds, Instant lastStarted, Instant lastFinished, Duration lastDuration, Instant lastSuccess,
        String lastError, int elementCount, int relationCount, long revision) {
}
