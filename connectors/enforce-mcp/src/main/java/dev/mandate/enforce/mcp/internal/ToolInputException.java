package dev.mandate.enforce.mcp.internal;

/** A tool was called with arguments it cannot use; says which argument and what is wrong. */
final class ToolInputException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String argument;

    ToolInputException(String argument, String message) {
        super(message);
        this.argument = argument;
    }

    String argument() {
        return argument;
    }
}
