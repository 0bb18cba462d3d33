package dev.mandate.kernel.intent.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the operator folder: each {@code *.yaml}/{@code *.yml} file is one source, loaded when it
 * appears or changes and withdrawn when it goes. Not thread-safe: {@link #scan()} runs on the
 * intent service's own executor.
 */
final class FolderWatcher {

    private static final Logger LOG = LoggerFactory.getLogger(FolderWatcher.class);

    private record Stamp(long modified, long size) {
    }

    private final Path folder;
    private final IntentRegistry registry;
    private final Map<Path, Stamp> known = new HashMap<>();
    private boolean reportedMissing;

    FolderWatcher(Path folder, IntentRegistry registry) {
        this.folder = folder;
        this.registry = registry;
    }

    Path folder() {
        return folder;
    }

    static String key(Path file) {
        return "file:" + file.toAbsolutePath().normalize();
    }

    /** Loads what is new or changed and withdraws what is gone. */
    void scan() {
        Map<Path, Stamp> present = list();
        for (Path gone : List.copyOf(known.keySet())) {
            if (!present.containsKey(gone)) {
                known.remove(gone);
                LOG.info("intent file {} removed", gone);
                registry.withdraw(key(gone));
            }
        }
        List<IntentSource> changed = new java.util.ArrayList<>();
        present.forEach((file, stamp) -> {
            if (!stamp.equals(known.get(file))) {
                known.put(file, stamp);
                IntentSource source = read(file);
                if (source != null) {
                    changed.add(source);
                }
            }
        });
        if (!changed.isEmpty()) {
            registry.loadAll(changed).forEach((key, result) -> LOG.debug("{}: {}", key, result.outcome()));
        }
    }

    /** Withdraws everything this watcher loaded (the folder is no longer configured). */
    void withdrawAll() {
        for (Path file : List.copyOf(known.keySet())) {
            registry.withdraw(key(file));
        }
        known.clear();
    }

    private IntentSource read(Path file) {
        try {
            IntentSource source = source(file);
            if (source == null) {
                LOG.warn("intent file {} is too large to read", file);
            }
            return source;
        } catch (IOException e) {
            // forget the stamp so that the next scan tries again
            known.remove(file);
            LOG.warn("intent file {} could not be read: {}", file, e.getMessage());
            return null;
        }
    }

    /**
     * One intent file as a source of its own, keyed {@code file:<absolute path>} and named by its
     * file name; {@code null} when it is too large to be an intent file. The operator folder and the
     * deploy folder read files this way.
     */
    static IntentSource source(Path file) throws IOException {
        if (Files.size(file) > YamlReader.MAX_CHARS * 4L) {
            return null;
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String name = file.getFileName().toString();
        return new IntentSource(key(file), List.of(new IntentSource.File(name, key(file), text)));
    }

    private Map<Path, Stamp> list() {
        Map<Path, Stamp> files = new TreeMap<>();
        if (!Files.isDirectory(folder)) {
            if (!reportedMissing) {
                LOG.info("intent folder {} does not exist (yet); no operator intent files are loaded", folder);
                reportedMissing = true;
            }
            return files;
        }
        reportedMissing = false;
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder, "*.{yaml,yml}")) {
            for (Path file : stream) {
                if (Files.isRegularFile(file)) {
                    files.put(file, new Stamp(Files.getLastModifiedTime(file).toMillis(), Files.size(file)));
                }
            }
        } catch (IOException e) {
            LOG.warn("intent folder {} could not be listed: {}", folder, e.getMessage());
            // keep what is in force rather than withdrawing everything on a transient error
            Map<Path, Stamp> unchanged = new TreeMap<>(known);
            return unchanged;
        }
        return files;
    }
}
