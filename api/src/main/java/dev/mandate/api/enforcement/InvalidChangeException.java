package dev.mandate.api.enforcement;

/** The external change document is malformed; says where ({@code path}) and what is wrong. */
public class InvalidChangeException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String path;

    public InvalidChangeException(String path, String message) {
        super(message);
        this.path = path;
    }

    /** Where in the document: a JSON pointer or path such as {@code /resource_changes/3/change/actions}. */
    public String path() {
        return path;
    }
}
