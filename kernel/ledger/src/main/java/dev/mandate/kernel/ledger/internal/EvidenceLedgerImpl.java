package dev.mandate.kernel.ledger.internal;

import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import javax.sql.DataSource;

import dev.mandate.api.evidence.EvidenceLedger;
import dev.mandate.api.evidence.EvidenceQuery;
import dev.mandate.api.evidence.EvidenceRecord;
import dev.mandate.api.evidence.EvidenceSigner;
import dev.mandate.api.evidence.EvidenceUnavailableException;
import dev.mandate.api.evidence.VerificationResult;
import dev.mandate.kernel.jdbc.SchemaMigrator;
import dev.mandate.kernel.ledger.verify.ChainRecord;
import dev.mandate.kernel.ledger.verify.ChainVerifier;
import dev.mandate.kernel.ledger.verify.Checkpoint;
import dev.mandate.kernel.ledger.verify.Finding;
import dev.mandate.kernel.ledger.retention.RetentionHold;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The evidence ledger in a relational table, hashed as {@link ChainRecord} defines (RFC 8785
 * canonical JSON, SHA-256, each record linked to the one before).
 *
 * <p><b>Group commit.</b> A caller queues its record and takes the write lock; whoever holds it
 * writes every record queued so far (up to {@code maxBatch}) in one transaction, so callers that
 * arrive while a commit is under way share the next one. A caller returns only after the
 * transaction holding its record has committed; when a commit fails, every record in it fails with
 * {@link EvidenceUnavailableException}, nothing of it is stored, and the head is read from the
 * database again next time. Once callers were seen arriving together, a committer first lets its
 * group fill for a moment ({@link GroupFill}): each commit writes a chunk of the store's pages however
 * few records it holds, so fewer, larger groups cost less per record.
 *
 * <p><b>Asynchronous appends.</b> {@link #appendAsync} queues its record in the same queue and
 * returns; one writer thread ({@code mandate-evidence-writer}, started on first use) commits the
 * queue in the same group commits and completes each record's stage after the transaction holding
 * it has committed, outside the write lock. One caller can so keep many records in flight without
 * a thread parked per record, which is what the synchronous {@link #append} costs on few cores.
 *
 * <p><b>Checkpoints.</b> With a {@link EvidenceSigner}, a {@value Checkpoint#TYPE} record signing the
 * record before it is written in the same transaction once {@code checkpointEveryRecords} records
 * have gone by since the last one, and by a timer every {@code checkpointEverySeconds} when records
 * have arrived since.
 */
@Component(service = EvidenceLedger.class, configurationPid = "dev.mandate.kernel.ledger")
@Designate(ocd = EvidenceLedgerConfig.class)
public final class EvidenceLedgerImpl implements EvidenceLedger {
    static final SchemaMigrator MIGRATOR = new SchemaMigrator("mandate_evidence_schema_version",
            EvidenceLedgerImpl.class.getClassLoader(), "db/migration/ledger",
            List.of("V1__create_evidence_table.sql", "V2__record_format.sql", "V3__type_time_index.sql"));
    /** The canonical form new records' payloads are stored in (see V2__record_format.sql). */
    static final int FORMAT = 2;
    private static final Logger LOG = LoggerFactory.getLogger(EvidenceLedgerImpl.class);
    private static final String COLUMNS =
            "seq, record_type, recorded_at, model_revision, payload, previous_hash, record_hash";
    private static final int MAX_READ = 10_000;
    /** How many consecutive records one verifying thread checks at a time. */
    private static final int VERIFY_SEGMENT = 10_000;
    /**
     * How many commits a committer makes for others after its own record is durable, when commits do
     * not wait for their group to fill (when they do, the next waiting caller commits the next group:
     * a caller must not wait for several groups to fill in turn).
     */
    private static final int EXTRA_COMMITS = 8;
    /** How long a waiting caller sleeps before it looks again, should a wake-up be missed. */
    private static final long WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    /** The last record of the chain as this ledger knows it, and how many records followed the last checkpoint. */
    private record Head(long sequence, String hash, long sinceCheckpoint) {
    }

    /**
     * A record waiting for its group commit. The committer writes {@code result} or {@code failure}
     * before the volatile {@code done}, then unparks the waiting thread.
     */
    private static final class Pending {
        final String type;
        final long modelRevision;
        final String payloadJson;
        /** The payload as given, when it is a JSON tree (it is then returned as it is), else null. */
        final Map<String, Object> tree;
        /** The hash over the type-independent head of the record, taken by the caller outside the lock. */
        final MessageDigest hashPrefix;
        /** The thread waiting in {@link #append}; null for {@link #appendAsync}. */
        final Thread caller;
        /** Completed after the commit, outside the write lock; null for {@link #append}. */
        final CompletableFuture<EvidenceRecord> future;
        ChainRecord stored;
        Instant timestamp;
        RuntimeException failure;
        volatile boolean done;

        Pending(String type, long modelRevision, String payloadJson, Map<String, Object> tree, boolean async) {
            this.type = type;
            this.modelRevision = modelRevision;
            this.payloadJson = payloadJson;
            this.tree = tree;
            this.hashPrefix = ChainRecord.hashPrefix(modelRevision, payloadJson);
            this.caller = async ? null : Thread.currentThread();
            this.future = async ? new CompletableFuture<>() : null;
        }

        /** Settled: a waiting caller is woken; an asynchronous one is completed when the lock is released. */
        void complete() {
            done = true;
            if (caller != null) {
                LockSupport.unpark(caller);
            }
        }
    }

    private final DataSource dataSource;
    private final Clock clock;
    private final int checkpointEveryRecords;
    private final int maxBatch;
    private final GroupFill fill;
    private final CanonicalJson json = new CanonicalJson();
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ScheduledExecutorService timer;
    private final LongAdder commits = new LongAdder();
    /** Asynchronous records settled by a commit, completed by the lock holder once it has released the lock. */
    private final List<Pending> settled = new ArrayList<>(); // guarded by writeLock
    /** Whether a drain of the queue is scheduled on the writer thread (or running). */
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "mandate-evidence-writer");
        thread.setDaemon(true); // an unfinished commit acknowledges nothing: it need not hold the JVM up
        return thread;
    });
    private Head head; // guarded by writeLock; null until read from the database
    private volatile boolean migrated;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EvidenceSigner signer;

    /** Who still needs records that retention would otherwise prune (the exporter, for its sinks). */
    private final List<RetentionHold> holds = new CopyOnWriteArrayList<>();

    @Activate
    public EvidenceLedgerImpl(@Reference(name = "dataSource", target = "(dataSourceName=mandate)") DataSource dataSource,
            EvidenceLedgerConfig config) {
        this(dataSource, Clock.systemUTC(), null, config.checkpointEveryRecords(), config.maxBatch(),
                config.checkpointEverySeconds(), config.retentionDays(), new GroupFill(config.groupWaitMicros(),
                        config.groupQuietMicros(), Math.min(config.groupFullRecords(), config.maxBatch())));
    }

    /** A ledger without checkpoints, on the system clock. */
    public EvidenceLedgerImpl(DataSource dataSource) {
        this(dataSource, Clock.systemUTC());
    }

    /** A ledger without checkpoints. */
    public EvidenceLedgerImpl(DataSource dataSource, Clock clock) {
        this(dataSource, clock, null, 0, 1000, 0, 0, GroupFill.none());
    }

    /**
     * A ledger that signs a checkpoint with {@code signer} after every {@code checkpointEveryRecords}
     * records (0: never by count) and writes at most {@code maxBatch} records per commit.
     */
    public EvidenceLedgerImpl(DataSource dataSource, Clock clock, EvidenceSigner signer, int checkpointEveryRecords,
            int maxBatch) {
        this(dataSource, clock, signer, checkpointEveryRecords, maxBatch, GroupFill.none());
    }

    /** As above, with group commits that wait for their group to fill as {@code fill} says. */
    EvidenceLedgerImpl(DataSource dataSource, Clock clock, EvidenceSigner signer, int checkpointEveryRecords,
            int maxBatch, GroupFill fill) {
        this(dataSource, clock, signer, checkpointEveryRecords, maxBatch, 0, 0, fill);
    }

    private EvidenceLedgerImpl(DataSource dataSource, Clock clock, EvidenceSigner signer, int checkpointEveryRecords,
            int maxBatch, long checkpointEverySeconds, int retentionDays, GroupFill fill) {
        if (checkpointEveryRecords < 0 || maxBatch < 1) {
            throw new IllegalArgumentException("checkpointEveryRecords must be at least 0 and maxBatch at least 1, were "
                    + checkpointEveryRecords + " and " + maxBatch);
        }
        this.dataSource = dataSource;
        this.clock = clock;
        this.signer = signer;
        this.checkpointEveryRecords = checkpointEveryRecords;
        this.maxBatch = maxBatch;
        this.fill = fill;
        if (checkpointEverySeconds > 0 || retentionDays > 0) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "mandate-evidence-timer"));
            if (checkpointEverySeconds > 0) {
                timer.scheduleWithFixedDelay(this::timedCheckpoint, checkpointEverySeconds, checkpointEverySeconds,
                        TimeUnit.SECONDS);
            }
            if (retentionDays > 0) {
                timer.scheduleWithFixedDelay(() -> timedPrune(retentionDays), 1, 60, TimeUnit.MINUTES);
            }
        } else {
            timer = null;
        }
    }

    /** Retention keeps every record from the hold's {@link RetentionHold#keepFrom()} on. Thread-safe. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    public void bindHold(RetentionHold hold) {
        holds.add(hold);
    }

    public void unbindHold(RetentionHold hold) {
        holds.remove(hold);
    }

    @Deactivate
    void deactivate() {
        if (timer != null) {
            timer.shutdownNow();
        }
        writer.shutdown(); // a drain already scheduled still commits what it finds
    }

    @Override
    public EvidenceRecord append(String type, long modelRevision, Map<String, Object> payload) {
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("evidence record type is missing");
        }
        Pending pending = pending(type, modelRevision, payload, false);
        queue.add(pending);
        fill.added();
        // whoever gets the lock commits everything queued; the others wait to be woken by it, so a
        // commit's callers return together instead of queueing for the lock one by one. Once its own
        // record is durable the committer goes on with what queued meanwhile, for a few rounds: it
        // is running already, while handing over waits for a parked thread to be scheduled. When
        // commits wait for their group to fill, it hands over at once (see EXTRA_COMMITS).
        while (!pending.done) {
            if (writeLock.tryLock()) {
                try {
                    int extra = 0;
                    int extraCommits = fill.waits() ? 0 : EXTRA_COMMITS;
                    while (!pending.done || extra++ < extraCommits && !queue.isEmpty()) {
                        try {
                            commitGroup();
                        } catch (EvidenceUnavailableException e) {
                            if (pending.done) {
                                break; // that commit's callers were told; this caller's record is settled
                            }
                        }
                    }
                } finally {
                    unlock();
                }
            } else {
                LockSupport.parkNanos(this, WAIT_NANOS);
            }
        }
        if (pending.failure != null) {
            throw pending.failure;
        }
        return recordOf(pending);
    }

    /**
     * Queues the record for the writer thread's next group commit and returns at once; the stage
     * completes once the record is durable (see the class comment).
     */
    @Override
    public CompletionStage<EvidenceRecord> appendAsync(String type, long modelRevision, Map<String, Object> payload) {
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("evidence record type is missing");
        }
        Pending pending = pending(type, modelRevision, payload, true);
        queue.add(pending);
        fill.added();
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                writer.execute(this::drain);
            } catch (RejectedExecutionException stopped) {
                drain(); // the ledger is being deactivated: what was queued is committed here, as the writer would
            }
        }
        return pending.future;
    }

    /** The writer thread's work: group commits until the queue is empty. */
    private void drain() {
        try {
            drainQueue();
        } catch (RuntimeException | Error e) {
            drainScheduled.set(false); // the next asynchronous append schedules a drain again
            LOG.error("evidence writer stopped by an unexpected error; the next append resumes it", e);
            throw e;
        }
    }

    private void drainQueue() {
        while (true) {
            while (!queue.isEmpty()) {
                // the lock is released after each commit: that completes the commit's records at once,
                // not only after the next group has filled and been written as well
                writeLock.lock();
                try {
                    if (!queue.isEmpty()) { // a blocking caller may have committed it meanwhile
                        commitGroup();
                    }
                } catch (EvidenceUnavailableException e) {
                    // that commit's records were failed with it; the next commit reads the head again
                } finally {
                    unlock();
                }
            }
            drainScheduled.set(false);
            // a record queued after the last look but before the flag was cleared found the flag set
            if (queue.isEmpty() || !drainScheduled.compareAndSet(false, true)) {
                return;
            }
        }
    }

    private Pending pending(String type, long modelRevision, Map<String, Object> payload, boolean async) {
        Map<String, Object> given = payload == null ? Map.of() : payload;
        String canonical = json.write(given);
        // a payload that was a JSON tree already is what was stored; anything else is read back as stored
        return new Pending(type, modelRevision, canonical, CanonicalJson.isTree(given) ? given : null, async);
    }

    private EvidenceRecord recordOf(Pending pending) {
        ChainRecord row = pending.stored;
        return new EvidenceRecord(row.sequence(), row.type(), pending.timestamp, row.modelRevision(),
                pending.tree != null ? pending.tree : json.readObject(row.payloadJson()), row.previousHash(), row.hash());
    }

    /**
     * Releases the write lock, then completes the asynchronous records the holder's commits settled
     * (their dependent actions must not run under the lock) and wakes the next waiting caller.
     */
    private void unlock() {
        List<Pending> completing = null;
        if (!settled.isEmpty()) {
            completing = new ArrayList<>(settled);
            settled.clear();
        }
        writeLock.unlock();
        if (completing != null) {
            for (Pending pending : completing) {
                if (pending.failure != null) {
                    pending.future.completeExceptionally(pending.failure);
                } else {
                    try {
                        pending.future.complete(recordOf(pending));
                    } catch (RuntimeException e) {
                        pending.future.completeExceptionally(e); // the record is durable; its payload could not be read back
                    }
                }
            }
        }
        handOver();
    }

    /**
     * Writes a checkpoint now if records have been appended since the last one and a signer is
     * there; returns it.
     */
    public Optional<EvidenceRecord> checkpoint() {
        writeLock.lock();
        try {
            return commitQueued(true);
        } finally {
            unlock();
        }
    }

    /**
     * Wakes the caller of the oldest queued record, which then takes the lock and commits the queue;
     * an asynchronous record needs no wake-up: the writer thread's drain is scheduled while any is queued.
     */
    private void handOver() {
        Pending next = queue.peek();
        if (next != null && next.caller != null) {
            LockSupport.unpark(next.caller);
        }
    }

    private void timedPrune(int retentionDays) {
        try {
            prune(clock.instant().minus(retentionDays, ChronoUnit.DAYS)).ifPresent(summary -> LOG.info(
                    "evidence retention pruned {} records older than {} days; summary is record {}",
                    summary.payload().get("count"), retentionDays, summary.sequence()));
        } catch (RuntimeException e) {
            LOG.warn("evidence retention failed; it is tried again in an hour: {}", e.getMessage());
        }
    }

    private void timedCheckpoint() {
        try {
            checkpoint();
        } catch (RuntimeException e) {
            LOG.warn("evidence checkpoint failed; the next one will cover it: {}", e.getMessage());
        }
    }

    /** One group commit, once the group has filled as {@link GroupFill} says; called with the write lock held. */
    private void commitGroup() {
        fill.awaitGroup();
        commitQueued(false);
    }

    /**
     * One group commit of what is queued, with a checkpoint when one is due (or {@code forceCheckpoint}
     * and records followed the last). Called with the write lock held; returns the checkpoint written.
     */
    private Optional<EvidenceRecord> commitQueued(boolean forceCheckpoint) {
        List<Pending> batch = new ArrayList<>();
        Pending next;
        while (batch.size() < maxBatch && (next = queue.poll()) != null) {
            batch.add(next);
        }
        fill.taken(batch.size());
        try {
            return commitBatch(batch, forceCheckpoint);
        } finally {
            fill.committed(batch.size());
        }
    }

    private Optional<EvidenceRecord> commitBatch(List<Pending> batch, boolean forceCheckpoint) {
        EvidenceSigner currentSigner = signer;
        List<ChainRecord> rows = new ArrayList<>(batch.size() + 1);
        List<EvidenceRecord> records = new ArrayList<>(batch.size() + 1);
        Head last;
        try {
            last = chainHead();
        } catch (EvidenceUnavailableException e) {
            fail(batch, e);
            throw e;
        }
        long sequence = last.sequence();
        String previous = last.hash();
        long sinceCheckpoint = last.sinceCheckpoint();
        Instant timestamp = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String time = ChainRecord.timestamp(timestamp);
        for (Pending pending : batch) {
            // only the record's place in the chain is hashed here, under the lock; the payload was hashed by its caller
            sequence++;
            ChainRecord row = new ChainRecord(sequence, pending.type, time, pending.modelRevision, pending.payloadJson,
                    previous, ChainRecord.hash(pending.hashPrefix, previous, sequence, time, pending.type));
            rows.add(row);
            previous = row.hash();
            sinceCheckpoint++;
        }
        EvidenceRecord checkpoint = null;
        boolean due = checkpointEveryRecords > 0 && sinceCheckpoint >= checkpointEveryRecords;
        if (currentSigner != null && sinceCheckpoint > 0 && (due || forceCheckpoint)) {
            try {
                byte[] signature = currentSigner.sign(Checkpoint.signingInput(sequence, previous));
                String payload = json.write(Checkpoint.payload(sequence, previous, currentSigner.keyId(), signature));
                ChainRecord row = chained(++sequence, Checkpoint.TYPE, time, batch.isEmpty() ? 0
                        : batch.get(batch.size() - 1).modelRevision, payload, previous);
                rows.add(row);
                previous = row.hash();
                sinceCheckpoint = 0;
            } catch (RuntimeException e) {
                LOG.warn("evidence checkpoint cannot be signed; records are written without it: {}", e.getMessage());
            }
        }
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        try {
            insert(rows);
        } catch (SQLException | RuntimeException e) {
            head = null; // the database may know more than we do: read the head again next time
            EvidenceUnavailableException failure = new EvidenceUnavailableException("evidence record '"
                    + rows.get(0).type() + "' cannot be made durable: " + e.getMessage(), e);
            fail(batch, failure);
            if (batch.isEmpty()) {
                throw failure;
            }
            return Optional.empty();
        }
        head = new Head(sequence, previous, sinceCheckpoint);
        for (int i = 0; i < batch.size(); i++) {
            Pending pending = batch.get(i);
            pending.stored = rows.get(i);
            pending.timestamp = timestamp;
            pending.complete();
            if (pending.future != null) {
                settled.add(pending);
            }
        }
        if (rows.size() > batch.size()) {
            ChainRecord row = rows.get(rows.size() - 1);
            checkpoint = new EvidenceRecord(row.sequence(), row.type(), timestamp, row.modelRevision(),
                    json.readObject(row.payloadJson()), row.previousHash(), row.hash());
        }
        return Optional.ofNullable(checkpoint);
    }

    private static ChainRecord chained(long sequence, String type, String time, long modelRevision, String payloadJson,
            String previous) {
        ChainRecord unhashed = new ChainRecord(sequence, type, time, modelRevision, payloadJson, previous, "");
        return new ChainRecord(sequence, type, time, modelRevision, payloadJson, previous, unhashed.computeHash());
    }

    /** Fails every record of the batch; called with the write lock held. */
    private void fail(List<Pending> batch, RuntimeException failure) {
        for (Pending pending : batch) {
            pending.failure = failure;
            pending.complete();
            if (pending.future != null) {
                settled.add(pending);
            }
        }
    }

    private Head chainHead() {
        if (head == null) {
            try (Connection connection = connection()) {
                long sequence = 0;
                String hash = ChainRecord.GENESIS;
                try (PreparedStatement select = connection.prepareStatement(
                        "SELECT seq, record_hash FROM mandate_evidence ORDER BY seq DESC LIMIT 1");
                        ResultSet rows = select.executeQuery()) {
                    if (rows.next()) {
                        sequence = rows.getLong(1);
                        hash = rows.getString(2);
                    }
                }
                long lastCheckpoint = 0;
                try (PreparedStatement select = connection.prepareStatement(
                        "SELECT MAX(seq) FROM mandate_evidence WHERE record_type = ?")) {
                    select.setString(1, Checkpoint.TYPE);
                    try (ResultSet rows = select.executeQuery()) {
                        if (rows.next()) {
                            lastCheckpoint = rows.getLong(1);
                        }
                    }
                }
                head = new Head(sequence, hash, sequence - lastCheckpoint);
            } catch (SQLException e) {
                throw unavailable("evidence ledger head cannot be read", e);
            }
        }
        return head;
    }

    /** Work inside one transaction. */
    @FunctionalInterface
    private interface Work {
        void run(Connection connection) throws SQLException;
    }

    private void insert(List<ChainRecord> rows) throws SQLException {
        transaction(connection -> insertRows(connection, rows));
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    private void transaction(Work work) throws SQLException {
        Connection connection = connection();
        boolean committed = false;
        try {
            connection.setAutoCommit(false);
            work.run(connection);
            connection.commit();
            committed = true;
            commits.increment();
        } finally {
            if (!committed) {
                try {
                    connection.rollback();
                } catch (SQLException ignored) {
                    // the connection is broken; the transaction did not commit
                }
            }
            try {
                connection.close();
            } catch (SQLException ignored) {
                // after a commit a failing close must not undo the append; after a failure the first error counts
            }
        }
    }

    /** Rows per multi-row INSERT: one statement execution carries this many records. */
    private static final int ROWS_PER_INSERT = 64;
    private static final String INSERT = "INSERT INTO mandate_evidence (" + COLUMNS + ", record_format) VALUES ";
    private static final String ROW = "(?, ?, ?, ?, ?, ?, ?, " + FORMAT + ")";
    private static final String INSERT_MANY = INSERT + String.join(", ", java.util.Collections.nCopies(ROWS_PER_INSERT, ROW));

    /**
     * Inserts the rows in chunks of {@value #ROWS_PER_INSERT} per multi-row INSERT (H2 and PostgreSQL
     * execute one such statement for about half the work of as many single-row executions in a
     * batch), and the rest one row per batch entry.
     */
    private static void insertRows(Connection connection, List<ChainRecord> rows) throws SQLException {
        LocalDateTime recordedAt = LocalDateTime.ofInstant(Instant.parse(rows.get(0).timestamp()), ZoneOffset.UTC);
        int whole = rows.size() / ROWS_PER_INSERT * ROWS_PER_INSERT;
        if (whole > 0) {
            try (PreparedStatement insert = connection.prepareStatement(INSERT_MANY)) {
                for (int from = 0; from < whole; from += ROWS_PER_INSERT) {
                    for (int i = 0; i < ROWS_PER_INSERT; i++) {
                        bind(insert, i * 7, rows.get(from + i), recordedAt);
                    }
                    if (whole == ROWS_PER_INSERT) {
                        insert.executeUpdate();
                    } else {
                        insert.addBatch();
                    }
                }
                if (whole > ROWS_PER_INSERT) {
                    insert.executeBatch();
                }
            }
        }
        if (whole < rows.size()) {
            try (PreparedStatement insert = connection.prepareStatement(INSERT + ROW)) {
                for (int i = whole; i < rows.size(); i++) {
                    bind(insert, 0, rows.get(i), recordedAt);
                    if (rows.size() - whole == 1) {
                        insert.executeUpdate();
                    } else {
                        insert.addBatch();
                    }
                }
                if (rows.size() - whole > 1) {
                    insert.executeBatch();
                }
            }
        }
    }

    private static void bind(PreparedStatement insert, int at, ChainRecord row, LocalDateTime recordedAt)
            throws SQLException {
        insert.setLong(at + 1, row.sequence());
        insert.setString(at + 2, row.type());
        insert.setObject(at + 3, recordedAt);
        insert.setLong(at + 4, row.modelRevision());
        insert.setString(at + 5, row.payloadJson());
        insert.setString(at + 6, row.previousHash());
        insert.setString(at + 7, row.hash());
    }

    /**
     * Deletes the records older than {@code before} (never the newest one, never one a
     * {@link RetentionHold} still needs) and appends, in the same
     * transaction, a {@value Checkpoint#RETENTION_TYPE} summary signed with the node key: it names
     * the last pruned record's sequence and hash, to which the first kept record links, so the
     * rest of the chain still verifies from it. Returns the summary, or empty when nothing is old
     * enough.
     *
     * @throws IllegalStateException when there is no signer: an unsigned summary could not vouch for anything
     */
    public Optional<EvidenceRecord> prune(Instant before) {
        EvidenceSigner currentSigner = signer;
        if (currentSigner == null) {
            throw new IllegalStateException("evidence retention needs the node key to sign its summary, and there is none");
        }
        // read before the lock: a hold only moves forward, so an early reading keeps more, never less
        long keepFrom = keepFrom();
        writeLock.lock();
        try {
            Head last = chainHead();
            long first;
            long lastPruned;
            String lastPrunedHash;
            long count;
            try (Connection connection = connection();
                    PreparedStatement select = connection.prepareStatement("SELECT MIN(seq), MAX(seq), COUNT(*)"
                            + " FROM mandate_evidence WHERE recorded_at < ? AND seq < ?")) {
                select.setObject(1, LocalDateTime.ofInstant(before, ZoneOffset.UTC));
                select.setLong(2, Math.min(last.sequence(), keepFrom));
                try (ResultSet rows = select.executeQuery()) {
                    rows.next();
                    first = rows.getLong(1);
                    lastPruned = rows.getLong(2);
                    count = rows.getLong(3);
                }
                if (count == 0) {
                    return Optional.empty();
                }
                try (PreparedStatement hash = connection.prepareStatement(
                        "SELECT record_hash FROM mandate_evidence WHERE seq = ?")) {
                    hash.setLong(1, lastPruned);
                    try (ResultSet rows = hash.executeQuery()) {
                        rows.next();
                        lastPrunedHash = rows.getString(1);
                    }
                }
            } catch (SQLException e) {
                throw unavailable("evidence ledger cannot be read", e);
            }
            Map<String, Object> payload = new java.util.LinkedHashMap<>(Checkpoint.payload(lastPruned, lastPrunedHash,
                    currentSigner.keyId(), currentSigner.sign(Checkpoint.signingInput(lastPruned, lastPrunedHash))));
            payload.put("fromSequence", first);
            payload.put("count", count);
            payload.put("before", ChainRecord.timestamp(before));
            Instant timestamp = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            ChainRecord summary = chained(last.sequence() + 1, Checkpoint.RETENTION_TYPE,
                    ChainRecord.timestamp(timestamp), 0, json.write(payload), last.hash());
            try {
                transaction(connection -> {
                    insertRows(connection, List.of(summary));
                    try (PreparedStatement delete = connection.prepareStatement(
                            "DELETE FROM mandate_evidence WHERE seq <= ?")) {
                        delete.setLong(1, lastPruned);
                        delete.executeUpdate();
                    }
                });
            } catch (SQLException e) {
                head = null;
                throw unavailable("evidence records before " + before + " cannot be pruned", e);
            }
            head = new Head(summary.sequence(), summary.hash(), last.sinceCheckpoint() + 1);
            return Optional.of(new EvidenceRecord(summary.sequence(), summary.type(), timestamp, 0,
                    json.readObject(summary.payloadJson()), summary.previousHash(), summary.hash()));
        } finally {
            unlock();
        }
    }

    /** The first sequence some hold still needs; {@code Long.MAX_VALUE} when none holds anything. */
    private long keepFrom() {
        long keepFrom = Long.MAX_VALUE;
        for (RetentionHold hold : holds) {
            keepFrom = Math.min(keepFrom, hold.keepFrom());
        }
        return keepFrom;
    }

    /** Whether the calling thread holds the write lock (for tests of what runs outside it). */
    boolean writeLockHeldByCurrentThread() {
        return writeLock.isHeldByCurrentThread();
    }

    /** How many transactions this ledger has committed. */
    long commits() {
        return commits.sum();
    }

    /** How many records wait in the queue for a group commit (for tests that must know a caller queued). */
    int queued() {
        return queue.size();
    }

    @Override
    public List<EvidenceRecord> read(long from, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        try (Connection connection = connection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT " + COLUMNS + " FROM mandate_evidence WHERE seq >= ? ORDER BY seq LIMIT ?")) {
            select.setLong(1, Math.max(1, from));
            select.setInt(2, Math.min(limit, MAX_READ));
            try (ResultSet rows = select.executeQuery()) {
                List<EvidenceRecord> records = new ArrayList<>();
                while (rows.next()) {
                    records.add(recordOf(rows));
                }
                return records;
            }
        } catch (SQLException e) {
            throw unavailable("evidence ledger cannot be read", e);
        }
    }

    /**
     * Narrows the read by sequence, time and type in SQL; the payload criteria are checked here, and
     * a payload that certainly has another outcome than the query's is not parsed.
     */
    @Override
    public List<EvidenceRecord> query(EvidenceQuery query) {
        List<Object> parameters = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM mandate_evidence WHERE seq > ?")
                .append(narrowing(query, parameters));
        sql.append(" ORDER BY seq LIMIT ?");
        List<EvidenceRecord> found = new ArrayList<>();
        long after = query.after();
        try (Connection connection = connection();
                PreparedStatement select = connection.prepareStatement(sql.toString())) {
            while (found.size() < query.limit()) {
                select.setLong(1, after);
                for (int i = 0; i < parameters.size(); i++) {
                    select.setObject(i + 2, parameters.get(i));
                }
                select.setInt(parameters.size() + 2, 1000);
                int rowsRead = 0;
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        rowsRead++;
                        after = rows.getLong(1);
                        if (query.outcome() != null && !PayloadText.mayHaveOutcome(rows.getString(5), query.outcome())) {
                            continue; // not parsed: it certainly has another outcome
                        }
                        EvidenceRecord record = recordOf(rows);
                        if (query.matches(record)) {
                            found.add(record);
                            if (found.size() == query.limit()) {
                                break;
                            }
                        }
                    }
                }
                if (rowsRead < 1000) {
                    break;
                }
            }
            return found;
        } catch (SQLException e) {
            throw unavailable("evidence ledger cannot be read", e);
        }
    }

    /**
     * Counts in SQL when the query has only sequence, time and type criteria; with payload criteria,
     * reads the narrowed records page by page and checks them here.
     */
    @Override
    public long count(EvidenceQuery query) {
        if (query.element() != null || query.actor() != null || query.team() != null || query.blueprint() != null
                || query.outcome() != null) {
            return EvidenceLedger.super.count(query);
        }
        List<Object> parameters = new ArrayList<>();
        String sql = "SELECT COUNT(*) FROM mandate_evidence WHERE seq > ?" + narrowing(query, parameters);
        try (Connection connection = connection(); PreparedStatement select = connection.prepareStatement(sql)) {
            select.setLong(1, query.after());
            for (int i = 0; i < parameters.size(); i++) {
                select.setObject(i + 2, parameters.get(i));
            }
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw unavailable("evidence ledger cannot be read", e);
        }
    }

    /** The SQL conditions for the query's time and type criteria; their values are added to {@code parameters}. */
    private static String narrowing(EvidenceQuery query, List<Object> parameters) {
        StringBuilder sql = new StringBuilder();
        if (query.from() != null) {
            sql.append(" AND recorded_at >= ?");
            parameters.add(LocalDateTime.ofInstant(query.from(), ZoneOffset.UTC));
        }
        if (query.to() != null) {
            sql.append(" AND recorded_at < ?");
            parameters.add(LocalDateTime.ofInstant(query.to(), ZoneOffset.UTC));
        }
        if (query.type() != null) {
            boolean prefix = query.type().endsWith(".*");
            sql.append(prefix ? " AND record_type LIKE ?" : " AND record_type = ?");
            parameters.add(prefix ? query.type().substring(0, query.type().length() - 1).replace("%", "\\%")
                    .replace("_", "\\_") + "%" : query.type());
        }
        return sql.toString();
    }

    @Override
    public Optional<EvidenceRecord> head() {
        try (Connection connection = connection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT " + COLUMNS + " FROM mandate_evidence ORDER BY seq DESC LIMIT 1");
                ResultSet rows = select.executeQuery()) {
            return rows.next() ? Optional.of(recordOf(rows)) : Optional.empty();
        } catch (SQLException e) {
            throw unavailable("evidence ledger cannot be read", e);
        }
    }

    /**
     * Recomputes every hash and link of the stored chain and, with a signer, every checkpoint's
     * signature against its public key.
     *
     * <p>The chain is read in segments of consecutive sequences, each checked by its own
     * {@link ChainVerifier} on one of as many threads as there are processors (each with its own
     * connection, reading in key order); the segments' results are then taken in sequence order, and
     * each segment's first record must link to the last record of the one before. The first problem
     * in sequence order is reported, as a single pass over the chain would report it.
     */
    @Override
    public VerificationResult verify() {
        return verify(VERIFY_SEGMENT);
    }

    /** What one segment of the chain showed. */
    private record Segment(long lo, long hi, long firstSequence, String firstHash, String firstPrevious,
            long lastSequence, String lastHash, long checked, Finding finding) {
    }

    /** {@link #verify()} in segments of {@code segment} records; package-private for tests of the boundaries. */
    VerificationResult verify(int segment) {
        Head known;
        writeLock.lock();
        try {
            known = head;
        } finally {
            writeLock.unlock();
        }
        EvidenceSigner currentSigner = signer;
        List<java.security.PublicKey> keys = currentSigner == null ? List.of() : List.of(currentSigner.publicKey());
        ChainVerifier.Start start = start(keys);
        long last = lastStored();
        long checked = 0;
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        ExecutorService workers = Executors.newFixedThreadPool(threads, r -> {
            Thread thread = new Thread(r, "mandate-evidence-verify");
            thread.setDaemon(true);
            return thread;
        });
        try {
            java.util.ArrayDeque<Future<Segment>> inFlight = new java.util.ArrayDeque<>();
            long next = start.firstSequence();
            String previous = start.anchorHash();
            while (next <= last || !inFlight.isEmpty()) {
                while (next <= last && inFlight.size() < 2 * threads) {
                    long lo = next;
                    long hi = Math.min(last, lo + segment - 1);
                    String anchor = lo == start.firstSequence() ? start.anchorHash() : null;
                    inFlight.add(workers.submit(() -> segment(lo, hi, keys, anchor)));
                    next = hi + 1;
                }
                Segment done = inFlight.poll().get();
                Finding finding = done.finding();
                boolean linked = done.firstSequence() != done.lo() || done.firstPrevious().equals(previous);
                // at its first record a segment's own check comes before the link to the segment before
                // (sequence, then content hash), except a checkpoint's signature, which comes after it
                if (!linked && (finding == null || finding.sequence() != done.lo()
                        || finding.kind() == Finding.Kind.BAD_CHECKPOINT)) {
                    finding = ChainVerifier.unlinked(done.lo(), done.firstHash());
                    return invalid(checked + 1, finding);
                }
                if (finding != null) {
                    return invalid(checked + done.checked() + (finding.kind() == Finding.Kind.REMOVED ? 0 : 1), finding);
                }
                checked += done.checked();
                if (done.lastSequence() < done.hi()) {
                    // the segment's last records are missing; the chain goes on after them
                    long missing = done.lastSequence() < done.lo() ? done.lo() : done.lastSequence() + 1;
                    return invalid(checked, ChainVerifier.missing(missing, nextStored(done.hi())));
                }
                previous = done.lastHash();
            }
        } catch (SQLException e) {
            throw unavailable("evidence ledger cannot be read", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EvidenceUnavailableException("evidence verification was interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException cause) {
                throw unavailable("evidence ledger cannot be read", cause);
            }
            throw new IllegalStateException("evidence chain cannot be checked: " + e.getCause().getMessage(), e.getCause());
        } finally {
            workers.shutdownNow();
        }
        long expected = start.firstSequence() + checked;
        if (known != null && known.sequence() >= expected) {
            return new VerificationResult(false, checked, expected, "sequence gap: records " + expected
                    + " to " + known.sequence() + " were appended but are missing");
        }
        return new VerificationResult(true, checked, 0, null);
    }

    /**
     * Checks the stored records {@code lo..hi} in key order: against {@code anchor} when given (the
     * chain's start), else against the first record's own link, which the caller checks.
     */
    private Segment segment(long lo, long hi, List<java.security.PublicKey> keys, String anchor) throws SQLException {
        try (Connection connection = connection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT " + COLUMNS + " FROM mandate_evidence WHERE seq >= ? AND seq <= ? ORDER BY seq")) {
            select.setFetchSize((int) Math.min(hi - lo + 1, MAX_READ));
            select.setLong(1, lo);
            select.setLong(2, hi);
            ChainVerifier chain = null;
            long firstSequence = 0;
            String firstHash = null;
            String firstPrevious = null;
            long lastSequence = lo - 1;
            String lastHash = null;
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ChainRecord record = new ChainRecord(rows.getLong(1), rows.getString(2),
                            ChainRecord.timestamp(rows.getObject(3, LocalDateTime.class)), rows.getLong(4),
                            rows.getString(5), rows.getString(6), rows.getString(7));
                    if (chain == null) {
                        firstSequence = record.sequence();
                        firstHash = record.hash();
                        firstPrevious = record.previousHash();
                        chain = new ChainVerifier(keys, lo, anchor != null ? anchor : firstPrevious);
                    }
                    Optional<Finding> finding = chain.accept(record);
                    if (finding.isPresent()) {
                        return new Segment(lo, hi, firstSequence, firstHash, firstPrevious, lastSequence, lastHash,
                                chain.checked(), finding.get());
                    }
                    lastSequence = record.sequence();
                    lastHash = record.hash();
                }
            }
            return new Segment(lo, hi, firstSequence, firstHash, firstPrevious, lastSequence, lastHash,
                    chain == null ? 0 : chain.checked(), null);
        }
    }

    /** The highest stored sequence, or 0. */
    private long lastStored() {
        try (Connection connection = connection();
                PreparedStatement select = connection.prepareStatement("SELECT MAX(seq) FROM mandate_evidence");
                ResultSet rows = select.executeQuery()) {
            return rows.next() ? rows.getLong(1) : 0;
        } catch (SQLException e) {
            throw unavailable("evidence ledger cannot be read", e);
        }
    }

    /** The first stored sequence after {@code after}, or 0. */
    private long nextStored(long after) throws SQLException {
        try (Connection connection = connection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT MIN(seq) FROM mandate_evidence WHERE seq > ?")) {
            select.setLong(1, after);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0;
            }
        }
    }

    /** Where the stored chain starts: after the records a retention summary accounts for, or at 1. */
    private ChainVerifier.Start start(List<java.security.PublicKey> keys) {
        try (Connection connection = connection()) {
            long first;
            try (PreparedStatement select = connection.prepareStatement("SELECT MIN(seq) FROM mandate_evidence");
                    ResultSet rows = select.executeQuery()) {
                first = rows.next() ? rows.getLong(1) : 0;
            }
            if (first <= 1) {
                return new ChainVerifier.Start(1, ChainRecord.GENESIS);
            }
            List<ChainRecord> summaries = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS
                    + " FROM mandate_evidence WHERE record_type = ? ORDER BY seq DESC")) {
                select.setString(1, Checkpoint.RETENTION_TYPE);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        summaries.add(new ChainRecord(rows.getLong(1), rows.getString(2),
                                ChainRecord.timestamp(rows.getObject(3, LocalDateTime.class)), rows.getLong(4), rows.getString(5),
                                rows.getString(6), rows.getString(7)));
                    }
                }
            }
            return ChainVerifier.start(first, summaries, keys);
        } catch (SQLException e) {
            throw unavailable("evidence ledger cannot be read", e);
        }
    }

    private static VerificationResult invalid(long checked, Finding finding) {
        String prefix = switch (finding.kind()) {
            case REMOVED, REORDERED -> "sequence gap: ";
            case CHANGED -> finding.message().contains("does not link") ? "broken link: " : "hash mismatch: ";
            case INSERTED -> "inserted record: ";
            case BAD_CHECKPOINT -> "bad checkpoint: ";
        };
        return new VerificationResult(false, checked, finding.sequence(), prefix + finding.message());
    }

    private EvidenceRecord recordOf(ResultSet rows) throws SQLException {
        return new EvidenceRecord(rows.getLong(1), rows.getString(2), instantOf(rows), rows.getLong(4),
                json.readObject(rows.getString(5)), rows.getString(6), rows.getString(7));
    }

    private static Instant instantOf(ResultSet rows) throws SQLException {
        return rows.getObject(3, LocalDateTime.class).toInstant(ZoneOffset.UTC);
    }

    /** A connection to a migrated schema. */
    private Connection connection() throws SQLException {
        if (!migrated) {
            synchronized (this) {
                if (!migrated) {
                    MIGRATOR.migrate(dataSource);
                    migrated = true;
                }
            }
        }
        return dataSource.getConnection();
    }

    private static EvidenceUnavailableException unavailable(String message, SQLException cause) {
        return new EvidenceUnavailableException(message + ": " + cause.getMessage(), cause);
    }
}
