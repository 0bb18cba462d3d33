package dev.mandate.connector.file.internal;

/**
 * One element or relation of an otherwise valid inventory file that was left out of a collection.
 *
 * @param file    the file, relative to the inventory folder
 * @param section {@code elements} or {@code relations}
 * @param index   0-based position in that section
 * @param line    1-based line where the entry starts
 * @param reason  why it was left out
 */
record SkippedEntry(String file, String section, int index, int line, String reason) {

    @Override
    public String toString() {
        return file + " " + section + "[" + index + "] (line " + line + "): " + reason;
    }
}
