package dev.mandate.kernel.ledger.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mandate.api.evidence.EvidenceRecord;
import dev.mandate.api.evidence.VerificationResult;
import dev.mandate.kernel.ledger.verify.Checkpoint;
import dev.mandate.kernel.jdbc.testing.TestDatabase;

import org.junit.jupiter.api.Test;

class RetentionTest {
    private final TestDatabase database = TestDatabase.inMemory("ledger-" + UUID.randomUUID());
    private final SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void prunedRecordsLeaveASignedSummaryFromWhichTheRestStillVerifies() throws Exception {
        KeyPairSigner node = new KeyPairSigner("node-1");
        EvidenceLedgerImpl ledger = new EvidenceLedgerImpl(database, clock, node, 0, 1000);
        for (int i = 1; i <= 10; i++) {
            ledger.append("decision", i, Map.of("i", i));
        }
        clock.set(Instant.parse("2026-03-01T00:00:00Z"));
        for (int i = 11; i <= 15; i++) {
            ledger.append("decision", i, Map.of("i", i));
        }
        EvidenceRecord tenth = ledger.read(10, 1).get(0);

        EvidenceRecord summary = ledger.prune(Instant.parse("2026-02-01T00:00:00Z")).orElseThrow();

        assertThat(summary.type()).isEqualTo(Checkpoint.RETENTION_TYPE);
        assertThat(summary.sequence()).isEqualTo(16);
        assertThat(summary.payload()).containsEntry("fromSequence", 1).containsEntry("sequence", 10)
                .containsEntry("count", 10).containsEntry("hash", tenth.hash());
        assertThat(ledger.read(1, 100)).extracting(EvidenceRecord::sequence).containsExactly(11L, 12L, 13L, 14L, 15L, 16L);
        assertThat(ledger.verify()).isEqualTo(new VerificationResult(true, 6, 0, null));
        assertThat(new EvidenceLedgerImpl(database, clock, node, 0, 1000).verify().valid()).isTrue();
        assertThat(ledger.prune(Instant.parse("2026-02-01T00:00:00Z"))).isEmpty();
        ledger.append("decision", 16, Map.of("after", "pruning"));
        assertThat(ledger.verify().valid()).isTrue();

        // without the summary the kept records hang in the air
        database.execute("DELETE FROM mandate_evidence WHERE record_type = '" + Checkpoint.RETENTION_TYPE + "'");
        VerificationResult orphaned = new EvidenceLedgerImpl(database, clock, node, 0, 1000).verify();
        assertThat(orphaned.valid()).isFalse();
        assertThat(orphaned.problem()).isEqualTo("sequence gap: record 1 is missing (the next stored record is 11)");
    }

    @Test
    void aSummarySignedByAnotherKeyDoesNotVouchForThePrunedRecords() {
        EvidenceLedgerImpl ledger = new EvidenceLedgerImpl(database, clock, new KeyPairSigner("node-1"), 0, 1000);
        ledger.append("decision", 1, Map.of());
        clock.set(Instant.parse("2026-03-01T00:00:00Z"));
        ledger.append("decision", 2, Map.of());
        ledger.prune(Instant.parse("2026-02-01T00:00:00Z")).orElseThrow();

        VerificationResult result = new EvidenceLedgerImpl(database, clock, new KeyPairSigner("node-2"), 0, 1000).verify();

        assertThat(result.valid()).isFalse();
        assertThat(result.firstInvalid()).isEqualTo(1);
    }

    @Test
    void theNewestRecordIsNeverPrunedAndWithoutAKeyNothingIs() {
        EvidenceLedgerImpl unsigned = new EvidenceLedgerImpl(database, clock);
        unsigned.append("decision", 1, Map.of());
        assertThatThrownBy(() -> unsigned.prune(Instant.parse("2027-01-01T00:00:00Z")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("needs the node key");

        EvidenceLedgerImpl ledger = new EvidenceLedgerImpl(database, clock, new KeyPairSigner("node-1"), 0, 1000);
        assertThat(ledger.prune(Instant.parse("2027-01-01T00:00:00Z"))).isEmpty();
        assertThat(ledger.read(1, 10)).extracting(EvidenceRecord::sequence).isEqualTo(List.of(1L));
    }
}
