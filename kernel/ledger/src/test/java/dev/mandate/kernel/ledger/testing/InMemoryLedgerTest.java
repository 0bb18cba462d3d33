package dev.mandate.kernel.ledger.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import dev.mandate.api.evidence.EvidenceLedger;
import dev.mandate.api.evidence.EvidenceRecord;
import dev.mandate.api.evidence.EvidenceUnavailableException;
import dev.mandate.api.evidence.VerificationResult;
import dev.mandate.kernel.jdbc.testing.TestDatabase;
import dev.mandate.kernel.ledger.internal.EvidenceLedgerImpl;

import org.junit.jupiter.api.Test;

/** The in-memory double against the real ledger: the same chain, a verify that finds changes, failures on demand. */
class InMemoryLedgerTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T04:30:15.123456Z"), ZoneOffset.UTC);

    private final InMemoryLedger ledger = new InMemoryLedger(CLOCK);

    private static void fill(EvidenceLedger ledger) {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("zeta", List.of(1, 2.5, "ü \"quoted\""));
        nested.put("alpha", Map.of("b", true, "a", 7L));
        ledger.append("decision", 101, Map.of("decisionId", "d-1", "outcome", "DENY"));
        ledger.append("connector.run", 102, nested);
        ledger.append("decision", 103, Map.of("day", LocalDate.of(2026, 11, 26), "empty", Map.of()));
    }

    @Test
    void theChainIsTheOneTheRealLedgerWritesForTheSameRecords() {
        EvidenceLedgerImpl real = new EvidenceLedgerImpl(TestDatabase.inMemory("in-memory-" + UUID.randomUUID()), CLOCK);
        fill(real);
        fill(ledger);

        assertThat(ledger.read(1, 10)).extracting(EvidenceRecord::sequence, EvidenceRecord::timestamp,
                EvidenceRecord::previousHash, EvidenceRecord::hash)
                .containsExactlyElementsOf(real.read(1, 10).stream()
                        .map(r -> org.assertj.core.groups.Tuple.tuple(r.sequence(), r.timestamp(), r.previousHash(),
                                r.hash()))
                        .toList());
        assertThat(ledger.records().get(2).payload()).as("a payload that is no json tree is stored as json")
                .containsEntry("day", "2026-11-26");
        assertThat(ledger.verify()).isEqualTo(new VerificationResult(true, 3, 0, null));
        assertThat(ledger.head()).contains(ledger.records().get(2));
        assertThat(ledger.read(2, 1)).extracting(EvidenceRecord::sequence).containsExactly(2L);
        assertThat(ledger.read(4, 10)).isEmpty();
    }

    @Test
    void verifyFindsARecordChangedBehindTheChainsBack() {
        fill(ledger);

        ledger.tamper(2, Map.of("zeta", "rewritten"));

        VerificationResult result = ledger.verify();
        assertThat(result.valid()).isFalse();
        assertThat(result.firstInvalid()).isEqualTo(2);
        assertThat(result.checked()).isEqualTo(2);
        assertThat(result.problem()).contains("2");
    }

    @Test
    void aLedgerThatIsDownAppendsNothingUntilItIsBack() {
        ledger.append("decision", 1, Map.of());
        ledger.goDown();

        assertThatThrownBy(() -> ledger.append("decision", 2, Map.of())).isInstanceOf(EvidenceUnavailableException.class);
        CompletableFuture<EvidenceRecord> async = ledger.appendAsync("decision", 3, Map.of()).toCompletableFuture();
        assertThatThrownBy(async::join).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(EvidenceUnavailableException.class);
        assertThat(ledger.records()).hasSize(1);

        ledger.comeBack();
        EvidenceRecord next = ledger.append("decision", 4, Map.of());
        assertThat(next.sequence()).isEqualTo(2);
        assertThat(next.previousHash()).isEqualTo(ledger.records().get(0).hash());
        assertThat(ledger.verify().valid()).isTrue();
    }

    @Test
    void heldAsynchronousAppendsAreCommittedWithTheNextBlockingAppendAsOneGroup() {
        ledger.holdAsyncAppends();
        CompletableFuture<EvidenceRecord> first = ledger.appendAsync("decision", 1, Map.of("n", 1)).toCompletableFuture();
        CompletableFuture<EvidenceRecord> second = ledger.appendAsync("decision", 1, Map.of("n", 2)).toCompletableFuture();
        assertThat(first).isNotDone();
        assertThat(ledger.records()).isEmpty();

        EvidenceRecord blocking = ledger.append("approval.opened", 1, Map.of("n", 3));

        assertThat(ledger.commits()).singleElement().satisfies(group -> assertThat(group)
                .extracting(EvidenceRecord::sequence).containsExactly(1L, 2L, 3L));
        assertThat(first.join().sequence()).isEqualTo(1);
        assertThat(second.join().payload()).containsEntry("n", 2);
        assertThat(blocking.sequence()).isEqualTo(3);

        CompletableFuture<EvidenceRecord> lone = ledger.appendAsync("decision", 1, Map.of()).toCompletableFuture();
        ledger.goDown();
        ledger.commitHeld();
        assertThat(lone).isCompletedExceptionally();
        assertThat(ledger.records()).hasSize(3);
    }

    @Test
    void aRecordWithoutATypeIsRefusedAtOnce() {
        ledger.holdAsyncAppends();
        assertThatThrownBy(() -> ledger.appendAsync(" ", 1, Map.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("evidence record type is missing");
        assertThat(ledger.commits()).isEmpty();
    }
}
