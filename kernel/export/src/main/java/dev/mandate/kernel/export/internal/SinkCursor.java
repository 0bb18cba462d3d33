package dev.mandate.kernel.export.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.channels.FileChannel;

/**
 * The last ledger sequence a sink acknowledged, kept in a file so that a restart resumes where it
 * stopped: written to a temporary file, forced to disk, then moved over the old one atomically.
 */
final class SinkCursor {
    private final Path file;

    SinkCursor(Path folder, String sinkName) {
        this.file = folder.resolve(sinkName.replaceAll("[^A-Za-z0-9._-]", "_") + ".cursor");
    }

    long acknowledged() {
        try {
            if (!Files.exists(file)) {
                return 0;
            }
            return Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim());
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("unreadable export cursor '" + file + "': " + e.getMessage(), e);
        }
    }

    void acknowledge(long sequence) {
        try {
            Files.createDirectories(file.getParent());
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(java.nio.ByteBuffer.wrap(Long.toString(sequence).getBytes(StandardCharsets.US_ASCII)));
                channel.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write export cursor '" + file + "'", e);
        }
    }
}
