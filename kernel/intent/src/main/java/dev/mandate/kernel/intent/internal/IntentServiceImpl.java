package dev.mandate.kernel.intent.internal;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.util.tracker.BundleTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mandate.api.evidence.EvidenceLedger;
import dev.mandate.api.intent.BlueprintInfo;
import dev.mandate.api.intent.ConstraintFunction;
import dev.mandate.api.intent.Effect;
import dev.mandate.api.intent.ElementOwnership;
import dev.mandate.api.intent.Inputs;
import dev.mandate.api.intent.ShadowReport;
import dev.mandate.api.model.Element;
import dev.mandate.api.intent.Evaluation;
import dev.mandate.api.intent.IntendedState;
import dev.mandate.api.intent.EvaluationContext;
import dev.mandate.api.intent.IntentService;
import dev.mandate.api.intent.Team;
import dev.mandate.api.model.ModelStore;
import dev.mandate.kernel.intent.BlueprintCatalog;
import dev.mandate.kernel.intent.BlueprintDetail;
import dev.mandate.kernel.intent.BlueprintValidator;
import dev.mandate.kernel.intent.Rejection;
import dev.mandate.kernel.intent.Problem;

/**
 * The intent service: blueprints and teams from blueprint bundles (the {@code Mandate-Blueprints}
 * extender) and from the operator folder, compiled once to CEL and evaluated per request.
 *
 * <p>All loading runs on one thread of the component's own executor, so loads are applied in the
 * order they happened and never on a framework thread; {@link #evaluate} reads the immutable policy
 * set in force and never blocks.
 */
@Component(service = {IntentService.class, BlueprintValidator.class, BlueprintCatalog.class, IntentSources.class},
        configurationPid = IntentServiceImpl.PID)
@Designate(ocd = IntentServiceConfig.class)
public final class IntentServiceImpl implements IntentService, BlueprintValidator, BlueprintCatalog, IntentSources {

    static final String PID = "dev.mandate.kernel.intent";

    private static final Logger LOG = LoggerFactory.getLogger(IntentServiceImpl.class);

    private final EvidenceLedger ledger;
    private final IntentRegistry registry;
    private final ScheduledExecutorService executor;
    private final Map<ServiceReference<ConstraintFunction>, ConstraintFunction> functions =
            new ConcurrentSkipListMap<>();
    private final BundleTracker<String> tracker;
    private volatile ModelStore modelStore;

    // touched only on the executor
    private FolderWatcher watcher;
    private ScheduledFuture<?> polling;

    @Activate
    public IntentServiceImpl(@Reference EvidenceLedger ledger, BundleContext context, IntentServiceConfig config) {
        this.ledger = ledger;
        this.registry = new IntentRegistry(this::recordEvidence);
        this.registry.useModel(this::snapshot);
        this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "mandate-intent");
            thread.setDaemon(true);
            return thread;
        });
        java.io.File data = context.getDataFile("promotions.properties");
        if (data != null) {
            PromotionFile promotions = new PromotionFile(data.toPath());
            registry.onPromotion(promotions::write);
            // before the extender's first loads, on the loading thread: no I/O on the framework thread
            execute(() -> restore(promotions));
        }
        BlueprintExtender extender = new BlueprintExtender(registry, executor);
        this.tracker = new BundleTracker<>(context, Bundle.STARTING | Bundle.ACTIVE, extender);
        extender.track(tracker);
        this.tracker.open();
        configure(config);
    }

    @Modified
    void modified(IntentServiceConfig config) {
        configure(config);
    }

    @Deactivate
    void deactivate() {
        tracker.close();
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("intent loading did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindConstraintFunction(ServiceReference<ConstraintFunction> reference, ConstraintFunction function) {
        functions.put(reference, function);
        functionsChanged();
    }

    void unbindConstraintFunction(ServiceReference<ConstraintFunction> reference, ConstraintFunction function) {
        functions.remove(reference);
        functionsChanged();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindModelStore(ModelStore store) {
        this.modelStore = store;
    }

    void unbindModelStore(ModelStore store) {
        if (this.modelStore == store) {
            this.modelStore = null;
        }
    }

    private void functionsChanged() {
        // ServiceReference order is ranking order (highest last), so reverse it: the highest ranking wins a name
        List<ConstraintFunction> snapshot = new java.util.ArrayList<>(functions.values());
        java.util.Collections.reverse(snapshot);
        execute(() -> registry.useFunctions(snapshot));
    }

    private void configure(IntentServiceConfig config) {
        String folder = resolve(config.folder());
        int interval = Math.max(1, config.pollInterval());
        execute(() -> {
            if (polling != null) {
                polling.cancel(false);
                polling = null;
            }
            if (watcher != null && (folder == null || !watcher.folder().equals(Path.of(folder)))) {
                watcher.withdrawAll();
                watcher = null;
            }
            if (folder == null) {
                LOG.info("no intent folder configured");
                return;
            }
            if (watcher == null) {
                watcher = new FolderWatcher(Path.of(folder), registry);
                LOG.info("reading intent files from {} every {} s", folder, interval);
            }
            FolderWatcher current = watcher;
            polling = executor.scheduleWithFixedDelay(() -> scan(current), 0, interval, TimeUnit.SECONDS);
        });
    }

    private void restore(PromotionFile promotions) {
        Map<String, String> restored = promotions.read();
        if (!restored.isEmpty()) {
            LOG.info("promotions restored from {}: {}", promotions.path(), restored.keySet());
            registry.restorePromotions(restored);
        }
    }

    private static void scan(FolderWatcher watcher) {
        try {
            watcher.scan();
        } catch (RuntimeException e) {
            // one bad scan must not end the polling
            LOG.error("intent folder {} could not be scanned", watcher.folder(), e);
        }
    }

    /** {@code ${karaf.etc}} replaced; {@code null} when the folder is empty or cannot be resolved. */
    static String resolve(String configured) {
        if (configured == null || configured.isBlank()) {
            return null;
        }
        String folder = configured.trim();
        if (folder.contains("${karaf.etc}")) {
            String etc = System.getProperty("karaf.etc");
            if (etc == null) {
                LOG.info("intent folder '{}' needs the karaf.etc system property, which is not set; no folder is read",
                        configured);
                return null;
            }
            folder = folder.replace("${karaf.etc}", etc);
        }
        return folder;
    }

    private void execute(Runnable task) {
        try {
            executor.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("intent loading failed", e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("intent service stopped; change ignored");
        }
    }

    private void recordEvidence(String type, Map<String, Object> payload) {
        try {
            ledger.append(type, revision(), payload);
        } catch (RuntimeException e) {
            LOG.error("evidence '{}' {} could not be recorded: {}", type, payload, e.getMessage());
        }
    }

    private dev.mandate.api.model.ModelSnapshot snapshot() {
        ModelStore store = modelStore;
        return store == null ? null : store.current();
    }

    private long revision() {
        ModelStore store = modelStore;
        if (store == null) {
            return 0;
        }
        try {
            return store.current().revision();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    @Override
    public void apply(List<String> withdrawn, List<IntentSource> loaded) {
        List<String> keys = List.copyOf(withdrawn);
        List<IntentSource> sources = List.copyOf(loaded);
        execute(() -> {
            keys.forEach(registry::withdraw);
            if (!sources.isEmpty()) {
                registry.loadAll(sources).forEach((key, result) -> LOG.info("{}: {}", key, result.outcome()));
            }
        });
    }

    @Override
    public List<BlueprintInfo> blueprints() {
        return registry.blueprints();
    }

    @Override
    public Optional<BlueprintInfo> blueprint(String name) {
        return Optional.ofNullable(registry.policy().blueprints().get(name)).map(CompiledBlueprint::info);
    }

    @Override
    public List<Team> teams() {
        return registry.teams();
    }

    @Override
    public Optional<Team> team(String id) {
        return Optional.ofNullable(registry.policy().teams().get(id)).map(TeamDeclaration::team);
    }

    @Override
    public Evaluation evaluate(EvaluationContext context) {
        return registry.evaluate(context);
    }

    @Override
    public Evaluation evaluateWhatIf(EvaluationContext context, Evaluation previous, Collection<String> changed) {
        return registry.evaluateWhatIf(context, previous, changed);
    }

    @Override
    public Inputs inputs(String source) {
        return registry.inputs(source);
    }

    @Override
    public Inputs inputs(Effect effect) {
        return registry.inputs(effect);
    }

    @Override
    public Optional<ElementOwnership> ownership(Element element) {
        return registry.ownership(element);
    }

    @Override
    public Optional<IntendedState> intended(Element element) {
        return registry.intended(element);
    }

    @Override
    public Optional<ShadowReport> shadowReport(String name) {
        return registry.shadowReport(name);
    }

    @Override
    public BlueprintInfo promote(String name) {
        return registry.promote(name);
    }

    @Override
    public long generation() {
        return registry.generation();
    }

    @Override
    public Optional<BlueprintDetail> detail(String name) {
        return registry.detail(name);
    }

    @Override
    public List<Rejection> rejections() {
        return registry.rejections();
    }

    @Override
    public List<String> governing(Element element) {
        return registry.governing(element);
    }

    @Override
    public List<Problem> validate(String fileName, String yaml) {
        return registry.validate(fileName, yaml == null ? "" : yaml);
    }
}
