package dev.mandate.kernel.intent.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.TreeMap;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.util.tracker.BundleTracker;
import org.osgi.util.tracker.BundleTrackerCustomizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The extender: a bundle whose manifest names {@value #HEADER} is a source of intent documents,
 * read when it starts and withdrawn when it stops (after {@link #UPDATE_GRACE}, so that an update
 * replaces its documents atomically). The header lists folders inside the bundle
 * (comma separated); every {@code *.yaml}/{@code *.yml} directly in them is read. The tracker's
 * callbacks run on framework threads, so reading and loading go to the intent service's executor.
 */
final class BlueprintExtender implements BundleTrackerCustomizer<String> {

    static final String HEADER = "Mandate-Blueprints";

    private static final Logger LOG = LoggerFactory.getLogger(BlueprintExtender.class);

    /**
     * How long a bundle's documents may wait for the constraint functions its own components
     * register before a rejection is recorded as evidence.
     */
    static final Duration SETTLING = Duration.ofSeconds(10);

    /**
     * How long a stopped bundle's documents stay in force before they are withdrawn. An update
     * ({@code bundle:update}, a jar replaced in {@code deploy/}) stops the bundle and starts it
     * again with the new content: when it is back within this time, its new documents replace the
     * old ones atomically (or are rejected while the old ones stay in force) and nothing is
     * withdrawn in between.
     */
    static final Duration UPDATE_GRACE = Duration.ofSeconds(1);

    private final IntentRegistry registry;
    private final ScheduledExecutorService executor;
    private volatile BundleTracker<String> tracker;

    BlueprintExtender(IntentRegistry registry, ScheduledExecutorService executor) {
        this.registry = registry;
        this.executor = executor;
    }

    /** The tracker this customizes: a stopped bundle's documents stay while a bundle with its key is tracked. */
    void track(BundleTracker<String> bundles) {
        this.tracker = bundles;
    }

    static String key(Bundle bundle) {
        return "bundle:" + bundle.getSymbolicName();
    }

    @Override
    public String addingBundle(Bundle bundle, BundleEvent event) {
        String header = bundle.getHeaders("").get(HEADER);
        if (header == null || header.isBlank()) {
            return null;
        }
        String key = key(bundle);
        executor.execute(() -> load(bundle, header, key));
        return key;
    }

    @Override
    public void modifiedBundle(Bundle bundle, BundleEvent event, String key) {
        // STARTING -> ACTIVE: the documents were read when it started
    }

    @Override
    public void removedBundle(Bundle bundle, BundleEvent event, String key) {
        executor.schedule(() -> withdrawUnlessBack(bundle, key), UPDATE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void withdrawUnlessBack(Bundle bundle, String key) {
        BundleTracker<String> bundles = tracker;
        if (bundles != null && bundles.getTracked().containsValue(key)) {
            LOG.info("intent bundle {} is back (updated or restarted): its documents were reloaded, nothing withdrawn",
                    bundle.getSymbolicName());
            return;
        }
        LOG.info("intent bundle {} stopped: withdrawing its documents", bundle.getSymbolicName());
        registry.withdraw(key);
    }

    private void load(Bundle bundle, String header, String key) {
        List<IntentSource.File> files;
        try {
            files = read(bundle, header);
        } catch (IOException | IllegalStateException e) {
            LOG.warn("intent bundle {} could not be read: {}", bundle.getSymbolicName(), e.getMessage());
            return;
        }
        if (files.isEmpty()) {
            LOG.warn("intent bundle {} names {} '{}' but holds no *.yaml or *.yml there", bundle.getSymbolicName(),
                    HEADER, header);
        }
        IntentRegistry.LoadResult result = registry.loadSettling(new IntentSource(key, files));
        LOG.info("intent bundle {}: {} ({} files)", bundle.getSymbolicName(), result.outcome(), files.size());
        if (result.outcome() == IntentRegistry.Outcome.REJECTED) {
            executor.schedule(() -> registry.settled(key), SETTLING.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    static List<IntentSource.File> read(Bundle bundle, String header) throws IOException {
        TreeMap<String, URL> entries = new TreeMap<>();
        for (String folder : header.split(",")) {
            String path = folder.trim();
            if (path.isEmpty()) {
                continue;
            }
            for (String pattern : List.of("*.yaml", "*.yml")) {
                Enumeration<URL> found = bundle.findEntries(path, pattern, false);
                while (found != null && found.hasMoreElements()) {
                    URL url = found.nextElement();
                    String name = url.getPath().startsWith("/") ? url.getPath().substring(1) : url.getPath();
                    entries.put(name, url);
                }
            }
        }
        List<IntentSource.File> files = new ArrayList<>();
        for (var entry : entries.entrySet()) {
            try (InputStream in = entry.getValue().openStream()) {
                byte[] bytes = in.readNBytes(YamlReader.MAX_CHARS * 4 + 1);
                String text = new String(bytes, StandardCharsets.UTF_8);
                files.add(new IntentSource.File(entry.getKey(),
                        "bundle:" + bundle.getSymbolicName() + "/" + entry.getKey(), text));
            }
        }
        return files;
    }
}
