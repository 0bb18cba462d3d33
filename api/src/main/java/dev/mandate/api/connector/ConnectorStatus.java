package dev.mandate.api.connector;

import java.time.Instant;

/**
 * A connector's health, as shell commands and health checks show it.
 *
 * @param state   not ready, ok, warn or error
 * @param message one line saying why
 * @param since   when it entered this state
 */
public record ConnectorStatus(ConnectorState state, String message, Instant since) {

    public static ConnectorStatus of(ConnectorState state, String message) {
        return new ConnectorStatus(state, message, Instant.now());
    }
}
