package dev.mandate.connector.file.internal;

/**
 * An inventory file that cannot be read as a whole (a syntax error, a wrong apiVersion or kind, a
 * section of the wrong shape). Its message is {@code file:line:column: reason}.
 */
public final class InventoryFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;
    private final int column;

    InventoryFormatException(String file, int line, int column, String reason) {
        super(file + ":" + line + ":" + column + ": " + reason);
        this.file = file;
        this.line = line;
        this.column = column;
    }

    /** The file, as a path. */
    public String file() {
        return file;
    }

    /** The 1-based line of the problem. */
    public int line() {
        return line;
    }

    /** The 1-based column of the problem. */
    public int column() {
        return column;
    }
}
