package dev.mandate.kernel.reconciler.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Flow log files in a local folder, read in place. A file whose size and modification time did not
 * change since the previous read is not parsed again. Thread-safe.
 */
final class FolderFlowSource implements FlowLogSource {
    private record Seen(long size, long modified, FlowTally tally) {
    }

    private final Path folder;
    private final Map<Path, Seen> seen = new HashMap<>(); // guarded by this

    FolderFlowSource(Path folder) {
        this.folder = folder.toAbsolutePath().normalize();
    }

    @Override
    public String location() {
        return folder.toString();
    }

    @Override
    public synchronized Map<String, FlowTally> read() throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new IOException("flow log folder '" + folder + "' does not exist");
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(folder)) {
            files = listing.filter(Files::isRegularFile)
                    .filter(file -> FlowFormats.supported(file.getFileName().toString())).sorted().toList();
        }
        Map<String, FlowTally> tallies = new LinkedHashMap<>();
        Map<Path, Seen> current = new HashMap<>();
        for (Path file : files) {
            if (Thread.currentThread().isInterrupted()) {
                throw new IOException("reading flow logs was interrupted");
            }
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            Seen before = seen.get(file);
            Seen now = before;
            if (before == null || before.size() != attributes.size()
                    || before.modified() != attributes.lastModifiedTime().toMillis()) {
                try (InputStream in = Files.newInputStream(file)) {
                    now = new Seen(attributes.size(), attributes.lastModifiedTime().toMillis(),
                            FlowFormats.tally(file.getFileName().toString(), in));
                }
            }
            current.put(file, now);
            tallies.put(file.getFileName().toString(), now.tally());
        }
        seen.clear();
        seen.putAll(current);
        return tallies;
    }
}
