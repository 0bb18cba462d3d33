package dev.mandate.kernel.export.internal;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.mandate.api.evidence.EvidenceLedger;
import dev.mandate.api.evidence.EvidenceRecord;
import dev.mandate.api.evidence.EvidenceSink;
import dev.mandate.kernel.ledger.retention.RetentionHold;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the ledger to every {@link EvidenceSink} service, in order, in batches, from the first
 * record the sink has not acknowledged. A sink that fails is offered the same records again on the
 * next round: nothing is skipped, and the ledger itself is the buffer. Each sink's position
 * survives restarts.
 *
 * <p>As a {@link RetentionHold} it keeps ledger retention from pruning a record any bound sink has
 * not acknowledged yet: a sink that is down holds the ledger back until it has caught up.
 */
@Component(immediate = true, service = {EvidenceExporter.class, RetentionHold.class},
        configurationPid = "dev.mandate.kernel.export")
@Designate(ocd = EvidenceExporterConfig.class)
public class EvidenceExporter implements RetentionHold {

    private static final Logger LOG = LoggerFactory.getLogger(EvidenceExporter.class);

    private final EvidenceLedger ledger;
    private final Path stateFolder;
    private final int batchSize;
    private final Map<String, EvidenceSink> sinks = new ConcurrentHashMap<>();
    private final Map<String, SinkState> states = new ConcurrentHashMap<>();
    private final ScheduledExecutorService executor;

    @Activate
    public EvidenceExporter(@Reference EvidenceLedger ledger, EvidenceExporterConfig config) {
        this(ledger, stateFolder(config.stateFolder()), config.batchSize(),
                Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "mandate-evidence-export")));
        executor.scheduleWithFixedDelay(this::exportAll, config.intervalSeconds(), config.intervalSeconds(),
                TimeUnit.SECONDS);
    }

    EvidenceExporter(EvidenceLedger ledger, Path stateFolder, int batchSize, ScheduledExecutorService executor) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
        }
        this.ledger = ledger;
        this.stateFolder = stateFolder;
        this.batchSize = batchSize;
        this.executor = executor;
    }

    @Deactivate
    void deactivate() {
        executor.shutdownNow();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindSink(EvidenceSink sink) {
        sinks.put(sink.name(), sink);
    }

    void unbindSink(EvidenceSink sink) {
        sinks.remove(sink.name(), sink);
    }

    /**
     * The first record some bound sink has not acknowledged (read from the sinks' cursor files, which
     * only move forward); {@code Long.MAX_VALUE} without sinks.
     */
    @Override
    public long keepFrom() {
        long keepFrom = Long.MAX_VALUE;
        for (EvidenceSink sink : sinks.values()) {
            keepFrom = Math.min(keepFrom, new SinkCursor(stateFolder, sink.name()).acknowledged() + 1);
        }
        return keepFrom;
    }

    /** The position of every sink seen since activation. */
    List<SinkState> states() {
        return states.values().stream().sorted(java.util.Comparator.comparing(SinkState::sink)).toList();
    }

    /** One export round over every sink; a failing sink does not hold up the others. */
    void exportAll() {
        for (EvidenceSink sink : sinks.values()) {
            try {
                exportTo(sink);
            } catch (RuntimeException e) {
                LOG.error("evidence export to '{}' failed unexpectedly", sink.name(), e);
            }
        }
    }

    private void exportTo(EvidenceSink sink) {
        SinkCursor cursor = new SinkCursor(stateFolder, sink.name());
        long acknowledged = cursor.acknowledged();
        SinkState previous = states.get(sink.name());
        Instant lastSuccess = previous == null ? null : previous.lastSuccess();
        while (true) {
            List<EvidenceRecord> batch = ledger.read(acknowledged + 1, batchSize);
            if (batch.isEmpty()) {
                states.put(sink.name(), new SinkState(sink.name(), acknowledged, null, lastSuccess));
                return;
            }
            try {
                sink.export(batch);
            } catch (Exception e) {
                LOG.warn("evidence sink '{}' is unavailable; will offer records from {} again: {}", sink.name(),
                        acknowledged + 1, e.getMessage());
                states.put(sink.name(), new SinkState(sink.name(), acknowledged, e.getMessage(), lastSuccess));
                return;
            }
            acknowledged = batch.get(batch.size() - 1).sequence();
            cursor.acknowledge(acknowledged);
            lastSuccess = Instant.now();
            if (batch.size() < batchSize) {
                states.put(sink.name(), new SinkState(sink.name(), acknowledged, null, lastSuccess));
                return;
            }
        }
    }

    private static Path stateFolder(String configured) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String data = System.getProperty("karaf.data", "data");
        return Path.of(data, "mandate", "export");
    }
}
