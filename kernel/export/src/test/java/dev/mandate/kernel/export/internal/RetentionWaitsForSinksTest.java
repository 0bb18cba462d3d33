package dev.mandate.kernel.export.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;

import dev.mandate.api.evidence.EvidenceRecord;
import dev.mandate.api.evidence.EvidenceSink;
import dev.mandate.kernel.jdbc.testing.TestDatabase;
import dev.mandate.kernel.ledger.internal.EvidenceLedgerImpl;
import dev.mandate.kernel.ledger.internal.KeyPairSigner;
import dev.mandate.kernel.ledger.internal.SettableClock;
import dev.mandate.kernel.ledger.verify.Checkpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention on a real ledger (H2, signed by an Ed25519 node key) with the exporter holding it back:
 * nothing a bound sink has not acknowledged is pruned; once the sink has caught up, pruning proceeds.
 */
class RetentionWaitsForSinksTest {
    private static final Instant OLD = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant NEW = Instant.parse("2026-03-01T00:00:00Z");
    private static final Instant CUTOFF = Instant.parse("2026-02-01T00:00:00Z");

    @TempDir
    Path state;

    private final SettableClock clock = new SettableClock(OLD);
    private final EvidenceLedgerImpl ledger = new EvidenceLedgerImpl(
            TestDatabase.inMemory("retention-" + UUID.randomUUID()), clock, new KeyPairSigner("node-1"), 0, 1000);

    @Test
    void aSinkThatIsDownHoldsRetentionBackUntilItHasCaughtUp() {
        for (int i = 1; i <= 20; i++) {
            ledger.append("decision", i, Map.of("i", i));
        }
        clock.set(NEW);
        ledger.append("decision", 21, Map.of("i", 21));
        RationedSink siem = new RationedSink("siem");
        EvidenceExporter exporter = new EvidenceExporter(ledger, state, 8, Executors.newSingleThreadScheduledExecutor());
        exporter.bindSink(siem);
        ledger.bindHold(exporter);

        exporter.exportAll();
        assertThat(siem.received).isEmpty();
        assertThat(ledger.prune(CUTOFF)).as("the sink has acknowledged nothing").isEmpty();
        assertThat(ledger.read(1, 1)).extracting(EvidenceRecord::sequence).containsExactly(1L);

        siem.batches = 1; // back for one batch, then down again
        exporter.exportAll();
        assertThat(siem.received).extracting(EvidenceRecord::sequence).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);

        EvidenceRecord partial = ledger.prune(CUTOFF).orElseThrow();
        assertThat(partial.type()).isEqualTo(Checkpoint.RETENTION_TYPE);
        assertThat(partial.payload()).containsEntry("fromSequence", 1).containsEntry("sequence", 8)
                .containsEntry("count", 8);
        assertThat(ledger.read(1, 1)).extracting(EvidenceRecord::sequence).containsExactly(9L);
        assertThat(ledger.verify().valid()).isTrue();

        siem.batches = Integer.MAX_VALUE;
        exporter.exportAll();
        assertThat(siem.received).extracting(EvidenceRecord::sequence).startsWith(1L, 2L).endsWith(21L, 22L)
                .hasSize(22).doesNotHaveDuplicates();

        EvidenceRecord rest = ledger.prune(CUTOFF).orElseThrow();
        assertThat(rest.payload()).containsEntry("fromSequence", 9).containsEntry("sequence", 20)
                .containsEntry("count", 12);
        assertThat(ledger.read(1, 100)).extracting(EvidenceRecord::sequence).containsExactly(21L, 22L, 23L);
        assertThat(ledger.verify().valid()).isTrue();
    }

    @Test
    void anUnboundSinkNoLongerHoldsAnythingBack() {
        ledger.append("decision", 1, Map.of());
        ledger.append("decision", 2, Map.of());
        clock.set(NEW);
        ledger.append("decision", 3, Map.of());
        RationedSink gone = new RationedSink("gone");
        EvidenceExporter exporter = new EvidenceExporter(ledger, state, 8, Executors.newSingleThreadScheduledExecutor());
        exporter.bindSink(gone);
        ledger.bindHold(exporter);
        assertThat(exporter.keepFrom()).isEqualTo(1);
        assertThat(ledger.prune(CUTOFF)).isEmpty();

        exporter.unbindSink(gone);

        assertThat(exporter.keepFrom()).isEqualTo(Long.MAX_VALUE);
        assertThat(ledger.prune(CUTOFF).orElseThrow().payload()).containsEntry("count", 2);
    }

    /** Takes as many batches as it is allowed, then is down. */
    static final class RationedSink implements EvidenceSink {
        final String name;
        int batches;
        final List<EvidenceRecord> received = new ArrayList<>();

        RationedSink(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void export(List<EvidenceRecord> records) throws Exception {
            if (batches == 0) {
                throw new java.io.IOException("sink is down");
            }
            batches--;
            received.addAll(records);
        }
    }
}
