package dev.mandate.kernel.reconciler.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.mandate.kernel.reconciler.ReconcilerRoutes;
import dev.mandate.kernel.reconciler.RouteInfo;

import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.api.management.mbean.ManagedRouteMBean;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the platform's Camel context (Camel 4, embedded in this bundle, its packages private). The
 * context starts in the background after activation; routes are added and removed on one control
 * thread, in call order, with a bounded queue. Every route is a timer that runs one piece of work and
 * never overlaps itself. Camel's own MBeans ({@code org.apache.camel:context=<name>,type=routes,*})
 * carry the route statistics over JMX.
 */
@Component(service = {RouteHost.class, ReconcilerRoutes.class}, configurationPid = "dev.mandate.kernel.reconciler.camel")
@Designate(ocd = CamelRuntimeConfig.class)
public final class CamelRuntime implements RouteHost, ReconcilerRoutes {
    private static final long MIN_FIRST_TICK_MILLIS = 1_000;

    private static final Logger LOG = LoggerFactory.getLogger(CamelRuntime.class);
    private static final int CONTROL_QUEUE = 4096;

    /** What the route's work last did; written by the route's thread, read by {@link #routes()}. */
    private static final class Tracked {
        final String description;
        final Work work;
        volatile Instant lastRun;
        volatile String lastError;

        Tracked(String description, Work work) {
            this.description = description;
            this.work = work;
        }
    }

    private final DefaultCamelContext camel;
    private final ThreadPoolExecutor control;
    private final Clock clock;
    private final int shutdownTimeoutSeconds;
    private final Map<String, Tracked> tracked = new ConcurrentHashMap<>();
    private org.apache.camel.ProducerTemplate producer; // guarded by this
    private volatile boolean started;
    private volatile String startError;

    @Activate
    public CamelRuntime(CamelRuntimeConfig config) {
        this(config.name(), config.jmx(), config.shutdownTimeoutSeconds(), Clock.systemUTC());
    }

    public CamelRuntime(String name, boolean jmx, int shutdownTimeoutSeconds, Clock clock) {
        this.clock = clock;
        this.shutdownTimeoutSeconds = Math.max(1, shutdownTimeoutSeconds);
        ClassLoader own = CamelRuntime.class.getClassLoader();
        this.camel = withClassLoader(own, () -> {
            DefaultCamelContext context = new DefaultCamelContext(false);
            context.setApplicationContextClassLoader(own);
            context.getCamelContextExtension().setName(name);
            if (!jmx) {
                context.disableJMX();
            }
            context.getShutdownStrategy().setTimeout(this.shutdownTimeoutSeconds);
            context.getShutdownStrategy().setTimeUnit(TimeUnit.SECONDS);
            return context;
        });
        this.control = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(CONTROL_QUEUE),
                runnable -> {
                    Thread thread = new Thread(runnable, "mandate-camel-control");
                    thread.setDaemon(true);
                    return thread;
                });
        control.execute(this::startContext);
    }

    private void startContext() {
        try {
            withClassLoader(CamelRuntime.class.getClassLoader(), () -> {
                camel.start();
                return null;
            });
            started = true;
            LOG.info("camel context '{}' started (camel {})", camel.getName(), camel.getVersion());
        } catch (RuntimeException | LinkageError e) {
            startError = "camel context did not start: " + e.getMessage();
            LOG.error("camel context '{}' did not start; no connector will run", camel.getName(), e);
        }
    }

    @Deactivate
    public void close() {
        control.shutdownNow();
        try {
            control.awaitTermination(shutdownTimeoutSeconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        withClassLoader(CamelRuntime.class.getClassLoader(), () -> {
            camel.stop();
            return null;
        });
        started = false;
    }

    @Override
    public void schedule(String routeId, String description, long delayMillis, long periodMillis, Work work) {
        Tracked track = new Tracked(description, work);
        tracked.put(routeId, track);
        submit(routeId, () -> {
            removeRoute(routeId);
            camel.addRoutes(new RouteBuilder(camel) {
                @Override
                public void configure() {
                    // the timer consumer drops a tick that fires before it has finished starting (isTaskRunAllowed),
                    // and the next comes a whole period later: a first tick 1 ms after start was lost that way
                    from("timer:" + routeId + "?delay=" + Math.max(MIN_FIRST_TICK_MILLIS, delayMillis) + "&period="
                            + Math.max(1, periodMillis) + "&fixedRate=false")
                            .routeId(routeId)
                            .routeDescription(description)
                            .process(exchange -> runTracked(track, work));
                }
            });
        });
    }

    @Override
    public void send(String uri, String body, Map<String, Object> headers) throws Exception {
        if (!started) {
            throw new IllegalStateException(startError == null ? "the camel context has not started" : startError);
        }
        org.apache.camel.ProducerTemplate template;
        synchronized (this) {
            if (producer == null) {
                producer = camel.createProducerTemplate();
            }
            template = producer;
        }
        org.apache.camel.Exchange result = withClassLoader(CamelRuntime.class.getClassLoader(),
                () -> template.send(uri, exchange -> {
                    exchange.getIn().setBody(body);
                    exchange.getIn().setHeaders(new java.util.HashMap<>(headers));
                }));
        if (result.getException() != null) {
            throw result.getException();
        }
    }

    @Override
    public void remove(String routeId) {
        tracked.remove(routeId);
        submit(routeId, () -> removeRoute(routeId));
    }

    private void runTracked(Tracked track, Work work) throws Exception {
        try {
            String error = work.run();
            track.lastError = error;
        } catch (Exception | LinkageError e) {
            track.lastError = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw e;
        } finally {
            track.lastRun = clock.instant();
        }
    }

    private void removeRoute(String routeId) throws Exception {
        if (camel.getRoute(routeId) != null) {
            camel.getRouteController().stopRoute(routeId, shutdownTimeoutSeconds, TimeUnit.SECONDS);
            camel.removeRoute(routeId);
        }
    }

    @FunctionalInterface
    private interface ControlTask {
        void run() throws Exception;
    }

    private void submit(String routeId, ControlTask task) {
        try {
            control.execute(() -> {
                if (!started) {
                    LOG.error("route '{}' not changed: {}", routeId, startError == null ? "camel is stopped" : startError);
                    return;
                }
                try {
                    withClassLoader(CamelRuntime.class.getClassLoader(), () -> {
                        task.run();
                        return null;
                    });
                } catch (Exception e) {
                    LOG.error("route '{}' could not be changed", routeId, e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.error("route '{}' not changed: the camel context is stopping or too busy", routeId);
        }
    }

    @Override
    public boolean started() {
        return started;
    }

    /** Whether a route with this id is currently in the context (for tests and status). */
    boolean hasRoute(String routeId) {
        return camel.getRoute(routeId) != null;
    }

    @Override
    public List<RouteInfo> routes() {
        ManagedCamelContext managed = started
                ? camel.getCamelContextExtension().getContextPlugin(ManagedCamelContext.class) : null;
        List<RouteInfo> routes = new ArrayList<>();
        for (Map.Entry<String, Tracked> entry : tracked.entrySet()) {
            String id = entry.getKey();
            Tracked track = entry.getValue();
            String state;
            long total = 0;
            long failed = 0;
            Route route = started ? camel.getRoute(id) : null;
            if (route == null) {
                state = started ? "Pending" : (startError == null ? "Starting" : "Failed");
            } else {
                ServiceStatus status = camel.getRouteController().getRouteStatus(id);
                state = status == null ? "Unknown" : status.name();
                ManagedRouteMBean mbean = managed == null ? null : managed.getManagedRoute(id);
                if (mbean != null) {
                    total = mbean.getExchangesTotal();
                    failed = mbean.getExchangesFailed();
                }
            }
            Instant lastRun = track.lastRun;
            String lastError = track.lastError;
            Outcome latest = track.work.latest();
            if (latest != null && latest.at() != null && (lastRun == null || latest.at().isAfter(lastRun))) {
                lastRun = latest.at();
                lastError = latest.error();
            }
            routes.add(new RouteInfo(id, state, track.description, lastRun, lastError, total, failed));
        }
        routes.sort(Comparator.comparing(RouteInfo::id));
        return routes;
    }

    @FunctionalInterface
    private interface Action<T> {
        T run() throws Exception;
    }

    private static <T> T withClassLoader(ClassLoader loader, Action<T> action) {
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return action.run();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        } finally {
            thread.setContextClassLoader(before);
        }
    }
}
