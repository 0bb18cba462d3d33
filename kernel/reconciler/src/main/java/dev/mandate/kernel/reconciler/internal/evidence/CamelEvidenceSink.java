package dev.mandate.kernel.reconciler.internal.evidence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;

import dev.mandate.api.evidence.EvidenceRecord;
import dev.mandate.api.evidence.EvidenceSink;
import dev.mandate.kernel.reconciler.internal.CloudEvents;
import dev.mandate.kernel.reconciler.internal.RouteHost;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Exports the evidence ledger to any endpoint the embedded Camel carries ({@code http}/{@code https}
 * as CloudEvents in structured JSON mode, {@code kafka}, {@code smtp}, {@code log}), one CloudEvent per
 * record, in ledger order. The exporter hands it batches from its cursor and offers a batch again when
 * {@link #export} fails, so an endpoint that is down costs nothing: the durable ledger is the buffer on
 * disk and the sink catches up when the endpoint is back. Within a batch offered again, the records the
 * endpoint already took are not sent twice: the sink remembers the last sequence delivered (in memory,
 * and in a file when a batch ends or fails, so a restart does not resend either). Only a crash between
 * a delivery and that write can send a record again; its event id (the record's hash) is the same, so a
 * receiver recognises it.
 */
@Component(service = EvidenceSink.class, configurationPid = CamelEvidenceSink.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = CamelEvidenceSinkConfig.class, factory = true)
public final class CamelEvidenceSink implements EvidenceSink {
    static final String PID = "dev.mandate.kernel.reconciler.evidence.camel";

    private final RouteHost camel;
    private final String name;
    private final String uri;
    private final String source;
    private final Set<String> types;
    private final Path marker;
    private long delivered; // guarded by this; the last sequence the endpoint took

    @Activate
    public CamelEvidenceSink(@Reference RouteHost camel, CamelEvidenceSinkConfig config) {
        this(camel, config.name(), config.uri(), config.source(), Set.of(config.types()), stateFolder(config
                .stateFolder()));
    }

    public CamelEvidenceSink(RouteHost camel, String name, String uri, String source, Set<String> types,
            Path stateFolder) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("the camel evidence sink needs a 'name'");
        }
        if (uri == null || uri.isBlank() || !uri.contains(":")) {
            throw new IllegalArgumentException("the camel evidence sink '" + name + "' needs an endpoint 'uri', was '"
                    + uri + "'");
        }
        this.camel = camel;
        this.name = name.trim();
        this.uri = uri.trim();
        this.source = source == null || source.isBlank() ? "urn:mandate:evidence" : source.trim();
        this.types = Set.copyOf(types);
        this.marker = stateFolder.resolve(this.name.replaceAll("[^A-Za-z0-9._-]", "_") + ".delivered");
        this.delivered = readMarker(marker);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized void export(List<EvidenceRecord> records) throws Exception {
        long before = delivered;
        try {
            for (EvidenceRecord record : records) {
                if (record.sequence() <= delivered) {
                    continue; // taken by the endpoint before the batch failed
                }
                if (types.isEmpty() || types.contains(record.type())) {
                    camel.send(uri, CloudEvents.event(record, source), CloudEvents.headers(uri, record));
                }
                delivered = record.sequence();
            }
        } finally {
            if (delivered != before) {
                writeMarker(marker, delivered);
            }
        }
    }

    /** The last sequence the endpoint took (0: none). */
    synchronized long delivered() {
        return delivered;
    }

    private static long readMarker(Path file) {
        try {
            return Files.exists(file) ? Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim()) : 0;
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("unreadable delivery marker '" + file + "': " + e.getMessage(), e);
        }
    }

    private static void writeMarker(Path file, long sequence) {
        try {
            Files.createDirectories(file.getParent());
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(temp, Long.toString(sequence), StandardCharsets.US_ASCII);
            try {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write delivery marker '" + file + "'", e);
        }
    }

    private static Path stateFolder(String configured) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured.trim());
        }
        return Path.of(System.getProperty("karaf.data", "data"), "mandate", "export");
    }
}
