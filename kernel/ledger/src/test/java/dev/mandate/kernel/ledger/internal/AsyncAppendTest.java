package dev.mandate.kernel.ledger.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import dev.mandate.api.evidence.EvidenceRecord;
import dev.mandate.api.evidence.EvidenceUnavailableException;
import dev.mandate.api.evidence.VerificationResult;
import dev.mandate.kernel.jdbc.testing.TestDatabase;

import org.junit.jupiter.api.Test;

/** {@code appendAsync}: a stage that completes only after the commit holding its record, in call order. */
class AsyncAppendTest {
    private final TestDatabase database = TestDatabase.inMemory("ledger-" + UUID.randomUUID());

    @Test
    void manyRecordsInFlightFromOneThreadShareCommitsAndAreChainedInCallOrder() throws Exception {
        EvidenceLedgerImpl ledger = new EvidenceLedgerImpl(database, Clock.systemUTC());
        List<CompletableFuture<EvidenceRecord>> inFlight = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            inFlight.add(ledger.appendAsync("decision", i, Map.of("i", i)).toCompletableFuture());
        }
        List<EvidenceRecord> records = new ArrayList<>();
        for (CompletableFuture<EvidenceRecord> future : inFlight) {
            records.add(future.get(30, TimeUnit.SECONDS));
        }

        for (int i = 0; i < records.size(); i++) {
            assertThat(records.get(i).sequence()).isEqualTo(i + 1);
            assertThat(records.get(i).payload()).containsEntry("i", i);
        }
        assertThat(ledger.read(1, 10_000)).containsExactlyElementsOf(records);
        assertThat(ledger.commits()).as("transactions for 3000 records").isLessThan(3000);
        assertThat(ledger.verify()).isEqualTo(new VerificationResult(true, 3000, 0, null));
    }

    @Test
    void theStageCompletesOnlyOnceTheTransactionHoldingTheRecordHasCommitted() throws Exception {
        CountDownLatch commitMayFinish = new CountDownLatch(1);
        CountDownLatch committing = new CountDownLatch(1);
        AtomicBoolean hooked = new AtomicBoolean();
        EvidenceLedgerImpl ledger = new EvidenceLedgerImpl(CommitHook.around(database, () -> {
            if (hooked.get()) {
                committing.countDown();
                await(commitMayFinish);
            }
        }), Clock.systemUTC());
        assertThat(ledger.head()).isEmpty(); // the schema is in place before the hook holds commits
        hooked.set(true);

        CompletableFuture<EvidenceRecord> pending = ledger.appendAsync("decision", 1, Map.of("d", "d-1"))
                .toCompletableFuture();
        assertThat(committing.await(30, TimeUnit.SECONDS)).isTrue();
        // the writer is inside commit(): the record is not durable yet, so it is not acknowledged
        assertThat(pending).isNotDone();
        // a synchronous append meanwhile waits as well, and shares the writer's next commit
        CompletableFuture<EvidenceRecord> blocking = CompletableFuture.supplyAsync(
                () -> ledger.append("decision", 2, Map.of("d", "d-2")));
        commitMayFinish.countDown();

        assertThat(pending.get(30, TimeUnit.SECONDS).sequence()).isEqualTo(1);
        assertThat(blocking.get(30, TimeUnit.SECONDS).sequence()).isEqualTo(2);
        assertThat(ledger.verify().valid()).isTrue();
    }

    @Test
    void aRecordThatCannotBeMadeDurableFailsItsStageAndTheChainContinuesAfterwards() throws Exception {
        EvidenceLedgerImpl ledger = new EvidenceLedgerImpl(database, Clock.systemUTC());
        EvidenceRecord first = ledger.append("decision", 1, Map.of());

        database.goDown();
        CompletableFuture<EvidenceRecord> lost = ledger.appendAsync("decision", 2, Map.of("d", "lost"))
                .toCompletableFuture();
        assertThatThrownBy(() -> lost.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(EvidenceUnavailableException.class).hasMessageContaining("evidence");
        database.comeBack();

        EvidenceRecord next = ledger.appendAsync("decision", 3, Map.of("d", "after")).toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        assertThat(next.sequence()).isEqualTo(2);
        assertThat(next.previousHash()).isEqualTo(first.hash());
        assertThat(ledger.read(1, 10)).hasSize(2);
        assertThat(ledger.verify().valid()).isTrue();
    }

    @Test
    void actionsChainedToTheStageRunOutsideTheWriteLockAndMayAppendAgain() throws Exception {
        EvidenceLedgerImpl ledger = new EvidenceLedgerImpl(database, Clock.systemUTC());
        AtomicReference<EvidenceRecord> followUp = new AtomicReference<>();
        AtomicBoolean underLock = new AtomicBoolean(true);

        ledger.appendAsync("decision", 1, Map.of()).thenAccept(r -> {
            underLock.set(ledger.writeLockHeldByCurrentThread());
            followUp.set(ledger.append("enforcement", 1, Map.of("decision", r.sequence())));
        }).toCompletableFuture().get(30, TimeUnit.SECONDS);

        assertThat(underLock).isFalse();
        assertThat(followUp.get().sequence()).isEqualTo(2);
        TestDatabase.await(() -> ledger.verify().checked() == 2, Duration.ofSeconds(30), "two records verify");
    }

    @Test
    void aMissingTypeIsRefusedAtOnce() {
        EvidenceLedgerImpl ledger = new EvidenceLedgerImpl(database, Clock.systemUTC());

        assertThatThrownBy(() -> ledger.appendAsync(" ", 1, Map.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("evidence record type is missing");
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
