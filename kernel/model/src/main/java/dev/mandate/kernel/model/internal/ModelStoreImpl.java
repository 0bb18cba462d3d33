package dev.mandate.kernel.model.internal;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import javax.sql.DataSource;

import dev.mandate.api.model.ChangeSet;
import dev.mandate.api.model.CommitResult;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.ModelSnapshot;
import dev.mandate.api.model.ModelStore;
import dev.mandate.api.model.ModelUnavailableException;
import dev.mandate.api.model.Relation;
import dev.mandate.api.model.UnknownRevisionException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authoritative model: rows in a relational database, served from an immutable in-memory
 * index of the current revision.
 *
 * <p>Readers take {@link #current()}, a volatile read. Commits are serialised: each one is
 * validated against the current index, written in one transaction, and only after the commit
 * published as the next revision. The database is read once, on a loader thread, after
 * activation; until that load has succeeded the store is unavailable, never empty.
 *
 * <p>The database keeps the rows each commit replaced, so {@link #elementAt} can answer for older
 * revisions; a job on the same thread prunes what falls out of the configured retention.
 *
 * <p>With the commit journal (H2 by default) a commit writes its history rows as one journal entry
 * in its transaction, and the loader thread turns pending entries into history rows in later
 * transactions; until then history reads take them from memory, and a start turns what a stopped
 * run left into rows before it loads. Commits wait while more than the configured bytes of
 * entries are pending, so the history never falls behind by more.
 */
@Component(service = ModelStore.class, configurationPid = "dev.mandate.kernel.model")
@Designate(ocd = ModelStoreConfig.class)
public final class ModelStoreImpl implements ModelStore {
    private static final Logger LOG = LoggerFactory.getLogger(ModelStoreImpl.class);
    /** Bytes of pending journal entries (their text) that commits may run ahead of the history by default. */
    static final long DEFAULT_PENDING_BYTES = 64L * 1024 * 1024;
    /** Bytes of journal entries (their text) the history writer turns into rows in one transaction at most. */
    private static final long MATERIALISE_BYTES = 16L * 1024 * 1024;
    /** How long after a journal commit the history writer waits for the next one, while the backlog is small. */
    private static final long BURST_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** How long stopping waits for a load or history transaction in progress. */
    private static final long CLOSE_WAIT_SECONDS = 30;
    /** How long a commit waits for the history to catch up before it fails. */
    private static final Duration PENDING_WAIT = Duration.ofSeconds(60);
    private static final Comparator<Relation> BY_TYPE = Comparator.comparing(relation -> relation.type().name());

    /** Where the store is: loading, failed, ready or stopped. Exactly one of index and failure is set. */
    private record State(ModelIndex index, String problem, Throwable cause) {
        static State unavailable(String problem, Throwable cause) {
            return new State(null, problem, cause);
        }
    }

    private final ModelRepository repository;
    private final JsonCodec json = new JsonCodec();
    private final Clock clock;
    private final ScheduledExecutorService loader;
    private final ReentrantLock commitLock = new ReentrantLock();
    private final long retrySeconds;
    private final Retention retention;
    /** Guards pendingBytes and materialising, and signals when pending entries have been written. */
    private final ReentrantLock pendingLock = new ReentrantLock();
    private final Condition written = pendingLock.newCondition();
    private final long pendingLimit;
    /** Journal entries committed but not yet history rows, oldest first; replaced, never changed. */
    private volatile List<HistoryWrite> pending = List.of();
    private long pendingBytes;
    private boolean materialising;
    /** System.nanoTime() of the last journal commit, for the history writer to let bursts go first. */
    private volatile long lastJournalCommit;
    /** Commits in progress or waiting for the lock. */
    private final AtomicInteger committing = new AtomicInteger();
    private volatile State state = State.unavailable("model is loading", null);
    private volatile boolean stopped;

    /**
     * How much history to keep.
     *
     * @param revisions     the newest revisions to keep, 0 for no limit
     * @param age           how old a kept revision may be, null for no limit
     * @param pruneInterval time between pruning runs, null for none
     */
    record Retention(int revisions, Duration age, Duration pruneInterval) {
        static final Retention UNLIMITED = new Retention(0, null, null);

        static Retention of(ModelStoreConfig config) {
            return new Retention(Math.max(0, config.historyRevisions()),
                    config.historyDays() > 0 ? Duration.ofDays(config.historyDays()) : null,
                    config.pruneIntervalMinutes() > 0 ? Duration.ofMinutes(config.pruneIntervalMinutes()) : null);
        }
    }

    @Activate
    public ModelStoreImpl(@Reference(name = "dataSource", target = "(dataSourceName=mandate)") DataSource dataSource,
            ModelStoreConfig config) {
        this(dataSource, Clock.systemUTC(), config.loadRetrySeconds(), Retention.of(config),
                journalOf(config.commitJournal()), Math.max(1, config.journalPendingMegabytes()) * 1024L * 1024L);
    }

    private static Boolean journalOf(String setting) {
        return switch (setting == null ? "auto" : setting.trim().toLowerCase(Locale.ROOT)) {
            case "on", "true" -> Boolean.TRUE;
            case "off", "false" -> Boolean.FALSE;
            case "auto", "" -> null;
            default -> throw new IllegalArgumentException("commit journal must be 'auto', 'on' or 'off', not '"
                    + setting + "'");
        };
    }

    /**
     * A store over {@code dataSource} that keeps all history; starts loading at once on its own thread.
     *
     * @param retrySeconds seconds between load attempts after a failure; 0 for no retry
     */
    public ModelStoreImpl(DataSource dataSource, Clock clock, long retrySeconds) {
        this(dataSource, clock, retrySeconds, Retention.UNLIMITED);
    }

    ModelStoreImpl(DataSource dataSource, Clock clock, long retrySeconds, Retention retention) {
        this(dataSource, clock, retrySeconds, retention, null, DEFAULT_PENDING_BYTES);
    }

    /**
     * A store that keeps all history, with the commit journal on or off (null: the database's default).
     * For benchmarks.
     */
    public ModelStoreImpl(DataSource dataSource, Clock clock, long retrySeconds, Boolean journal) {
        this(dataSource, clock, retrySeconds, Retention.UNLIMITED, journal, DEFAULT_PENDING_BYTES);
    }

    /**
     * @param journal      whether commits go through the journal: true, false, or null for the database's
     *                     default (H2 yes, others no)
     * @param pendingLimit bytes of journal entries that may wait to become history rows before commits wait
     */
    ModelStoreImpl(DataSource dataSource, Clock clock, long retrySeconds, Retention retention, Boolean journal,
            long pendingLimit) {
        this.repository = new ModelRepository(dataSource, json, journal);
        this.pendingLimit = pendingLimit;
        this.clock = clock;
        this.retrySeconds = retrySeconds;
        this.retention = retention;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "mandate-model-loader");
            thread.setDaemon(true);
            return thread;
        });
        // close() lets a running load finish (an interrupted H2 migration is left half applied) and drops the rest
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.loader = executor;
        loader.execute(this::load);
    }

    private void load() {
        try {
            ModelIndex index = repository.load();
            commitLock.lock();
            try {
                if (!stopped) {
                    state = new State(index, null, null);
                    LOG.info("model loaded: revision {}, {} elements, {} relations", index.revision(), index.size(),
                            index.relationCount());
                    if (retention.pruneInterval() != null) {
                        long every = retention.pruneInterval().toSeconds();
                        loader.scheduleWithFixedDelay(this::pruneQuietly, every, every, TimeUnit.SECONDS);
                    }
                }
            } finally {
                commitLock.unlock();
            }
        } catch (SQLException | RuntimeException e) {
            state = State.unavailable("model cannot be loaded: " + e.getMessage(), e);
            LOG.error("model cannot be loaded{}", retrySeconds > 0 ? ", retrying in " + retrySeconds + " s" : "", e);
            if (retrySeconds > 0 && !stopped) {
                loader.schedule(this::load, retrySeconds, TimeUnit.SECONDS);
            }
        }
    }

    private void pruneQuietly() {
        try {
            pruneHistory();
        } catch (SQLException | RuntimeException e) {
            LOG.warn("model history cannot be pruned: {}", e.getMessage(), e);
        }
    }

    /**
     * Deletes the history retention no longer keeps. Runs on the store's own thread by schedule;
     * callable directly (tests, operators).
     *
     * @return how many history rows were deleted
     */
    int pruneHistory() throws SQLException {
        ModelIndex now = ready();
        Instant since = retention.age() == null ? null : clock.instant().minus(retention.age());
        long cutoff = repository.pruneCutoff(now.revision(), retention.revisions(), since);
        List<HistoryWrite> journal = pending;
        if (!journal.isEmpty()) {
            // rows of pending entries are not in the tables yet: leave their revisions alone
            cutoff = Math.min(cutoff, journal.get(0).revision());
        }
        if (cutoff <= 1) {
            return 0;
        }
        int deleted = repository.prune(cutoff);
        if (deleted > 0) {
            LOG.info("model history pruned before revision {}: {} rows", cutoff, deleted);
        }
        return deleted;
    }

    @Override
    public Optional<Element> elementAt(String id, long revision) {
        ModelIndex now = ready();
        if (revision == now.revision()) {
            return now.element(id);
        }
        List<HistoryWrite> journal = pending; // read after the index: what is missing here is in the tables
        return Optional.ofNullable(fromHistory(now, revision, () -> repository.elementAt(id, revision, journal)));
    }

    @Override
    public List<Relation> relationsAt(String id, long revision) {
        ModelIndex now = ready();
        if (revision == now.revision()) {
            // in the history's order: outgoing by type and target, then incoming by type and source
            List<Relation> relations = new ArrayList<>();
            now.outgoing(id).stream().sorted(BY_TYPE.thenComparing(Relation::to)).forEach(relations::add);
            now.incoming(id).stream().sorted(BY_TYPE.thenComparing(Relation::from)).forEach(relations::add);
            return relations;
        }
        List<HistoryWrite> journal = pending;
        return fromHistory(now, revision, () -> repository.relationsAt(id, revision, journal, now));
    }

    /** A read of the database's history. */
    private interface HistoryRead<T> {
        T read() throws SQLException;
    }

    /** Reads an older revision than {@code now} from the history, after checking that it is kept. */
    private <T> T fromHistory(ModelIndex now, long revision, HistoryRead<T> read) {
        if (revision < 1 || revision > now.revision()) {
            throw new UnknownRevisionException(revision);
        }
        try {
            if (revision < repository.oldestRevision()) {
                throw new UnknownRevisionException(revision);
            }
            return read.read();
        } catch (SQLException e) {
            throw new ModelUnavailableException("model history cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Waits while the pending journal entries take more than the limit. A commit may take the
     * backlog past it by its own size once.
     */
    private void awaitRoom() {
        long deadline = System.nanoTime() + PENDING_WAIT.toNanos();
        pendingLock.lock();
        try {
            while (pendingBytes >= pendingLimit) {
                long left = deadline - System.nanoTime();
                if (stopped || left <= 0) {
                    throw new ModelUnavailableException("model history is behind: " + pending.size()
                            + " committed change sets are not yet written to the history tables", null);
                }
                written.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelUnavailableException("interrupted while the model history was catching up", e);
        } finally {
            pendingLock.unlock();
        }
    }

    private void enqueue(HistoryWrite rows) {
        pendingLock.lock();
        try {
            List<HistoryWrite> more = new ArrayList<>(pending.size() + 1);
            more.addAll(pending);
            more.add(rows);
            pending = List.copyOf(more);
            pendingBytes += rows.bytes();
            if (!materialising) {
                materialising = true;
                loader.execute(this::materialise);
            }
        } catch (RejectedExecutionException e) {
            // stopping: the entry is durable in the journal and the next start writes its rows
            materialising = false;
        } finally {
            pendingLock.unlock();
        }
    }

    /**
     * Turns the pending journal entries into history rows on the loader thread, oldest first, a
     * transaction per {@value #MATERIALISE_BYTES} bytes of entries or less, each under the commit
     * lock: the database does one thing at a time (H2 writes every map's changed pages at each
     * commit, another transaction's too) and a commit in progress goes first. While a commit is in
     * progress or came less than 20 ms ago and the backlog is below half its limit the writer waits,
     * so a burst commits at the journal's speed. On failure tries again a second later.
     */
    private void materialise() {
        while (!stopped) {
            List<HistoryWrite> batch;
            pendingLock.lock();
            try {
                List<HistoryWrite> all = pending;
                if (all.isEmpty()) {
                    materialising = false;
                    return;
                }
                long quiet = System.nanoTime() - lastJournalCommit;
                if ((committing.get() > 0 || quiet < BURST_GAP_NANOS) && pendingBytes < pendingLimit / 2) {
                    // commits are coming in: let the burst go first while the backlog is below half its limit
                    try {
                        loader.schedule(this::materialise, Math.max(1_000_000, BURST_GAP_NANOS - quiet),
                                TimeUnit.NANOSECONDS);
                    } catch (RejectedExecutionException stopping) {
                        // the journal keeps the entries for the next start
                    }
                    return;
                }
                int count = 0;
                long bytes = 0;
                while (count < all.size() && (count == 0 || bytes + all.get(count).bytes() <= MATERIALISE_BYTES)) {
                    bytes += all.get(count++).bytes();
                }
                batch = all.subList(0, count);
            } finally {
                pendingLock.unlock();
            }
            commitLock.lock();
            try {
                repository.materialise(batch);
            } catch (SQLException | RuntimeException e) {
                LOG.warn("model history cannot be written, retrying in 1 s: {}", e.getMessage(), e);
                try {
                    loader.schedule(this::materialise, 1, TimeUnit.SECONDS);
                } catch (RejectedExecutionException stopping) {
                    // the journal keeps the entries for the next start
                }
                return;
            } finally {
                commitLock.unlock();
            }
            long bytes = batch.stream().mapToLong(HistoryWrite::bytes).sum();
            pendingLock.lock();
            try {
                pending = List.copyOf(pending.subList(batch.size(), pending.size()));
                pendingBytes -= bytes;
                written.signalAll();
            } finally {
                pendingLock.unlock();
            }
        }
    }

    /**
     * Waits until every committed change set is in the history tables (none pending in the journal).
     * For tests and benchmarks.
     *
     * @return whether that happened within {@code timeout}
     */
    public boolean awaitHistoryWritten(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        pendingLock.lock();
        try {
            while (!pending.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                written.awaitNanos(left);
            }
            return true;
        } finally {
            pendingLock.unlock();
        }
    }

    /** How many committed change sets wait in the journal to become history rows. */
    int pendingChangeSets() {
        return pending.size();
    }

    @Deactivate
    public void close() {
        stopped = true;
        loader.shutdown();
        pendingLock.lock();
        try {
            written.signalAll(); // a commit waiting for room fails now; the journal keeps what is pending
        } finally {
            pendingLock.unlock();
        }
        try {
            // a history transaction in progress finishes (one transaction at most); what is pending stays in the journal
            if (!loader.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("model store stopped while its loader thread was still busy");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        state = State.unavailable("model store is stopped", null);
    }

    @Override
    public ModelSnapshot current() {
        return ready();
    }

    private ModelIndex ready() {
        State now = state;
        if (now.index() == null) {
            throw new ModelUnavailableException(now.problem(), now.cause());
        }
        return now.index();
    }

    @Override
    public CommitResult commit(ChangeSet changes) {
        CommitPlan.requireAcceptable(changes);
        committing.incrementAndGet();
        try {
            return commitInTurn(changes);
        } finally {
            committing.decrementAndGet();
        }
    }

    private CommitResult commitInTurn(ChangeSet changes) {
        awaitRoom(); // outside the lock: the history writer takes it between entries
        commitLock.lock();
        try {
            ModelIndex base = ready();
            CommitPlan plan = CommitPlan.of(base, changes, clock.instant(), json);
            if (plan.applied() == 0) {
                return new CommitResult(base.revision(), 0, plan.rejections());
            }
            ModelIndex next = plan.build(base.revision() + 1);
            boolean journal;
            HistoryWrite rows;
            try {
                journal = repository.journals();
                rows = repository.rows(plan, next);
                repository.write(plan, rows, journal);
            } catch (ModelUnavailableException e) {
                throw e;
            } catch (SQLException | RuntimeException e) {
                throw new ModelUnavailableException("model database cannot be written: " + e.getMessage(), e);
            }
            if (journal) {
                lastJournalCommit = System.nanoTime();
                enqueue(rows); // before the revision is published: a history read of it must find the entry
            }
            state = new State(next, null, null);
            return new CommitResult(next.revision(), plan.applied(), plan.rejections());
        } finally {
            commitLock.unlock();
        }
    }
}
