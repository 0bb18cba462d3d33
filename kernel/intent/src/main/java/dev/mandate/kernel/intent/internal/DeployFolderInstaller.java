package dev.mandate.kernel.intent.internal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Intent files dropped into Karaf's {@code deploy/} folder: Felix FileInstall watches that folder
 * and offers every file to the installers registered as services; this one takes
 * {@code *.yaml}/{@code *.yml} files that declare {@code apiVersion: mandate.dev/v1}. A file
 * dropped in is loaded, a file replaced is loaded again (an upgrade, or a rejection with file, line,
 * column and reason while what was in force stays), a file deleted is withdrawn: each file is a
 * source of its own, exactly as in the operator folder, with the same evidence.
 *
 * <p>FileInstall calls from its own thread, one file at a time; the files of one pass are handed to
 * the intent service together once the folder has been quiet for {@link #QUIET}, so that a
 * blueprint and its owner team dropped in at once load without a rejection in between.
 *
 * <p>FileInstall offers a file again only when it changes, not when an installer comes back after
 * a restart of this bundle or of the intent service. So the files loaded from {@code deploy/} are
 * remembered in the bundle's data area and read again on activation.
 */
@Component(service = ArtifactInstaller.class)
public final class DeployFolderInstaller implements ArtifactInstaller {

    /** How long the folder must be quiet before the files FileInstall handed over are loaded. */
    static final Duration QUIET = Duration.ofMillis(250);

    /** How much of a YAML file is read to decide whether it is an intent file. */
    static final int SNIFF_BYTES = 64 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(DeployFolderInstaller.class);
    private static final Pattern INTENT = Pattern.compile("apiVersion[\"']?\\s*:\\s*[\"']?mandate\\.dev/v1(?![\\w.])");

    private final IntentSources sources;
    private final Path memory;
    private final ScheduledExecutorService executor;

    // guarded by this
    private final Map<String, IntentSource> pending = new LinkedHashMap<>();
    private final Set<String> withdrawals = new TreeSet<>();
    private final Set<Path> deployed = new TreeSet<>();
    private ScheduledFuture<?> flushing;

    @Activate
    public DeployFolderInstaller(@Reference IntentSources sources, BundleContext context) {
        this(sources, memoryFile(context));
    }

    /**
     * @param memory where the deployed files are remembered across restarts; {@code null} for none
     */
    DeployFolderInstaller(IntentSources sources, Path memory) {
        this.sources = sources;
        this.memory = memory;
        this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "mandate-intent-deploy");
            thread.setDaemon(true);
            return thread;
        });
        // file I/O, so not on the framework thread that activates this
        executor.execute(this::restore);
    }

    private static Path memoryFile(BundleContext context) {
        File data = context.getDataFile("deployed-intent.txt");
        return data == null ? null : data.toPath();
    }

    @Deactivate
    void deactivate() {
        // what was loaded stays with the intent service; only the hand-over stops
        executor.shutdownNow();
    }

    @Override
    public boolean canHandle(File artifact) {
        String name = artifact.getName().toLowerCase(Locale.ROOT);
        if (!name.endsWith(".yaml") && !name.endsWith(".yml")) {
            return false;
        }
        Path path = normalize(artifact);
        if (!Files.isRegularFile(path)) {
            // FileInstall asks again about a deleted file when this installer came back in between
            synchronized (this) {
                return deployed.contains(path);
            }
        }
        try (InputStream in = Files.newInputStream(path)) {
            String head = new String(in.readNBytes(SNIFF_BYTES), StandardCharsets.UTF_8);
            return INTENT.matcher(head).find();
        } catch (IOException e) {
            LOG.debug("deployed file {} could not be read: {}", path, e.getMessage());
            return false;
        }
    }

    @Override
    public void install(File artifact) throws IOException {
        load(artifact);
    }

    @Override
    public void update(File artifact) throws IOException {
        load(artifact);
    }

    @Override
    public void uninstall(File artifact) {
        Path path = normalize(artifact);
        LOG.info("intent file {} removed from the deploy folder", path);
        synchronized (this) {
            String key = FolderWatcher.key(path);
            pending.remove(key);
            withdrawals.add(key);
            deployed.remove(path);
            scheduleFlush();
        }
    }

    private void load(File artifact) throws IOException {
        Path path = normalize(artifact);
        IntentSource source = FolderWatcher.source(path);
        if (source == null) {
            throw new IOException("intent file '" + path + "' is larger than " + YamlReader.MAX_CHARS + " characters");
        }
        LOG.info("intent file {} deployed", path);
        synchronized (this) {
            withdrawals.remove(source.key());
            pending.put(source.key(), source);
            deployed.add(path);
            scheduleFlush();
        }
    }

    // guarded by this
    private void scheduleFlush() {
        if (flushing != null) {
            flushing.cancel(false);
        }
        try {
            flushing = executor.schedule(this::flush, QUIET.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("deploy folder installer stopped; change ignored");
        }
    }

    /**
     * Hands what FileInstall reported since the last flush to the intent service, and remembers the
     * files. Holds the lock throughout (handing over only queues), so batches arrive in order.
     */
    synchronized void flush() {
        if (withdrawals.isEmpty() && pending.isEmpty()) {
            return;
        }
        List<String> withdrawn = List.copyOf(withdrawals);
        List<IntentSource> loaded = List.copyOf(pending.values());
        withdrawals.clear();
        pending.clear();
        sources.apply(withdrawn, loaded);
        remember(List.copyOf(deployed));
    }

    private void remember(List<Path> files) {
        if (memory == null) {
            return;
        }
        StringBuilder text = new StringBuilder();
        files.forEach(file -> text.append(file).append('\n'));
        try {
            Path parent = memory.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Path next = memory.resolveSibling(memory.getFileName() + ".next");
            Files.writeString(next, text, StandardCharsets.UTF_8);
            Files.move(next, memory, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("the intent files of the deploy folder could not be remembered in {}: {}", memory,
                    e.getMessage());
        }
    }

    /** Reads again the files loaded from the deploy folder before this installer (or the intent service) restarted. */
    private void restore() {
        if (memory == null || !Files.isRegularFile(memory)) {
            return;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(memory, StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.warn("the intent files of the deploy folder could not be read from {}: {}", memory, e.getMessage());
            return;
        }
        List<Path> gone = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            File file = new File(line.trim());
            try {
                if (file.isFile() && canHandle(file)) {
                    load(file);
                } else {
                    gone.add(normalize(file));
                }
            } catch (IOException e) {
                LOG.warn("deployed intent file {} could not be read again: {}", file, e.getMessage());
            }
        }
        if (!gone.isEmpty()) {
            synchronized (this) {
                gone.forEach(deployed::remove);
                if (pending.isEmpty()) {
                    remember(List.copyOf(deployed));
                }
            }
        }
    }

    private static Path normalize(File artifact) {
        return artifact.toPath().toAbsolutePath().normalize();
    }
}
