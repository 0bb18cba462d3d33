package dev.mandate.kernel.intent.internal;

import java.util.List;

/**
 * Where intent documents come from, loaded and withdrawn as a whole: one bundle carrying
 * {@code Mandate-Blueprints}, or one file of the operator folder.
 *
 * @param key   identifies the source across reloads: {@code bundle:<symbolic-name>} or {@code file:<path>}
 * @param files its files, in load order
 */
public record IntentSource(String key, List<File> files) {

    public IntentSource {
        files = List.copyOf(files);
    }

    /**
     * One file of a source.
     *
     * @param name   the name problems are reported against ({@code blueprints/baseline.yaml})
     * @param origin where its documents come from: {@code bundle:<symbolic-name>/<path>} or {@code file:<path>}
     * @param text   the content
     */
    public record File(String name, String origin, String text) {
    }
}
