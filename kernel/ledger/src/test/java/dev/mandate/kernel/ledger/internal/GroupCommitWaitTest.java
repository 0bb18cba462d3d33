package dev.mandate.kernel.ledger.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.mandate.api.evidence.EvidenceRecord;
import dev.mandate.api.evidence.EvidenceUnavailableException;
import dev.mandate.kernel.jdbc.testing.TestDatabase;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Group commits that wait for their group to fill ({@link GroupFill}): once callers were seen arriving
 * together, the next group is written when it is full, when arrivals stop, or at the longest wait; a
 * lone caller is not held back; nobody is answered before the commit holding their record.
 */
class GroupCommitWaitTest {
    private static final long LONG = TimeUnit.SECONDS.toMicros(60);

    private final TestDatabase database = TestDatabase.inMemory("ledger-" + UUID.randomUUID());
    private final AtomicBoolean holdNextCommit = new AtomicBoolean();
    private final CountDownLatch committing = new CountDownLatch(1);
    private final CountDownLatch commitMayFinish = new CountDownLatch(1);
    private final ExecutorService callers = Executors.newCachedThreadPool();

    @AfterEach
    void stopCallers() {
        callers.shutdownNow();
    }

    @Test
    void recordsArrivingTogetherWaitForTheGroupToFillAndShareOneCommit() throws Exception {
        EvidenceLedgerImpl ledger = ledger(new GroupFill(LONG, LONG, 3));
        CompletableFuture<EvidenceRecord> second = arriveTogether(ledger);

        CompletableFuture<EvidenceRecord> third = ledger.appendAsync("decision", 3, Map.of("d", 3)).toCompletableFuture();
        // without the wait, the second record would be committed on its own within milliseconds
        assertStillWaiting(second, "the second record, while its group is not full");
        CompletableFuture<EvidenceRecord> fourth = ledger.appendAsync("decision", 4, Map.of("d", 4)).toCompletableFuture();

        assertThat(List.of(second.get(30, TimeUnit.SECONDS), third.get(30, TimeUnit.SECONDS),
                fourth.get(30, TimeUnit.SECONDS))).extracting(EvidenceRecord::sequence).containsExactly(2L, 3L, 4L);
        assertThat(ledger.commits()).as("the first record's commit, then one for the group of three").isEqualTo(2);
        assertThat(ledger.verify().valid()).isTrue();
    }

    @Test
    void blockingCallersArrivingTogetherShareOneCommitAndReturnOnlyAfterIt() throws Exception {
        EvidenceLedgerImpl ledger = ledger(new GroupFill(LONG, LONG, 3));
        holdNextCommit.set(true);
        CompletableFuture<EvidenceRecord> first = blocking(ledger, 1);
        assertThat(committing.await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<EvidenceRecord> second = blocking(ledger, 2);
        // the second caller queues its record while the first one's commit is held
        TestDatabase.await(() -> ledger.queued() == 1, Duration.ofSeconds(30), "the second caller's record is queued");
        commitMayFinish.countDown();
        assertThat(first.get(30, TimeUnit.SECONDS).sequence()).isEqualTo(1);

        CompletableFuture<EvidenceRecord> third = blocking(ledger, 3);
        assertStillWaiting(second, "a blocking caller whose group is not full yet");
        assertStillWaiting(third, "a blocking caller whose group is not full yet");
        CompletableFuture<EvidenceRecord> fourth = blocking(ledger, 4);

        assertThat(List.of(second.get(30, TimeUnit.SECONDS), third.get(30, TimeUnit.SECONDS),
                fourth.get(30, TimeUnit.SECONDS))).extracting(EvidenceRecord::sequence)
                .containsExactlyInAnyOrder(2L, 3L, 4L);
        assertThat(ledger.commits()).isEqualTo(2);
        assertThat(ledger.verify().valid()).isTrue();
    }

    @Test
    void aWaitingGroupIsWrittenOnceNoRecordHasArrivedForTheQuietGap() throws Exception {
        EvidenceLedgerImpl ledger = ledger(new GroupFill(LONG, TimeUnit.MILLISECONDS.toMicros(200), 100));
        CompletableFuture<EvidenceRecord> second = arriveTogether(ledger);

        assertThat(second.get(30, TimeUnit.SECONDS).sequence()).isEqualTo(2);
        assertThat(ledger.commits()).isEqualTo(2);
    }

    @Test
    void aWaitingGroupIsWrittenAtTheLongestWaitEvenWhileRecordsKeepArriving() throws Exception {
        EvidenceLedgerImpl ledger = ledger(new GroupFill(TimeUnit.MILLISECONDS.toMicros(500), LONG, 1000));
        CompletableFuture<EvidenceRecord> second = arriveTogether(ledger);
        long start = System.nanoTime();
        int arrived = 0;
        // a record every 20 ms, each arrival resetting the (60 s) quiet gap, until the group is written
        EvidenceRecord written = null;
        while (written == null && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30)) {
            ledger.appendAsync("decision", 10 + arrived, Map.of("d", arrived++));
            try {
                written = second.get(20, TimeUnit.MILLISECONDS);
            } catch (TimeoutException stillWaiting) {
                // the next arrival
            }
        }

        assertThat(written).as("the group, written at the longest wait").isNotNull();
        assertThat(written.sequence()).isEqualTo(2);
        assertThat(arrived).as("records that arrived while the group waited").isGreaterThan(1);
    }

    @Test
    void aLoneCallerIsNotHeldBack() {
        EvidenceLedgerImpl ledger = ledger(new GroupFill(LONG, LONG, 16));

        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            for (int i = 1; i <= 5; i++) {
                assertThat(ledger.append("decision", i, Map.of("d", i)).sequence()).isEqualTo(i);
            }
        });
        assertThat(ledger.commits()).isEqualTo(5);
    }

    @Test
    void aGroupThatCannotBeWrittenFailsEveryRecordInItAndTheChainGoesOnAfterwards() throws Exception {
        EvidenceLedgerImpl ledger = ledger(new GroupFill(LONG, LONG, 3));
        CompletableFuture<EvidenceRecord> second = arriveTogether(ledger);
        database.goDown();
        CompletableFuture<EvidenceRecord> third = ledger.appendAsync("decision", 3, Map.of("d", 3)).toCompletableFuture();
        CompletableFuture<EvidenceRecord> fourth = blocking(ledger, 4);

        for (CompletableFuture<EvidenceRecord> lost : List.of(second, third, fourth)) {
            assertThatThrownBy(() -> lost.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(EvidenceUnavailableException.class);
        }
        database.comeBack();
        // the failed group held three records, so the next group waits to fill as well
        List<CompletableFuture<EvidenceRecord>> next = List.of(
                ledger.appendAsync("decision", 5, Map.of("d", 5)).toCompletableFuture(),
                ledger.appendAsync("decision", 6, Map.of("d", 6)).toCompletableFuture(), blocking(ledger, 7));
        for (CompletableFuture<EvidenceRecord> kept : next) {
            assertThat(kept.get(30, TimeUnit.SECONDS).sequence()).isBetween(2L, 4L);
        }
        assertThat(ledger.read(1, 10)).hasSize(4);
        assertThat(ledger.verify().valid()).isTrue();
    }

    private EvidenceLedgerImpl ledger(GroupFill fill) {
        EvidenceLedgerImpl ledger = new EvidenceLedgerImpl(CommitHook.around(database, () -> {
            if (holdNextCommit.compareAndSet(true, false)) {
                committing.countDown();
                await(commitMayFinish);
            }
        }), Clock.systemUTC(), null, 0, 1000, fill);
        assertThat(ledger.head()).isEmpty(); // the schema is in place before commits are held
        return ledger;
    }

    /**
     * A second record queued while the first is being committed, so callers were seen arriving
     * together: returns the second record's stage, whose group is now waiting to fill.
     */
    private CompletableFuture<EvidenceRecord> arriveTogether(EvidenceLedgerImpl ledger) throws Exception {
        holdNextCommit.set(true);
        CompletableFuture<EvidenceRecord> first = ledger.appendAsync("decision", 1, Map.of("d", 1)).toCompletableFuture();
        assertThat(committing.await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<EvidenceRecord> second = ledger.appendAsync("decision", 2, Map.of("d", 2)).toCompletableFuture();
        commitMayFinish.countDown();
        assertThat(first.get(30, TimeUnit.SECONDS).sequence()).isEqualTo(1);
        return second;
    }

    /** A stage that must not complete yet: waits on it for 300 ms and fails if it completes meanwhile. */
    private static void assertStillWaiting(CompletableFuture<EvidenceRecord> stage, String what) {
        assertThatThrownBy(() -> stage.get(300, TimeUnit.MILLISECONDS)).as(what).isInstanceOf(TimeoutException.class);
    }

    private CompletableFuture<EvidenceRecord> blocking(EvidenceLedgerImpl ledger, int i) {
        return CompletableFuture.supplyAsync(() -> ledger.append("decision", i, Map.of("d", i)), callers);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
