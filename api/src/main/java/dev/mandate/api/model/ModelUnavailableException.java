package dev.mandate.api.model;

/** The model store cannot serve: its database is down or it has not finished loading. */
public class ModelUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ModelUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
