package dev.mandate.kernel.ledger.testing;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.mandate.api.evidence.EvidenceLedger;
import dev.mandate.api.evidence.EvidenceRecord;
import dev.mandate.api.evidence.EvidenceUnavailableException;
import dev.mandate.api.evidence.VerificationResult;
import dev.mandate.kernel.ledger.internal.CanonicalJson;
import dev.mandate.kernel.ledger.verify.ChainRecord;
import dev.mandate.kernel.ledger.verify.ChainVerifier;
import dev.mandate.kernel.ledger.verify.Finding;

/**
 * An evidence ledger in memory, for tests of what appends, reads and exports evidence without a
 * database. Records are chained as the real ledger chains them: the payload stored as its RFC 8785
 * text, the hash and the link taken by {@link ChainRecord}, and {@link #verify()} checks the chain with
 * the same {@link ChainVerifier} (a record changed by {@link #tamper} is found). Not durable; the real
 * ledger and its group commit are tested in this module. Thread-safe.
 *
 * <p>For the cases a test needs: {@link #goDown()} makes appends fail as the real ledger fails when its
 * database is down (nothing is appended); {@link #holdAsyncAppends()} keeps {@link #appendAsync}'s
 * records queued until the next blocking {@link #append} or {@link #commitHeld()}, which commits them
 * with it as one group, as the real ledger's group commit may.
 */
public final class InMemoryLedger implements EvidenceLedger {
    private final Clock clock;
    private final CanonicalJson json = new CanonicalJson();
    private final List<ChainRecord> chain = new ArrayList<>();
    private final List<EvidenceRecord> records = new ArrayList<>();
    private final List<List<EvidenceRecord>> commits = new ArrayList<>();
    private final List<Queued> held = new ArrayList<>();
    private boolean down;
    private boolean holding;

    /** A record waiting for its commit: its canonical payload and, for an asynchronous append, its stage. */
    private record Queued(String type, long modelRevision, String payloadJson, Map<String, Object> tree,
            CompletableFuture<EvidenceRecord> stage) {
    }

    /** A ledger whose records are stamped by the system clock. */
    public InMemoryLedger() {
        this(Clock.systemUTC());
    }

    /** A ledger whose records are stamped by {@code clock} (to the millisecond, as stored). */
    public InMemoryLedger(Clock clock) {
        this.clock = clock;
    }

    /** Appends fail with {@link EvidenceUnavailableException} from now on, held ones included. */
    public synchronized void goDown() {
        down = true;
    }

    /** Appends succeed again. */
    public synchronized void comeBack() {
        down = false;
    }

    /** {@link #appendAsync} queues from now on: its stage completes at the next commit of a group. */
    public synchronized void holdAsyncAppends() {
        holding = true;
    }

    @Override
    public EvidenceRecord append(String type, long modelRevision, Map<String, Object> payload) {
        List<EvidenceRecord> committed = commitWith(queued(type, modelRevision, payload, null));
        if (committed == null) {
            throw unavailable();
        }
        return committed.get(committed.size() - 1);
    }

    /**
     * Appends at once and returns a completed (or failed) stage, or, after {@link #holdAsyncAppends()},
     * queues the record for the next group.
     */
    @Override
    public CompletionStage<EvidenceRecord> appendAsync(String type, long modelRevision, Map<String, Object> payload) {
        Queued queued = queued(type, modelRevision, payload, new CompletableFuture<>());
        synchronized (this) {
            if (holding) {
                held.add(queued);
                return queued.stage();
            }
        }
        commitWith(queued);
        return queued.stage();
    }

    /** Commits the held asynchronous appends as one group (or fails them, when down). */
    public void commitHeld() {
        commitWith(null);
    }

    /** Every record appended, in sequence order. */
    public synchronized List<EvidenceRecord> records() {
        return List.copyOf(records);
    }

    /** The records of each commit, in commit order: one each for plain appends, more for a held group. */
    public synchronized List<List<EvidenceRecord>> commits() {
        return List.copyOf(commits);
    }

    /**
     * Changes a stored record's payload behind the chain's back (its hash stays): {@link #verify()}
     * then reports that record, as the real ledger reports a row changed in its table.
     */
    public synchronized void tamper(long sequence, Map<String, Object> payload) {
        int at = (int) (sequence - 1);
        ChainRecord stored = chain.get(at);
        chain.set(at, new ChainRecord(stored.sequence(), stored.type(), stored.timestamp(), stored.modelRevision(),
                json.write(payload), stored.previousHash(), stored.hash()));
        EvidenceRecord record = records.get(at);
        records.set(at, new EvidenceRecord(record.sequence(), record.type(), record.timestamp(), record.modelRevision(),
                payload, record.previousHash(), record.hash()));
    }

    @Override
    public synchronized List<EvidenceRecord> read(long from, int limit) {
        int start = (int) Math.min(records.size(), Math.max(0, from - 1));
        return List.copyOf(records.subList(start, (int) Math.min(records.size(), (long) start + limit)));
    }

    @Override
    public synchronized Optional<EvidenceRecord> head() {
        return records.isEmpty() ? Optional.empty() : Optional.of(records.get(records.size() - 1));
    }

    @Override
    public synchronized VerificationResult verify() {
        ChainVerifier verifier = new ChainVerifier(List.of());
        for (ChainRecord record : chain) {
            Optional<Finding> finding = verifier.accept(record);
            if (finding.isPresent()) {
                long checked = verifier.checked() + (finding.get().kind() == Finding.Kind.REMOVED ? 0 : 1);
                return new VerificationResult(false, checked, finding.get().sequence(), finding.get().message());
            }
        }
        return new VerificationResult(true, verifier.checked(), 0, null);
    }

    /**
     * Commits the held records and {@code own} (when given) as one group, then settles their stages;
     * the group's records, or null when the ledger is down (nothing was appended).
     */
    private List<EvidenceRecord> commitWith(Queued own) {
        List<Queued> group;
        List<EvidenceRecord> committed;
        synchronized (this) {
            group = new ArrayList<>(held);
            held.clear();
            if (own != null) {
                group.add(own);
            }
            if (group.isEmpty()) {
                return List.of();
            }
            committed = down ? null : commit(group);
        }
        settle(group, committed);
        return committed;
    }

    /** The record as the real ledger takes it in: the type checked and the payload made canonical, at once. */
    private Queued queued(String type, long modelRevision, Map<String, Object> payload,
            CompletableFuture<EvidenceRecord> stage) {
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("evidence record type is missing");
        }
        Map<String, Object> given = payload == null ? Map.of() : payload;
        String canonical = json.write(given);
        return new Queued(type, modelRevision, canonical, CanonicalJson.isTree(given) ? given : null, stage);
    }

    /** Chains a group at the head; the caller holds the lock. */
    private List<EvidenceRecord> commit(List<Queued> group) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String timestamp = ChainRecord.timestamp(now);
        List<EvidenceRecord> committed = new ArrayList<>(group.size());
        for (Queued queued : group) {
            long sequence = chain.size() + 1L;
            String previous = chain.isEmpty() ? ChainRecord.GENESIS : chain.get(chain.size() - 1).hash();
            String hash = ChainRecord.hash(ChainRecord.hashPrefix(queued.modelRevision(), queued.payloadJson()),
                    previous, sequence, timestamp, queued.type());
            chain.add(new ChainRecord(sequence, queued.type(), timestamp, queued.modelRevision(), queued.payloadJson(),
                    previous, hash));
            EvidenceRecord record = new EvidenceRecord(sequence, queued.type(), now, queued.modelRevision(),
                    queued.tree() != null ? queued.tree() : json.readObject(queued.payloadJson()), previous, hash);
            records.add(record);
            committed.add(record);
        }
        commits.add(List.copyOf(committed));
        return committed;
    }

    /** Completes the group's asynchronous stages outside the lock: with their records, or failed when null. */
    private static void settle(List<Queued> group, List<EvidenceRecord> committed) {
        for (int i = 0; i < group.size(); i++) {
            CompletableFuture<EvidenceRecord> stage = group.get(i).stage();
            if (stage == null) {
                continue;
            }
            if (committed == null) {
                stage.completeExceptionally(unavailable());
            } else {
                stage.complete(committed.get(i));
            }
        }
    }

    private static EvidenceUnavailableException unavailable() {
        return new EvidenceUnavailableException("evidence store is down", null);
    }
}
