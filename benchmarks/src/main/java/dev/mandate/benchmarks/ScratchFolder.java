package dev.mandate.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A temporary folder for a benchmark's databases and files, removed with everything in it when the JVM
 * exits. The durable-commit benchmarks write gigabytes per run; left behind, a few runs filled the disk.
 */
public final class ScratchFolder {

    private ScratchFolder() {
    }

    /** A new folder under the system's temporary folder, deleted at JVM exit (a JMH fork's end). */
    public static Path create(String prefix) throws IOException {
        Path folder = Files.createTempDirectory(prefix);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(folder), "delete " + folder));
        return folder;
    }

    /** Deletes the folder and everything in it; a folder already gone is no error. */
    public static void delete(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("scratch folder '" + folder + "' could not be deleted", e);
        }
    }
}
