package dev.mandate.api.connector;

/** The health of a connector. */
public enum ConnectorState {
    NOT_READY, OK, WARN, ERROR
}
