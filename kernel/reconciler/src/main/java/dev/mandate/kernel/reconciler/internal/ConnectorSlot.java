package dev.mandate.kernel.reconciler.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import dev.mandate.api.connector.ConnectorStatus;
import dev.mandate.api.connector.Domain;
import dev.mandate.api.connector.IncrementalStateConnector;
import dev.mandate.api.connector.StateConnector;
import dev.mandate.api.evidence.EvidenceLedger;
import dev.mandate.api.evidence.EvidenceUnavailableException;
import dev.mandate.api.model.ChangeSet;
import dev.mandate.api.model.CommitResult;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.ElementPage;
import dev.mandate.api.model.ElementQuery;
import dev.mandate.api.model.Layer;
import dev.mandate.api.model.LayerState;
import dev.mandate.api.model.ModelSnapshot;
import dev.mandate.api.model.ModelStore;
import dev.mandate.api.model.ModelUnavailableException;
import dev.mandate.api.model.Rejection;
import dev.mandate.api.model.Relation;
import dev.mandate.kernel.reconciler.ConnectorRun;
import dev.mandate.kernel.reconciler.RunState;
import dev.mandate.kernel.reconciler.internal.ObservationBuffer.RelationKey;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One bound connector: its routes, its runs (one at a time) and what it has seen.
 *
 * <p>A run collects into a buffer, then commits one change set in the connector's layer (RUNNING, or
 * BUILT for a connector that reads what infrastructure as code built) with the connector id as source.
 * What the connector had in the model and no longer reports is removed only after N consecutive
 * complete runs missed it (N configurable, default 2); a run that fails or times out changes nothing,
 * counters included. Every run that ends is recorded in the ledger as {@code connector.run}. An
 * {@link IncrementalStateConnector} also gets a change route that applies what changed since the
 * latest run, without counting absences.
 */
final class ConnectorSlot {
    /** Complete runs in a row that must miss an element before it is removed, unless configured. */
    static final int ABSENCES_BEFORE_REMOVAL = 2;
    static final String INTERVAL_PROPERTY = "mandate.connector.interval";
    static final String TIMEOUT_PROPERTY = "mandate.connector.timeout";
    static final String CHANGES_INTERVAL_PROPERTY = "mandate.connector.changes.interval";
    static final String LAYER_PROPERTY = "mandate.connector.layer";
    static final long DEFAULT_INTERVAL_SECONDS = 300;
    static final long DEFAULT_CHANGES_INTERVAL_SECONDS = 15;
    private static final int REJECTIONS_RECORDED = 20;
    /** Seconds to wait for a model that is still loading before trying a scheduled run again. */
    static final long MODEL_WAIT_SECONDS = 5;
    /** Seconds after a timeout's interrupt before a collection that has not returned is reported stuck. */
    static final long STUCK_GRACE_SECONDS = 2;
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorSlot.class);

    /** Seconds between runs, seconds a collection may take, and seconds between change collections. */
    record Timing(long intervalSeconds, long timeoutSeconds, long changesIntervalSeconds) {
        Timing(long intervalSeconds, long timeoutSeconds) {
            this(intervalSeconds, timeoutSeconds, DEFAULT_CHANGES_INTERVAL_SECONDS);
        }

        static Timing of(Map<String, ?> properties) {
            long interval = seconds(properties, INTERVAL_PROPERTY, DEFAULT_INTERVAL_SECONDS);
            return new Timing(interval, seconds(properties, TIMEOUT_PROPERTY, interval),
                    seconds(properties, CHANGES_INTERVAL_PROPERTY, DEFAULT_CHANGES_INTERVAL_SECONDS));
        }

        /**
         * The layer a connector's observations describe: RUNNING unless its service property
         * {@code mandate.connector.layer} says BUILT.
         *
         * @throws IllegalArgumentException for INTENDED (only the intent compiler writes it) or an unknown layer
         */
        static Layer layer(Map<String, ?> properties) {
            Object value = properties == null ? null : properties.get(LAYER_PROPERTY);
            if (value == null || value.toString().isBlank()) {
                return Layer.RUNNING;
            }
            String name = value.toString().trim().toUpperCase(java.util.Locale.ROOT);
            if (name.equals("RUNNING")) {
                return Layer.RUNNING;
            }
            if (name.equals("BUILT")) {
                return Layer.BUILT;
            }
            throw new IllegalArgumentException("connector property " + LAYER_PROPERTY + " '" + value
                    + "' is not a layer a connector may write (expected running or built)");
        }

        private static long seconds(Map<String, ?> properties, String name, long fallback) {
            Object value = properties == null ? null : properties.get(name);
            long seconds;
            if (value instanceof Number number) {
                seconds = number.longValue();
            } else if (value instanceof String text && !text.isBlank()) {
                try {
                    seconds = Long.parseLong(text.trim());
                } catch (NumberFormatException e) {
                    LOG.warn("connector property {} '{}' is not a number of seconds, using {}", name, text, fallback);
                    return fallback;
                }
            } else {
                return fallback;
            }
            if (seconds <= 0) {
                LOG.warn("connector property {} '{}' is not positive, using {}", name, value, fallback);
                return fallback;
            }
            return seconds;
        }
    }

    /** Lets a watchdog or an unbind interrupt the thread of one run, and only while it runs. */
    private static final class RunGuard {
        private final Thread thread;
        private boolean finished;
        private String abortReason;

        RunGuard(Thread thread) {
            this.thread = thread;
        }

        synchronized void abort(String reason) {
            if (!finished && abortReason == null) {
                abortReason = reason;
                thread.interrupt();
            }
        }

        synchronized boolean finished() {
            return finished;
        }

        /** Called by the run's own thread when the collection has returned. */
        synchronized String finish() {
            finished = true;
            if (abortReason != null) {
                Thread.interrupted(); // the interrupt was for this run, not for the pool thread's next task
            }
            return abortReason;
        }
    }

    private final StateConnector connector;
    private final String id;
    private final Domain domain;
    private final Layer layer;
    private final int absencesBeforeRemoval;
    private final ModelStore model;
    private final EvidenceLedger ledger;
    private final ScheduledExecutorService watchdog;
    private final Clock clock;
    private final ReentrantLock runLock = new ReentrantLock();
    private volatile Timing timing;
    private volatile ConnectorRun last;
    private volatile RunGuard current;
    private volatile boolean closed;
    private RouteHost routes; // guarded by this
    private ScheduledExecutorService scheduler; // guarded by this
    private Semaphore permits; // guarded by this
    private boolean retryPending; // guarded by this
    private volatile boolean deferred; // the latest run did not start: the model was unavailable
    // guarded by runLock
    private Map<String, Integer> elementAbsences = new HashMap<>();
    private Map<RelationKey, Integer> relationAbsences = new HashMap<>();
    private Set<RelationKey> knownRelations = Set.of();
    private String changesCursor; // null: since the latest full collection

    ConnectorSlot(StateConnector connector, String id, Domain domain, Layer layer, int absencesBeforeRemoval,
            Timing timing, ModelStore model, EvidenceLedger ledger, ScheduledExecutorService watchdog, Clock clock) {
        this.connector = connector;
        this.id = id;
        this.domain = domain;
        this.layer = layer;
        this.absencesBeforeRemoval = Math.max(1, absencesBeforeRemoval);
        this.timing = timing;
        this.model = model;
        this.ledger = ledger;
        this.watchdog = watchdog;
        this.clock = clock;
        this.last = new ConnectorRun(id, domain, RunState.PENDING, null, timing.intervalSeconds(), null, null, null,
                null, null, 0, 0, 0);
    }

    String id() {
        return id;
    }

    StateConnector connector() {
        return connector;
    }

    Timing timing() {
        return timing;
    }

    Layer layer() {
        return layer;
    }

    /** The id of the route that runs the full collection. */
    String routeId() {
        return "connector-" + id;
    }

    /** The id of the route that applies incremental changes (incremental connectors only). */
    String changesRouteId() {
        return "connector-" + id + "-changes";
    }

    /**
     * Adds (or replaces) the connector's routes: the full collection first after
     * {@code initialDelaySeconds}, then {@code interval} seconds after each; for an incremental
     * connector, the change collection every {@code changes interval} seconds. At most
     * {@code permits} collections of all connectors run at once; a route waits for a permit.
     */
    synchronized void schedule(RouteHost host, ScheduledExecutorService retries, Semaphore collections,
            Timing newTiming, long initialDelaySeconds) {
        if (closed) {
            return;
        }
        timing = newTiming;
        this.routes = host;
        this.scheduler = retries;
        this.permits = collections;
        host.schedule(routeId(), "full collection of " + layer.name().toLowerCase(java.util.Locale.ROOT)
                + " state connector '" + id + "' every " + newTiming.intervalSeconds() + " s",
                TimeUnit.SECONDS.toMillis(initialDelaySeconds), TimeUnit.SECONDS.toMillis(newTiming.intervalSeconds()),
                new RouteHost.Work() {
                    @Override
                    public String run() throws Exception {
                        return runScheduled();
                    }

                    @Override
                    public RouteHost.Outcome latest() {
                        ConnectorRun run = last;
                        Instant at = run.lastFinished();
                        return at == null ? null : new RouteHost.Outcome(at, outcomeLine(run));
                    }
                });
        if (connector instanceof IncrementalStateConnector) {
            long changes = newTiming.changesIntervalSeconds();
            host.schedule(changesRouteId(), "changes of state connector '" + id + "' every " + changes + " s",
                    TimeUnit.SECONDS.toMillis(changes), TimeUnit.SECONDS.toMillis(changes), this::runChangesScheduled);
        }
    }

    synchronized boolean isScheduled() {
        return routes != null && !closed;
    }

    /** Removes the routes and interrupts a run in progress; what the connector observed stays. */
    void close() {
        closed = true;
        synchronized (this) {
            if (routes != null) {
                routes.remove(routeId());
                if (connector instanceof IncrementalStateConnector) {
                    routes.remove(changesRouteId());
                }
            }
        }
        RunGuard running = current;
        if (running != null) {
            running.abort("connector '" + id + "' was unbound");
        }
    }

    /** The latest run, with the connector's health as it is now. */
    ConnectorRun status() {
        ConnectorRun run = last;
        ConnectorStatus health;
        try {
            health = connector.status();
        } catch (RuntimeException e) {
            health = null;
        }
        return new ConnectorRun(run.connectorId(), run.domain(), run.state(), health, timing.intervalSeconds(),
                run.lastStarted(), run.lastFinished(), run.lastDuration(), run.lastSuccess(), run.lastError(),
                run.elementCount(), run.relationCount(), run.revision());
    }

    /** One tick of the full-collection route; returns the run's error line, or null. */
    private String runScheduled() throws InterruptedException {
        Semaphore collections;
        synchronized (this) {
            collections = permits;
        }
        if (collections != null) {
            collections.acquire(); // back-pressure: the route waits instead of queueing ticks
        }
        try {
            ConnectorRun run = run();
            if (deferred) {
                retrySoon();
            }
            return outcomeLine(run);
        } catch (RuntimeException | LinkageError e) {
            LOG.error("run of connector '{}' failed unexpectedly", id, e);
            return "run failed unexpectedly: " + describe(e);
        } finally {
            if (collections != null) {
                collections.release();
            }
        }
    }

    private static String outcomeLine(ConnectorRun run) {
        return run.state() == RunState.COMPLETE || run.state() == RunState.PENDING || run.state() == RunState.RUNNING
                ? run.lastError() : run.state().name().toLowerCase(java.util.Locale.ROOT) + ": " + run.lastError();
    }

    /** One tick of the change route; returns the error line, or null. */
    private String runChangesScheduled() {
        try {
            return runChanges();
        } catch (RuntimeException | LinkageError e) {
            LOG.error("change collection of connector '{}' failed unexpectedly", id, e);
            return "change collection failed unexpectedly: " + describe(e);
        }
    }

    /**
     * Collects what changed since the latest run (or change collection) and commits it. Skipped while
     * a full run is in progress (the full run sees the changes too). Returns the error line, or null.
     */
    String runChanges() {
        if (!(connector instanceof IncrementalStateConnector incremental)) {
            return null;
        }
        if (!runLock.tryLock()) {
            return null;
        }
        try {
            if (closed || last.lastSuccess() == null) {
                return null; // changes are relative to a complete full run
            }
            try {
                model.current();
            } catch (ModelUnavailableException e) {
                return "waiting for the model: " + e.getMessage();
            }
            ObservationBuffer buffer = new ObservationBuffer();
            RunGuard guard = new RunGuard(Thread.currentThread());
            current = guard;
            long timeout = timing.timeoutSeconds();
            ScheduledFuture<?> timer = watchdog.schedule(
                    () -> guard.abort("change collection timed out after " + timeout + " s"), timeout, TimeUnit.SECONDS);
            String next;
            Throwable failure = null;
            String aborted;
            try {
                next = incremental.collectChanges(changesCursor, buffer);
            } catch (Exception | LinkageError e) {
                failure = e;
                next = null;
            } finally {
                timer.cancel(false);
                buffer.seal();
                aborted = guard.finish();
                current = null;
            }
            if (closed) {
                return null;
            }
            if (aborted != null || failure != null) {
                // the cursor stays: the same changes are asked for again
                String error = aborted != null ? aborted : "change collection failed: " + describe(failure);
                LOG.warn("connector '{}' {}; the model keeps what it had", id, error);
                return error;
            }
            Map<String, Element> seen = buffer.elements();
            List<String> removals = new ArrayList<>();
            ModelSnapshot snapshot = model.current();
            for (String gone : buffer.absent()) {
                Element had = snapshot.element(gone).orElse(null);
                LayerState state = had == null ? null : had.layers().get(layer);
                if (state != null && id.equals(state.source())) {
                    removals.add(gone);
                }
            }
            if (seen.isEmpty() && removals.isEmpty() && buffer.relations().isEmpty()) {
                changesCursor = next;
                return null;
            }
            CommitResult result = model.commit(new ChangeSet(id, layer, List.copyOf(seen.values()), removals,
                    buffer.relations(), List.of()));
            seen.keySet().forEach(elementAbsences::remove);
            removals.forEach(elementAbsences::remove);
            changesCursor = next;
            LOG.debug("connector '{}' changes: {} elements, {} removed, revision {}", id, seen.size(), removals.size(),
                    result.revision());
            return null;
        } catch (ModelUnavailableException | IllegalArgumentException e) {
            return "model did not take the changes: " + e.getMessage();
        } finally {
            runLock.unlock();
        }
    }

    /** While the model loads, a scheduled run is tried again soon instead of after a whole interval. */
    private synchronized void retrySoon() {
        if (closed || retryPending || scheduler == null) {
            return;
        }
        try {
            scheduler.schedule(() -> {
                synchronized (this) {
                    retryPending = false;
                }
                try {
                    runScheduled();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, MODEL_WAIT_SECONDS, TimeUnit.SECONDS);
            retryPending = true;
        } catch (RejectedExecutionException e) {
            // the reconciler is stopping
        }
    }

    /** Runs one collection and commits it; returns the run's outcome. Blocks; one run at a time. */
    ConnectorRun run() {
        runLock.lock();
        try {
            if (closed) {
                return status();
            }
            ConnectorRun before = last;
            try {
                model.current();
                deferred = false;
            } catch (ModelUnavailableException e) {
                // nothing to commit to: do not collect (collections can be expensive), try again soon
                deferred = true;
                last = new ConnectorRun(id, domain, before.state(), null, timing.intervalSeconds(),
                        before.lastStarted(), before.lastFinished(), before.lastDuration(), before.lastSuccess(),
                        "waiting for the model: " + e.getMessage(), before.elementCount(), before.relationCount(),
                        before.revision());
                return status();
            }
            Instant started = clock.instant();
            long startNanos = System.nanoTime();
            last = new ConnectorRun(id, domain, RunState.RUNNING, null, timing.intervalSeconds(), started,
                    before.lastFinished(), before.lastDuration(), before.lastSuccess(), before.lastError(),
                    before.elementCount(), before.relationCount(), before.revision());

            ObservationBuffer buffer = new ObservationBuffer();
            RunGuard guard = new RunGuard(Thread.currentThread());
            current = guard;
            long timeout = timing.timeoutSeconds();
            ScheduledFuture<?> timer = watchdog.schedule(
                    () -> guard.abort("collection timed out after " + timeout + " s"), timeout, TimeUnit.SECONDS);
            ScheduledFuture<?> stuck = watchdog.schedule(() -> reportStuck(guard, started, before),
                    timeout + STUCK_GRACE_SECONDS, TimeUnit.SECONDS);
            Throwable failure = null;
            String aborted;
            try {
                connector.collect(buffer);
            } catch (Exception | LinkageError e) {
                failure = e;
            } finally {
                timer.cancel(false);
                stuck.cancel(false);
                buffer.seal();
                aborted = guard.finish();
                current = null;
            }
            if (closed) {
                return status(); // unbound while collecting: leave the model as it is
            }
            if (aborted != null) {
                return failed(RunState.TIMED_OUT, aborted, before, started, startNanos);
            }
            if (failure != null) {
                return failed(RunState.FAILED, "collection failed: " + describe(failure), before, started, startNanos);
            }
            return commit(buffer, before, started, startNanos);
        } finally {
            runLock.unlock();
        }
    }

    /**
     * A collection that has not returned {@value #STUCK_GRACE_SECONDS} s after it was interrupted for its
     * timeout ignores interruption: its run is shown TIMED_OUT now (its thread stays taken until the
     * connector returns; nothing it reports is applied).
     */
    private void reportStuck(RunGuard guard, Instant started, ConnectorRun before) {
        if (guard.finished()) {
            return;
        }
        String error = "collection did not stop " + STUCK_GRACE_SECONDS + " s after it timed out (the connector"
                + " ignores interruption); its thread stays taken until it returns";
        last = new ConnectorRun(id, domain, RunState.TIMED_OUT, null, timing.intervalSeconds(), started,
                clock.instant(), Duration.between(started, clock.instant()), before.lastSuccess(), error,
                before.elementCount(), before.relationCount(), before.revision());
        LOG.error("connector '{}': {}", id, error);
    }

    private ConnectorRun commit(ObservationBuffer buffer, ConnectorRun before, Instant started, long startNanos) {
        Map<String, Element> seen = buffer.elements();
        Set<RelationKey> seenRelations = buffer.relationKeys();
        CommitResult result;
        List<String> removals = new ArrayList<>();
        Map<String, Integer> newElementAbsences = new HashMap<>();
        Map<RelationKey, Integer> newRelationAbsences = new HashMap<>();
        try {
            ModelSnapshot snapshot = model.current();
            Set<String> had = observedBy(snapshot);
            for (String gone : buffer.absent()) {
                if (had.contains(gone)) {
                    removals.add(gone); // the source confirms it is gone
                }
            }
            for (String known : had) {
                if (seen.containsKey(known) || removals.contains(known)) {
                    continue;
                }
                int absences = elementAbsences.getOrDefault(known, 0) + 1;
                if (absences >= absencesBeforeRemoval) {
                    removals.add(known);
                } else {
                    newElementAbsences.put(known, absences);
                }
            }
            List<Relation> relationRemovals = new ArrayList<>();
            Set<RelationKey> candidates = new LinkedHashSet<>(knownRelations);
            candidates.addAll(relationAbsences.keySet());
            for (RelationKey key : candidates) {
                if (seenRelations.contains(key)) {
                    continue;
                }
                int absences = relationAbsences.getOrDefault(key, 0) + 1;
                if (absences >= absencesBeforeRemoval) {
                    relationRemovals.add(Relation.of(key.type(), key.from(), key.to()));
                } else {
                    newRelationAbsences.put(key, absences);
                }
            }
            result = model.commit(new ChangeSet(id, layer, describedAsKnown(snapshot, seen.values()), removals,
                    buffer.relations(), relationRemovals));
        } catch (ModelUnavailableException | IllegalArgumentException e) {
            return failed(RunState.FAILED, "model did not take the collection: " + e.getMessage(), before, started,
                    startNanos);
        }
        elementAbsences = newElementAbsences;
        relationAbsences = newRelationAbsences;
        knownRelations = seenRelations;
        changesCursor = null; // the next change collection is relative to this run

        Instant finished = clock.instant();
        Duration duration = Duration.ofNanos(System.nanoTime() - startNanos);
        Map<String, Object> payload = payload("complete", duration, result.revision(), null);
        payload.put("observedElements", seen.size());
        payload.put("observedRelations", seenRelations.size());
        payload.put("applied", result.applied());
        payload.put("removed", removals.size());
        payload.put("pendingRemoval", newElementAbsences.size());
        payload.put("rejected", result.rejected().size());
        List<String> rejections = new ArrayList<>();
        for (Rejection rejection : result.rejected().subList(0, Math.min(REJECTIONS_RECORDED, result.rejected().size()))) {
            rejections.add(rejection.ref() + ": " + rejection.reason());
        }
        payload.put("rejections", rejections);
        String evidenceError = record(result.revision(), payload);
        last = new ConnectorRun(id, domain, RunState.COMPLETE, null, timing.intervalSeconds(), started, finished,
                duration, finished, evidenceError, seen.size(), seenRelations.size(), result.revision());
        LOG.info("connector '{}' run complete: {} elements, {} relations observed, {} changes applied, {} removed,"
                + " {} rejected, revision {}", id, seen.size(), seenRelations.size(), result.applied(), removals.size(),
                result.rejected().size(), result.revision());
        return last;
    }

    private ConnectorRun failed(RunState state, String error, ConnectorRun before, Instant started, long startNanos) {
        Instant finished = clock.instant();
        Duration duration = Duration.ofNanos(System.nanoTime() - startNanos);
        long revision = currentRevision(before.revision());
        String evidenceError = record(revision, payload(state == RunState.TIMED_OUT ? "timed-out" : "failed", duration,
                revision, error));
        last = new ConnectorRun(id, domain, state, null, timing.intervalSeconds(), started, finished, duration,
                before.lastSuccess(), evidenceError == null ? error : error + "; " + evidenceError,
                before.elementCount(), before.relationCount(), before.revision());
        LOG.warn("connector '{}' run {}: {}; the model keeps what it had", id,
                state == RunState.TIMED_OUT ? "timed out" : "failed", error);
        return last;
    }

    private Map<String, Object> payload(String outcome, Duration duration, long revision, String error) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("connector", id);
        payload.put("domain", domain.name());
        payload.put("layer", layer.name());
        payload.put("outcome", outcome);
        payload.put("revision", revision);
        payload.put("durationMs", duration.toMillis());
        if (error != null) {
            payload.put("error", error);
        }
        return payload;
    }

    /** Appends the run's evidence; returns what went wrong, or null. */
    private String record(long revision, Map<String, Object> payload) {
        try {
            ledger.append("connector.run", revision, payload);
            return null;
        } catch (EvidenceUnavailableException | IllegalArgumentException e) {
            LOG.error("evidence of connector '{}' run cannot be recorded", id, e);
            return "evidence of the run was not recorded: " + e.getMessage();
        }
    }

    private long currentRevision(long fallback) {
        try {
            return model.current().revision();
        } catch (ModelUnavailableException e) {
            return fallback;
        }
    }

    /**
     * The upserts, where this connector writes BUILT, with owner, environment, trust zone and labels it
     * does not know taken from the element as the model has it: a state file often says less about an
     * element than the cloud connector that observes it running, and must not erase what that said.
     */
    private List<Element> describedAsKnown(ModelSnapshot snapshot, java.util.Collection<Element> upserts) {
        if (layer == Layer.RUNNING) {
            return List.copyOf(upserts);
        }
        List<Element> described = new ArrayList<>(upserts.size());
        for (Element upsert : upserts) {
            Element known = snapshot.element(upsert.id()).orElse(null);
            if (known == null) {
                described.add(upsert);
                continue;
            }
            described.add(new Element(upsert.id(), upsert.kind(), upsert.provider(),
                    upsert.environment() != null ? upsert.environment() : known.environment(),
                    upsert.trustZone() != null ? upsert.trustZone() : known.trustZone(),
                    upsert.owner() != null ? upsert.owner() : known.owner(),
                    upsert.labels().isEmpty() ? known.labels() : upsert.labels(), upsert.attributes(), upsert.layers()));
        }
        return described;
    }

    /** Ids of the elements whose layer (of this connector) came from this connector. */
    private Set<String> observedBy(ModelSnapshot snapshot) {
        Set<String> ids = new HashSet<>();
        String cursor = null;
        do {
            ElementPage page = snapshot.query(new ElementQuery(null, null, null, null, null, null, cursor, 1000));
            for (Element element : page.items()) {
                LayerState own = element.layers().get(layer);
                if (own != null && id.equals(own.source())) {
                    ids.add(element.id());
                }
            }
            cursor = page.nextCursor();
        } while (cursor != null);
        return ids;
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
    }
}
