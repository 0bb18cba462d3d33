package dev.mandate.kernel.model.internal;

import java.sql.SQLException;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import javax.sql.DataSource;

import dev.mandate.api.model.ChangeSet;
import dev.mandate.api.model.CommitResult;
import dev.mandate.api.model.ModelSnapshot;
import dev.mandate.api.model.ModelStore;
import dev.mandate.api.model.ModelUnavailableException;

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
 */
@Component(service = ModelStore.class, configurationPid = "dev.mandate.kernel.model")
@Designate(ocd = ModelStoreConfig.class)
public final class ModelStoreImpl implements ModelStore {
    private static final Logger LOG = LoggerFactory.getLogger(ModelStoreImpl.class);

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
    private volatile State state = State.unavailable("model is loading", null);
    private volatile boolean stopped;

    @Activate
    public ModelStoreImpl(@Reference(name = "dataSource", target = "(dataSourceName=mandate)") DataSource dataSource,
            ModelStoreConfig config) {
        this(dataSource, Clock.systemUTC(), config.loadRetrySeconds());
    }

    /**
     * A store over {@code dataSource}; starts loading at once on its own thread.
     *
     * @param retrySeconds seconds between load attempts after a failure; 0 for no retry
     */
    public ModelStoreImpl(DataSource dataSource, Clock clock, long retrySeconds) {
        this.repository = new ModelRepository(dataSource, json);
        this.clock = clock;
        this.retrySeconds = retrySeconds;
        this.loader = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "mandate-model-loader");
            thread.setDaemon(true);
            return thread;
        });
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

    @Deactivate
    public void close() {
        stopped = true;
        loader.shutdownNow();
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
        commitLock.lock();
        try {
            ModelIndex base = ready();
            CommitPlan plan = CommitPlan.of(base, changes, clock.instant(), json);
            if (plan.applied() == 0) {
                return new CommitResult(base.revision(), 0, plan.rejections());
            }
            ModelIndex next = plan.build(base.revision() + 1);
            try {
                repository.write(plan, next);
            } catch (SQLException | RuntimeException e) {
                throw new ModelUnavailableException("model database cannot be written: " + e.getMessage(), e);
            }
            state = new State(next, null, null);
            return new CommitResult(next.revision(), plan.applied(), plan.rejections());
        } finally {
            commitLock.unlock();
        }
    }
}
