package dev.mandate.kernel.ledger.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.mandate.api.evidence.EvidenceRecord;
import dev.mandate.api.evidence.EvidenceUnavailableException;
import dev.mandate.api.evidence.VerificationResult;
import dev.mandate.kernel.ledger.verify.ChainRecord;
import dev.mandate.kernel.jdbc.testing.TestDatabase;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvidenceLedgerImplTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T04:30:15.123456Z"), ZoneOffset.UTC);

    private final TestDatabase database = TestDatabase.inMemory("ledger-" + UUID.randomUUID());

    private static EvidenceLedgerImpl fill(EvidenceLedgerImpl ledger, int count) {
        for (int i = 1; i <= count; i++) {
            ledger.append("decision", 100 + i, Map.of("decisionId", "d-" + i, "outcome", i % 2 == 0 ? "ALLOW" : "DENY"));
        }
        return ledger;
    }

    @Test
    void aChainOfRecordsLinksEachToTheOneBeforeAndVerifies() {
        EvidenceLedgerImpl ledger = fill(new EvidenceLedgerImpl(database, CLOCK), 30);

        List<EvidenceRecord> records = ledger.read(1, 100);
        assertThat(records).hasSize(30);
        assertThat(records.get(0).sequence()).isEqualTo(1);
        assertThat(records.get(0).previousHash()).isEqualTo("sha256:" + "0".repeat(64));
        for (int i = 1; i < records.size(); i++) {
            assertThat(records.get(i).sequence()).isEqualTo(i + 1);
            assertThat(records.get(i).previousHash()).isEqualTo(records.get(i - 1).hash());
        }
        assertThat(records).extracting(EvidenceRecord::hash).doesNotHaveDuplicates();
        assertThat(ledger.head()).contains(records.get(29));
        assertThat(ledger.read(29, 10)).extracting(EvidenceRecord::sequence).containsExactly(29L, 30L);
        assertThat(ledger.verify()).isEqualTo(new VerificationResult(true, 30, 0, null));
    }

    @Test
    void theHashIsTheSha256OfTheCanonicalJsonOfTheRecordWithoutItsHash() throws Exception {
        EvidenceLedgerImpl ledger = new EvidenceLedgerImpl(database, CLOCK);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("zeta", List.of(1, 2));
        payload.put("alpha", Map.of("b", true, "a", "ü \"quoted\""));

        EvidenceRecord record = ledger.append("connector.run", 42, payload);

        Map<String, Object> withoutHash = new LinkedHashMap<>();
        withoutHash.put("type", "connector.run");
        withoutHash.put("sequence", 1);
        withoutHash.put("timestamp", "2026-11-26T04:30:15.123Z");
        withoutHash.put("previousHash", "sha256:" + "0".repeat(64));
        withoutHash.put("payload", payload);
        withoutHash.put("modelRevision", 42);
        String canonical = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .writeValueAsString(withoutHash);
        assertThat(canonical).startsWith("{\"modelRevision\":42,\"payload\":{\"alpha\":{\"a\"");
        String expected = "sha256:" + HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
        assertThat(record.hash()).isEqualTo(expected);
        assertThat(record.timestamp()).isEqualTo(Instant.parse("2026-11-26T04:30:15.123Z"));
        assertThat(ledger.read(1, 1).get(0)).isEqualTo(record);
    }

    @Test
    void aPayloadChangedInTheDatabaseIsFoundAtItsSequence() throws Exception {
        EvidenceLedgerImpl ledger = fill(new EvidenceLedgerImpl(database, CLOCK), 10);

        database.execute("UPDATE mandate_evidence SET payload = '{\"decisionId\":\"d-7\",\"outcome\":\"ALLOW\"}'"
                + " WHERE seq = 7");

        VerificationResult result = ledger.verify();
        assertThat(result.valid()).isFalse();
        assertThat(result.firstInvalid()).isEqualTo(7);
        assertThat(result.problem()).startsWith("hash mismatch");
        assertThat(result.checked()).isEqualTo(7);
    }

    @Test
    void aRecordRehashedAfterTamperingBreaksTheLinkOfTheNext() throws Exception {
        EvidenceLedgerImpl ledger = fill(new EvidenceLedgerImpl(database, CLOCK), 10);

        database.execute("UPDATE mandate_evidence SET record_hash = 'sha256:" + "f".repeat(64) + "' WHERE seq = 4");

        VerificationResult result = ledger.verify();
        assertThat(result.valid()).isFalse();
        assertThat(result.firstInvalid()).isEqualTo(4);
        assertThat(result.problem()).startsWith("hash mismatch");

        // a forger who also fixes the hash of record 4 is caught by the link from record 5
        EvidenceRecord four = ledger.read(4, 1).get(0);
        String forgedPayload = "{\"decisionId\":\"d-4\",\"forged\":true,\"outcome\":\"DENY\"}";
        String forgedHash = new ChainRecord(4, four.type(), ChainRecord.timestamp(four.timestamp()),
                four.modelRevision(), forgedPayload, four.previousHash(), "").computeHash();
        database.execute("UPDATE mandate_evidence SET payload = '" + forgedPayload + "', record_hash = '" + forgedHash
                + "' WHERE seq = 4");
        VerificationResult forged = ledger.verify();
        assertThat(forged.firstInvalid()).isEqualTo(5);
        assertThat(forged.problem()).startsWith("broken link");
    }

    /** Verification reads pages of 5,000 and checks one while hashing the next: problems are found on either side. */
    @Test
    void aChainOfSeveralPagesIsCheckedAcrossItsPageBoundaries() throws Exception {
        EvidenceLedgerImpl ledger = fill(new EvidenceLedgerImpl(database, CLOCK), 12_001);
        assertThat(ledger.verify()).isEqualTo(new VerificationResult(true, 12_001, 0, null));

        database.execute("UPDATE mandate_evidence SET payload = '{\"decisionId\":\"forged\"}' WHERE seq = 10001");
        VerificationResult changed = ledger.verify();
        assertThat(changed.firstInvalid()).isEqualTo(10_001);
        assertThat(changed.checked()).isEqualTo(10_001);
        assertThat(changed.problem()).startsWith("hash mismatch");

        database.execute("DELETE FROM mandate_evidence WHERE seq = 5000");
        VerificationResult removed = ledger.verify();
        assertThat(removed.firstInvalid()).isEqualTo(5_000);
        assertThat(removed.checked()).isEqualTo(4_999);
        assertThat(removed.problem()).isEqualTo("sequence gap: record 5000 is missing (the next stored record is 5001)");
    }

    @Test
    void aDeletedRecordIsFoundAsAGap() throws Exception {
        EvidenceLedgerImpl ledger = fill(new EvidenceLedgerImpl(database, CLOCK), 10);

        database.execute("DELETE FROM mandate_evidence WHERE seq = 5");

        VerificationResult result = new EvidenceLedgerImpl(database, CLOCK).verify();
        assertThat(result.valid()).isFalse();
        assertThat(result.firstInvalid()).isEqualTo(5);
        assertThat(result.problem()).isEqualTo("sequence gap: record 5 is missing (the next stored record is 6)");
        assertThat(result.checked()).isEqualTo(4);
    }

    @Test
    void recordsDeletedFromTheEndAreFoundByTheLedgerThatAppendedThem() throws Exception {
        EvidenceLedgerImpl ledger = fill(new EvidenceLedgerImpl(database, CLOCK), 10);

        database.execute("DELETE FROM mandate_evidence WHERE seq > 8");

        VerificationResult result = ledger.verify();
        assertThat(result.valid()).isFalse();
        assertThat(result.firstInvalid()).isEqualTo(9);
        assertThat(result.problem()).startsWith("sequence gap");
    }

    @Test
    void whenTheDatabaseIsDownNothingIsAppendedAndTheChainContinuesAfterwards() {
        EvidenceLedgerImpl ledger = fill(new EvidenceLedgerImpl(database, CLOCK), 3);
        EvidenceRecord head = ledger.head().orElseThrow();

        database.goDown();
        assertThatThrownBy(() -> ledger.append("decision", 1, Map.of())).isInstanceOf(EvidenceUnavailableException.class)
                .hasMessageContaining("evidence");
        assertThatThrownBy(ledger::verify).isInstanceOf(EvidenceUnavailableException.class);
        database.comeBack();

        assertThat(ledger.head()).contains(head);
        EvidenceRecord next = ledger.append("decision", 1, Map.of("after", "outage"));
        assertThat(next.sequence()).isEqualTo(4);
        assertThat(next.previousHash()).isEqualTo(head.hash());
        assertThat(ledger.verify().valid()).isTrue();
    }

    @Test
    void aFailedInsertLeavesTheHeadWhereTheDatabaseHasIt() throws Exception {
        EvidenceLedgerImpl ledger = fill(new EvidenceLedgerImpl(database, CLOCK), 3);
        // another writer took sequence 4 behind this ledger's back: the insert fails on the key
        EvidenceLedgerImpl other = new EvidenceLedgerImpl(database, CLOCK);
        other.append("decision", 9, Map.of("from", "other node"));

        assertThatThrownBy(() -> ledger.append("decision", 1, Map.of())).isInstanceOf(EvidenceUnavailableException.class);

        assertThat(ledger.append("decision", 1, Map.of()).sequence()).isEqualTo(5);
        assertThat(ledger.verify().valid()).isTrue();
    }

    @Test
    void theLedgerNeedsNoDatabaseUntilItIsUsed() {
        database.goDown();

        EvidenceLedgerImpl ledger = new EvidenceLedgerImpl(database, CLOCK);

        assertThatThrownBy(ledger::head).isInstanceOf(EvidenceUnavailableException.class);
        database.comeBack();
        assertThat(ledger.head()).isEmpty();
        assertThat(ledger.verify()).isEqualTo(new VerificationResult(true, 0, 0, null));
    }

    @Test
    void aNewLedgerOverTheSameDatabaseContinuesTheChain(@TempDir Path folder) {
        String url = "jdbc:h2:file:" + folder.resolve("ledger").toAbsolutePath();
        EvidenceRecord last = fill(new EvidenceLedgerImpl(new TestDatabase(url), CLOCK), 5).head().orElseThrow();

        EvidenceLedgerImpl reopened = new EvidenceLedgerImpl(new TestDatabase(url), CLOCK);
        EvidenceRecord next = reopened.append("blueprint.loaded", 6, Map.of("name", "prod-data-store"));

        assertThat(next.sequence()).isEqualTo(6);
        assertThat(next.previousHash()).isEqualTo(last.hash());
        assertThat(reopened.verify()).isEqualTo(new VerificationResult(true, 6, 0, null));
    }

    @Test
    void concurrentAppendsMakeOneLinearChain() throws Exception {
        EvidenceLedgerImpl ledger = new EvidenceLedgerImpl(database, Clock.systemUTC());
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Void>> writers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int writer = t;
                writers.add(() -> {
                    for (int i = 0; i < 25; i++) {
                        ledger.append("decision", i, Map.of("writer", writer, "i", i));
                    }
                    return null;
                });
            }
            for (Future<Void> done : threads.invokeAll(writers)) {
                done.get();
            }
        } finally {
            threads.shutdownNow();
        }

        assertThat(ledger.head().orElseThrow().sequence()).isEqualTo(100);
        assertThat(ledger.verify()).isEqualTo(new VerificationResult(true, 100, 0, null));
    }

    @Test
    void aPayloadThatIsNotJsonIsRefusedBeforeAnythingIsWritten() {
        EvidenceLedgerImpl ledger = new EvidenceLedgerImpl(database, CLOCK);

        assertThatThrownBy(() -> ledger.append("decision", 1, Map.of("self", new Object() {
            public Object getSelf() {
                return this;
            }
        }))).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("evidence payload is not representable");
        assertThatThrownBy(() -> ledger.append(" ", 1, Map.of())).isInstanceOf(IllegalArgumentException.class);
        assertThat(ledger.head()).isEmpty();
    }
}
