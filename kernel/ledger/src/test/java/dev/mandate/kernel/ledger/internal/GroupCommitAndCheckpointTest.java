package dev.mandate.kernel.ledger.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.mandate.api.evidence.EvidenceRecord;
import dev.mandate.api.evidence.VerificationResult;
import dev.mandate.kernel.ledger.verify.Checkpoint;
import dev.mandate.kernel.jdbc.testing.TestDatabase;

import org.junit.jupiter.api.Test;

class GroupCommitAndCheckpointTest {
    private final TestDatabase database = TestDatabase.inMemory("ledger-" + UUID.randomUUID());

    @Test
    void appendsFromManyThreadsShareCommitsAndEachReturnsItsOwnDurableRecord() throws Exception {
        EvidenceLedgerImpl ledger = new EvidenceLedgerImpl(database, Clock.systemUTC());
        int threads = 16;
        int each = 200;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<EvidenceRecord> returned = new ArrayList<>();
        try {
            List<Callable<List<EvidenceRecord>>> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int writer = t;
                writers.add(() -> {
                    List<EvidenceRecord> mine = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        EvidenceRecord record = ledger.append("decision", i, Map.of("writer", writer, "i", i));
                        assertThat(record.payload()).containsEntry("writer", writer).containsEntry("i", i);
                        mine.add(record);
                    }
                    return mine;
                });
            }
            for (Future<List<EvidenceRecord>> done : pool.invokeAll(writers)) {
                returned.addAll(done.get());
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(returned).extracting(EvidenceRecord::sequence).doesNotHaveDuplicates().hasSize(threads * each);
        assertThat(ledger.read(1, 10_000)).containsExactlyInAnyOrderElementsOf(returned);
        assertThat(ledger.commits()).as("transactions for %d records", threads * each).isLessThan(threads * each);
        assertThat(ledger.verify()).isEqualTo(new VerificationResult(true, threads * each, 0, null));
    }

    @Test
    void everyNRecordsACheckpointSignsTheRecordBeforeItWithTheNodeKey() {
        KeyPairSigner node = new KeyPairSigner("node-1");
        EvidenceLedgerImpl ledger = new EvidenceLedgerImpl(database, Clock.systemUTC(), node, 10, 1000);
        for (int i = 1; i <= 25; i++) {
            ledger.append("decision", i, Map.of("decisionId", "d-" + i));
        }

        List<EvidenceRecord> records = ledger.read(1, 100);
        List<EvidenceRecord> checkpoints = records.stream().filter(r -> r.type().equals(Checkpoint.TYPE)).toList();
        assertThat(checkpoints).extracting(EvidenceRecord::sequence).containsExactly(11L, 22L);
        for (EvidenceRecord checkpoint : checkpoints) {
            EvidenceRecord signed = records.get((int) checkpoint.sequence() - 2);
            assertThat(checkpoint.payload()).containsEntry("hash", signed.hash()).containsEntry("keyId", "node-1")
                    .containsEntry("algorithm", "Ed25519");
            assertThat(Checkpoint.verify(new CanonicalJson().write(checkpoint.payload()), signed.sequence(),
                    signed.hash(), List.of(node.publicKey()))).isTrue();
        }
        assertThat(ledger.verify()).isEqualTo(new VerificationResult(true, 27, 0, null));

        // a checkpoint forced by the timer covers what came after the last one, and nothing when nothing did
        assertThat(ledger.checkpoint()).get().extracting(EvidenceRecord::sequence).isEqualTo(28L);
        assertThat(ledger.checkpoint()).isEmpty();

        // the same chain checked with another node's key: the signatures do not hold
        EvidenceLedgerImpl elsewhere = new EvidenceLedgerImpl(database, Clock.systemUTC(), new KeyPairSigner("other"),
                10, 1000);
        VerificationResult foreign = elsewhere.verify();
        assertThat(foreign.valid()).isFalse();
        assertThat(foreign.firstInvalid()).isEqualTo(11);
        assertThat(foreign.problem()).startsWith("bad checkpoint: checkpoint 11 does not carry a good signature");
    }

    @Test
    void aNewLedgerCountsRecordsSinceTheLastCheckpointFromTheDatabase() {
        KeyPairSigner node = new KeyPairSigner("node-1");
        EvidenceLedgerImpl first = new EvidenceLedgerImpl(database, Clock.systemUTC(), node, 10, 1000);
        for (int i = 1; i <= 15; i++) {
            first.append("decision", i, Map.of("i", i));
        }

        EvidenceLedgerImpl restarted = new EvidenceLedgerImpl(database, Clock.systemUTC(), node, 10, 1000);
        for (int i = 1; i <= 6; i++) {
            restarted.append("decision", i, Map.of("i", i));
        }

        assertThat(restarted.read(1, 100)).filteredOn(r -> r.type().equals(Checkpoint.TYPE))
                .extracting(EvidenceRecord::sequence).containsExactly(11L, 22L);
    }
}
