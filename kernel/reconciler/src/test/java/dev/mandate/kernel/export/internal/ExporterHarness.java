package dev.mandate.kernel.export.internal;

import java.nio.file.Path;
import java.util.concurrent.Executors;

import dev.mandate.api.evidence.EvidenceLedger;
import dev.mandate.api.evidence.EvidenceSink;

/**
 * The real evidence exporter of {@code dev.mandate.kernel.export}, driven round by round (its
 * package-private test entry points, so the Camel sink is tested against the cursor handling that runs
 * it in Karaf, not against a copy of it).
 */
public final class ExporterHarness {
    private final EvidenceExporter exporter;

    public ExporterHarness(EvidenceLedger ledger, Path stateFolder, int batchSize) {
        exporter = new EvidenceExporter(ledger, stateFolder, batchSize, Executors.newSingleThreadScheduledExecutor());
    }

    public void bind(EvidenceSink sink) {
        exporter.bindSink(sink);
    }

    /** One export round; returns the sink's last error, or {@code null}. */
    public String round(String sink) {
        exporter.exportAll();
        return exporter.states().stream().filter(state -> state.sink().equals(sink)).findFirst()
                .map(SinkState::lastError).orElse(null);
    }

    public void close() {
        exporter.deactivate();
    }
}
