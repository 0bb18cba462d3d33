package dev.mandate.benchmarks.reconciliation;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import dev.mandate.api.evidence.EvidenceLedger;
import dev.mandate.api.evidence.EvidenceRecord;
import dev.mandate.api.evidence.VerificationResult;

/**
 * A ledger double for the drift benchmark: appends are counted, not kept (the durable ledger's cost is
 * measured by its own benchmarks), and reading finds nothing (no grants, no findings to restore).
 */
final class CountingLedger implements EvidenceLedger {
    final AtomicLong appended = new AtomicLong();

    @Override
    public EvidenceRecord append(String type, long modelRevision, Map<String, Object> payload) {
        long sequence = appended.incrementAndGet();
        return new EvidenceRecord(sequence, type, Instant.now(), modelRevision, payload, "sha256:0", "sha256:0");
    }

    @Override
    public List<EvidenceRecord> read(long from, int limit) {
        return List.of();
    }

    @Override
    public Optional<EvidenceRecord> head() {
        return Optional.empty();
    }

    @Override
    public VerificationResult verify() {
        throw new UnsupportedOperationException("the drift benchmark never verifies the ledger");
    }
}
