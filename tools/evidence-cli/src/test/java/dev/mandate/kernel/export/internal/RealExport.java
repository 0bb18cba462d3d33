package dev.mandate.kernel.export.internal;

import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import dev.mandate.api.evidence.EvidenceLedger;

/** Exports a ledger to a JSON Lines file through the kernel's own exporter and file sink. */
public final class RealExport {
    private RealExport() {
    }

    /** One export round of {@code ledger} to {@code file}, in batches of {@code batchSize}. */
    public static void toFile(EvidenceLedger ledger, Path file, Path stateFolder, int batchSize) {
        ScheduledExecutorService unused = Executors.newSingleThreadScheduledExecutor();
        EvidenceExporter exporter = new EvidenceExporter(ledger, stateFolder, batchSize, unused);
        try {
            exporter.bindSink(new FileSink("file", file));
            exporter.exportAll();
            if (exporter.states().get(0).lastError() != null) {
                throw new IllegalStateException("export failed: " + exporter.states().get(0).lastError());
            }
        } finally {
            exporter.deactivate();
        }
    }
}
