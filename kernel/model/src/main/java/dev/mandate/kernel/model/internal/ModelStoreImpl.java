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
 * <p>With the commit journal (H2 by default) a commit writes its history as one sorted run in its
 * transaction ({@link RunHistory}), and the loader thread merges runs in the background: the
 * history is complete and readable when the commit returns, and merging only keeps lookups short.
 */
@Component(service = ModelStore.class, configurationPid = "dev.mandate.kernel.model")
@Designate(ocd = ModelStoreConfig.class)
public final class ModelStoreImpl implements ModelStore {
    private static final Logger LOG = LoggerFactory.getLogger(ModelStoreImpl.class);
    /** How long stopping waits for a load or merge in progress. */
    private static final long CLOSE_WAIT_SECONDS = 30;
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
    /** Guards compacting, and signals when the history's merges are done. */
    private final ReentrantLock compactionLock = new ReentrantLock();
    private final Condition compacted = compactionLock.newCondition();
    /** Whether a merge of history runs is scheduled or running on the loader thread. */
    private boolean compacting;
    /** Orders pruning and merging of the history, which both replace runs. */
    private final ReentrantLock historyLock = new ReentrantLock();
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
                journalOf(config.commitJournal()));
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
        this(dataSource, clock, retrySeconds, retention, null);
    }

    /**
     * A store that keeps all history, with the commit journal on or off (null: the database's default).
     * For benchmarks.
     */
    public ModelStoreImpl(DataSource dataSource, Clock clock, long retrySeconds, Boolean journal) {
        this(dataSource, clock, retrySeconds, Retention.UNLIMITED, journal);
    }

    /**
     * @param journal whether commits write history runs (the commit journal): true, false, or null for
     *                the database's default (H2 yes, others no)
     */
    ModelStoreImpl(DataSource dataSource, Clock clock, long retrySeconds, Retention retention, Boolean journal) {
        this.repository = new ModelRepository(dataSource, json, journal);
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
                    scheduleCompaction();
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
        if (cutoff <= 1) {
            return 0;
        }
        int deleted;
        historyLock.lock();
        try {
            deleted = repository.prune(cutoff, commitLock);
        } finally {
            historyLock.unlock();
        }
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
        return Optional.ofNullable(fromHistory(now, revision, () -> repository.elementAt(id, revision)));
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
        return fromHistory(now, revision, () -> repository.relationsAt(id, revision, now));
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

    /** Schedules merges of history runs on the loader thread, unless they are scheduled or none is due. */
    private void scheduleCompaction() {
        compactionLock.lock();
        try {
            if (compacting || stopped || !repository.compactionDue()) {
                return;
            }
            compacting = true;
            loader.execute(this::compact);
        } catch (RejectedExecutionException e) {
            compacting = false; // stopping: the runs stay as they are, merged after the next start
        } catch (SQLException | RuntimeException e) {
            LOG.warn("model history merges cannot be planned: {}", e.getMessage(), e);
        } finally {
            compactionLock.unlock();
        }
    }

    /**
     * Merges history runs while merges are due, on the loader thread; on failure tries again a
     * second later (the runs stay as they were: a merge is swapped in by one transaction).
     */
    private void compact() {
        try {
            while (!stopped) {
                boolean merged;
                historyLock.lock();
                try {
                    merged = repository.compact(commitLock);
                } finally {
                    historyLock.unlock();
                }
                if (!merged) {
                    break;
                }
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("model history runs cannot be merged, retrying in 1 s: {}", e.getMessage(), e);
            try {
                loader.schedule(this::compact, 1, TimeUnit.SECONDS);
                return;
            } catch (RejectedExecutionException stopping) {
                // merged after the next start
            }
        }
        compactionLock.lock();
        try {
            compacting = false;
            compacted.signalAll();
        } finally {
            compactionLock.unlock();
        }
    }

    /**
     * Waits until the history has no merges of runs due or running. For tests and benchmarks.
     *
     * @return whether that happened within {@code timeout}
     */
    public boolean awaitHistoryWritten(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        compactionLock.lock();
        try {
            while (compacting) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                compacted.awaitNanos(left);
            }
            return true;
        } finally {
            compactionLock.unlock();
        }
    }

    @Deactivate
    public void close() {
        stopped = true;
        loader.shutdown();
        try {
            // a merge in progress finishes its current step; one cut short leaves blocks the next load deletes
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
        CommitResult result;
        boolean journal;
        commitLock.lock();
        try {
            ModelIndex base = ready();
            CommitPlan plan = CommitPlan.of(base, changes, clock.instant(), json);
            if (plan.applied() == 0) {
                return new CommitResult(base.revision(), 0, plan.rejections());
            }
            ModelIndex next = plan.build(base.revision() + 1);
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
            state = new State(next, null, null);
            result = new CommitResult(next.revision(), plan.applied(), plan.rejections());
        } finally {
            commitLock.unlock();
        }
        if (journal) {
            scheduleCompaction();
        }
        return result;
    }
}
