package dev.mandate.kernel.intent.internal;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The promotions in force, kept in a properties file (blueprint name = content hash of the promoted
 * shadow version) in the intent bundle's persistent data area, so that a promotion outlives a
 * restart of the bundle or of Karaf. Written whole to a temporary file and moved into place, so a
 * crash leaves the old or the new content, never half of it. Not thread-safe: the registry calls
 * it under its lock.
 */
final class PromotionFile {

    private final Path file;

    PromotionFile(Path file) {
        this.file = file;
    }

    Path path() {
        return file;
    }

    /** The promotions written last; empty when there is no file yet. */
    Map<String, String> read() {
        Map<String, String> promotions = new TreeMap<>();
        if (!Files.isRegularFile(file)) {
            return promotions;
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("promotions file '" + file + "' cannot be read: " + e.getMessage(), e);
        }
        properties.forEach((name, hash) -> promotions.put(String.valueOf(name), String.valueOf(hash)));
        return promotions;
    }

    void write(Map<String, String> promotions) {
        Properties properties = new Properties();
        properties.putAll(promotions);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                properties.store(writer, "blueprint name = content hash of the promoted shadow version");
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("promotions file '" + file + "' cannot be written: " + e.getMessage(), e);
        }
    }
}
