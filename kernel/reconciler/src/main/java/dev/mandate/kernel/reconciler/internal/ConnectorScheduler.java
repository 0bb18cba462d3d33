package dev.mandate.kernel.reconciler.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import dev.mandate.api.connector.Domain;
import dev.mandate.api.connector.StateConnector;
import dev.mandate.api.evidence.EvidenceLedger;
import dev.mandate.api.model.Layer;
import dev.mandate.api.model.ModelStore;
import dev.mandate.kernel.reconciler.ConnectorRun;
import dev.mandate.kernel.reconciler.ReconcilerStatus;

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
 * Runs every {@link StateConnector} service on its own Camel route ({@code connector-<id>}): the
 * first collection as soon as the connector is bound, then every {@code mandate.connector.interval}
 * seconds (a service property of the connector, default 300), each limited to
 * {@code mandate.connector.timeout} seconds (default: the interval). An incremental connector also
 * gets {@code connector-<id>-changes}, every {@code mandate.connector.changes.interval} seconds
 * (default 15). The connector's layer is RUNNING unless its property {@code mandate.connector.layer}
 * says BUILT. Unbinding a connector removes its routes and interrupts its run; its elements stay in
 * the model.
 */
@Component(service = ReconcilerStatus.class, immediate = true, configurationPid = "dev.mandate.kernel.reconciler")
@Designate(ocd = ConnectorSchedulerConfig.class)
public final class ConnectorScheduler implements ReconcilerStatus {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorScheduler.class);

    private final ModelStore model;
    private final EvidenceLedger ledger;
    private final Clock clock;
    private final RouteHost routes;
    private final int absencesBeforeRemoval;
    private final Semaphore collections;
    private final ScheduledThreadPoolExecutor scheduler; // runNow and retries while the model loads
    private final ScheduledThreadPoolExecutor watchdog;
    private final Map<StateConnector, ConnectorSlot> slots = new IdentityHashMap<>(); // guarded by itself
    private volatile boolean closed;
    /** Runs asked for with {@link #runNow} that may wait at once (back-pressure, no unbounded queue). */
    static final int MAX_PENDING_RUNS = 64;

    @Activate
    public ConnectorScheduler(@Reference ModelChanges model, @Reference EvidenceLedger ledger,
            @Reference RouteHost routes, ConnectorSchedulerConfig config) {
        this(model, ledger, routes, Clock.systemUTC(), config.threads(), config.absencesBeforeRemoval());
    }

    public ConnectorScheduler(ModelStore model, EvidenceLedger ledger, RouteHost routes, Clock clock, int threads,
            int absencesBeforeRemoval) {
        this.model = model;
        this.ledger = ledger;
        this.routes = routes;
        this.clock = clock;
        this.absencesBeforeRemoval = Math.max(1, absencesBeforeRemoval);
        this.collections = new Semaphore(Math.max(1, threads), true);
        this.scheduler = new ScheduledThreadPoolExecutor(Math.max(1, threads), named("mandate-reconciler"));
        this.scheduler.setRemoveOnCancelPolicy(true);
        this.watchdog = new ScheduledThreadPoolExecutor(1, named("mandate-reconciler-watchdog"));
        this.watchdog.setRemoveOnCancelPolicy(true);
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Reference(name = "connector", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    public void bindConnector(StateConnector connector, Map<String, Object> properties) {
        String id;
        Domain domain;
        try {
            id = connector.id();
            domain = connector.domain();
        } catch (RuntimeException e) {
            LOG.error("a state connector that cannot name its id and domain is not run", e);
            return;
        }
        if (id == null || id.isBlank() || domain == null) {
            LOG.error("a state connector without id or domain is not run ({})", connector);
            return;
        }
        if (id.startsWith(IntentLayer.SOURCE_PREFIX)) {
            // the model lets sources named intent:... write the INTENDED layer; an observation never may
            LOG.error("state connector '{}' is not run: ids starting with '{}' belong to the intended layer", id,
                    IntentLayer.SOURCE_PREFIX);
            return;
        }
        ConnectorSlot.Timing timing = ConnectorSlot.Timing.of(properties);
        Layer layer;
        try {
            layer = ConnectorSlot.Timing.layer(properties);
        } catch (IllegalArgumentException e) {
            LOG.error("state connector '{}' is not run: {}", id, e.getMessage());
            return;
        }
        ConnectorSlot slot = new ConnectorSlot(connector, id, domain, layer, absencesBeforeRemoval, timing, model,
                ledger, watchdog, clock);
        synchronized (slots) {
            if (closed) {
                return;
            }
            for (ConnectorSlot other : slots.values()) {
                if (other.id().equals(id)) {
                    LOG.error("state connector id '{}' is already bound; the second connector with it is not run", id);
                    return;
                }
            }
            slots.put(connector, slot);
            slot.schedule(routes, scheduler, collections, timing, 0);
        }
        LOG.info("state connector '{}' ({}, {} layer) bound: route '{}' runs every {} s, timeout {} s", id, domain,
                layer, slot.routeId(), timing.intervalSeconds(), timing.timeoutSeconds());
    }

    public void updatedConnector(StateConnector connector, Map<String, Object> properties) {
        ConnectorSlot.Timing timing = ConnectorSlot.Timing.of(properties);
        synchronized (slots) {
            ConnectorSlot slot = slots.get(connector);
            if (slot != null && !closed && !slot.timing().equals(timing)) {
                slot.schedule(routes, scheduler, collections, timing, timing.intervalSeconds());
                LOG.info("state connector '{}' now runs every {} s, timeout {} s", slot.id(), timing.intervalSeconds(),
                        timing.timeoutSeconds());
            }
        }
    }

    public void unbindConnector(StateConnector connector) {
        ConnectorSlot slot;
        synchronized (slots) {
            slot = slots.remove(connector);
        }
        if (slot != null) {
            slot.close();
            LOG.info("state connector '{}' unbound; its elements stay in the model", slot.id());
        }
    }

    @Deactivate
    public void close() {
        List<ConnectorSlot> stopping;
        synchronized (slots) {
            closed = true;
            stopping = new ArrayList<>(slots.values());
            slots.clear();
        }
        stopping.forEach(ConnectorSlot::close);
        scheduler.shutdownNow();
        watchdog.shutdownNow();
    }

    @Override
    public List<ConnectorRun> runs() {
        List<ConnectorSlot> bound;
        synchronized (slots) {
            bound = new ArrayList<>(slots.values());
        }
        bound.sort(Comparator.comparing(ConnectorSlot::id));
        List<ConnectorRun> runs = new ArrayList<>(bound.size());
        for (ConnectorSlot slot : bound) {
            runs.add(slot.status());
        }
        return runs;
    }

    @Override
    public Optional<ConnectorRun> run(String connectorId) {
        return slot(connectorId).map(ConnectorSlot::status);
    }

    @Override
    public CompletableFuture<ConnectorRun> runNow(String connectorId) {
        ConnectorSlot slot = slot(connectorId)
                .orElseThrow(() -> new IllegalArgumentException("no state connector '" + connectorId + "' is bound"));
        if (scheduler.getQueue().size() >= MAX_PENDING_RUNS) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "too many runs are waiting; try again when they are done"));
        }
        try {
            return CompletableFuture.supplyAsync(slot::run, scheduler);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new IllegalStateException("the reconciler is stopped", e));
        }
    }

    /** How many connectors have a live schedule. */
    int scheduledCount() {
        synchronized (slots) {
            return (int) slots.values().stream().filter(ConnectorSlot::isScheduled).count();
        }
    }

    private Optional<ConnectorSlot> slot(String connectorId) {
        synchronized (slots) {
            return slots.values().stream().filter(slot -> slot.id().equals(connectorId)).findFirst();
        }
    }
}
