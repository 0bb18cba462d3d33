package dev.mandate.kernel.intent;

/**
 * One thing wrong with an intent document, located in its file.
 *
 * @param file    the file name as given to the validator or loader
 * @param line    the line, from 1 (0 when not known)
 * @param column  the column, from 1 (0 when not known)
 * @param message what is wrong: one lowercase line, user input in quotes
 */
public record Problem(String file, int line, int column, String message) {

    /** {@code file:line:column: message}, as compilers print it. */
    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + message;
    }
}
