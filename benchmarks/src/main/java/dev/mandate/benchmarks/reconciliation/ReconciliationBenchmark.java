package dev.mandate.benchmarks.reconciliation;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.mandate.benchmarks.ScratchFolder;
import dev.mandate.api.connector.ObservationSink;
import dev.mandate.api.model.ChangeSet;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.Layer;
import dev.mandate.api.model.LayerState;
import dev.mandate.api.model.Relation;
import dev.mandate.benchmarks.model.EstateGenerator;
import dev.mandate.kernel.model.internal.ModelIndex;
import dev.mandate.kernel.reconciler.internal.DriftTracker;
import dev.mandate.kernel.reconciler.internal.FlowLogConnector;
import dev.mandate.kernel.reconciler.internal.ModelChanges;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reconciliation (issue #6): the real drift tracker ({@code DriftTracker}, {@code DriftDetector},
 * {@code ModelChanges}) and flow log connector on the real model index.
 *
 * <ul>
 * <li>{@code fullReconcile}: the first pass over {@code n} running elements against their built
 * layer (98% built as running, 1% built with another value: diverged, 1% not built: unmanaged),
 * opening every finding (evidence appends counted by a ledger double). Target ≤ 30 s at 1M.</li>
 * <li>{@code incrementalChange}: one element's running layer changes (a commit through
 * {@code ModelChanges}) and the next drift pass opens or clears its finding. Target ≤ 1 s.</li>
 * <li>{@code flowLogRecords}: a 1,000,000-record VPC flow log file (v2 default format, 2,000 clients
 * and 50 servers among 10,000 addressed elements, 10% rejected) read,
 * parsed, resolved to elements by address and aggregated into FLOWS_DATA_TO relations; records per
 * second = 1,000,000 / score. Target ≥ 100,000 records/s.</li>
 * </ul>
 * No blueprint is loaded (severity is the default per kind), and the estate carries no relations
 * (no flow rule to evaluate): what is measured is the layer diff, the finding bookkeeping and the
 * flow log path.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g"})
public class ReconciliationBenchmark {
    private static final Instant OBSERVED = Instant.parse("2026-11-26T04:00:00Z");
    private static final int FLOW_RECORDS = 1_000_000;

    @Param("1000000")
    public int n;

    private String[] ids;
    private IndexModelStore store;
    private ModelChanges changes;
    private DriftTracker incremental;
    private final SplittableRandom random = new SplittableRandom(11);
    private long flips;
    private Path flowFolder;
    private IndexModelStore hostStore;

    @Setup(Level.Trial)
    public void estate() throws IOException {
        List<Element> running = EstateGenerator.generate(n, 0, 7).elements();
        ids = new String[running.size()];
        ModelIndex.Builder builder = ModelIndex.EMPTY.toBuilder();
        for (int i = 0; i < running.size(); i++) {
            ids[i] = running.get(i).id();
            builder.put(layered(running.get(i), i % 100 == 0 ? null : i % 100 == 1 ? "other" : "same", "large"));
            running.set(i, null); // the estate's own copy goes as the index fills (heap)
        }
        store = new IndexModelStore(builder.build(1));
        changes = new ModelChanges(store);
        incremental = tracker();
        incremental.check(); // the full pass, once, before the incremental changes

        flowFolder = ScratchFolder.create("mandate-flowlogs");
        try (BufferedWriter out = Files.newBufferedWriter(flowFolder.resolve("flows.log"), StandardCharsets.UTF_8)) {
            for (int i = 0; i < FLOW_RECORDS; i++) {
                int from = random.nextInt(2_000); // clients talking to 50 servers: at most 100,000 pairs
                int to = 2_000 + random.nextInt(50);
                out.write("2 111122223333 eni-0a1b2c3d " + address(from) + " " + address(to) + " " + (32768 + i % 20000)
                        + " " + (i % 2 == 0 ? 443 : 5432) + " 6 " + (1 + i % 40) + " " + (40 + i % 9000) + " "
                        + (1766700000 + i / 1000) + " " + (1766700060 + i / 1000) + " "
                        + (i % 10 == 0 ? "REJECT" : "ACCEPT") + " OK\n");
            }
        }
        ModelIndex.Builder hosts = ModelIndex.EMPTY.toBuilder();
        for (int i = 0; i < 10_000; i++) {
            String id = "aws:ec2:instance:eu-west-1:111122223333:i-" + i;
            Map<String, Object> attributes = Map.of("privateIpAddress", address(i));
            hosts.put(new Element(id, "aws:ec2:instance", "aws", "prod", "internal", "team-" + (i % 50), Map.of(),
                    attributes, Map.of(Layer.RUNNING, new LayerState("bench", OBSERVED, "sha256:" + i, attributes))));
        }
        hostStore = new IndexModelStore(hosts.build(1));
    }

    private static String address(int i) {
        return "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255);
    }

    @TearDown(Level.Trial)
    public void removeFlowLogs() throws IOException {
        Files.deleteIfExists(flowFolder.resolve("flows.log"));
        Files.deleteIfExists(flowFolder);
    }

    /** The element with a RUNNING layer of {@code size} and, unless {@code built} is null, a BUILT one. */
    private static Element layered(Element element, String built, String size) {
        Map<String, Object> runningAttributes = new java.util.LinkedHashMap<>(element.attributes());
        runningAttributes.put("size", size);
        Map<Layer, LayerState> layers = new java.util.EnumMap<>(Layer.class);
        layers.put(Layer.RUNNING, new LayerState("aws-prod", OBSERVED, "sha256:" + size + element.id().hashCode(),
                runningAttributes));
        if (built != null) {
            Map<String, Object> builtAttributes = new java.util.LinkedHashMap<>(element.attributes());
            builtAttributes.put("size", built.equals("same") ? "large" : "small");
            layers.put(Layer.BUILT, new LayerState("tfstate", OBSERVED, "sha256:built" + element.id().hashCode(),
                    builtAttributes));
        }
        return new Element(element.id(), element.kind(), element.provider(), element.environment(),
                element.trustZone(), element.owner(), element.labels(), runningAttributes, layers);
    }

    private DriftTracker tracker() {
        return new DriftTracker(changes, new CountingLedger(), null, Clock.systemUTC(), 20, Set.of("facets"),
                Duration.ofMinutes(15));
    }

    /** A fresh tracker's first pass over the whole estate (every finding opened). */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 1)
    @Measurement(iterations = 3)
    public long fullReconcile() {
        DriftTracker tracker = tracker();
        tracker.check();
        return tracker.findings(null, null, null).size();
    }

    /** One element's running size changes; the next pass opens (or clears) its diverged finding. */
    @Benchmark
    @BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 2, time = 5)
    @Measurement(iterations = 3, time = 10)
    public long incrementalChange() {
        int i = 2 + random.nextInt(ids.length - 2);
        if (i % 100 < 2) {
            i += 2;
        }
        String size = (flips++ & 1) == 0 ? "medium" : "large";
        Element current = store.current().element(ids[i % ids.length]).orElseThrow();
        changes.commit(new ChangeSet("aws-prod", Layer.RUNNING, List.of(layered(current, "same", size)), List.of(),
                List.of(), List.of()));
        incremental.check();
        return incremental.revision();
    }

    /** 1,000,000 flow log records into aggregated FLOWS_DATA_TO relations: records/s = 1e6 / score (s). */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 1)
    @Measurement(iterations = 3)
    public long flowLogRecords() throws IOException {
        AtomicLong relations = new AtomicLong();
        // a new connector each time: a connector does not parse a file again that did not change
        new FlowLogConnector(hostStore, "bench-flows", 60, flowFolder).collect(new ObservationSink() {
            @Override
            public void element(Element element) {
            }

            @Override
            public void relation(Relation relation) {
                relations.incrementAndGet();
            }

            @Override
            public void absent(String elementId) {
            }
        });
        return relations.get();
    }

    /** The full pass once, outside JMH, with the count of findings and passes (a quick check of the setup). */
    public static void main(String[] args) throws IOException {
        ReconciliationBenchmark benchmark = new ReconciliationBenchmark();
        benchmark.n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        long start = System.nanoTime();
        benchmark.estate();
        System.out.printf("setup (estate, index, first full pass, flow log file): %d ms%n",
                (System.nanoTime() - start) / 1_000_000);
        // wall and this thread's CPU time: on a shared machine the CPU time says what the work costs
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        start = System.nanoTime();
        long cpu = threads.getCurrentThreadCpuTime();
        long findings = benchmark.fullReconcile();
        System.out.printf("full reconcile of %d elements: %d ms wall, %d ms cpu, %d findings%n", benchmark.n,
                (System.nanoTime() - start) / 1_000_000, (threads.getCurrentThreadCpuTime() - cpu) / 1_000_000,
                findings);
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            long t = System.nanoTime();
            benchmark.incrementalChange();
            times.add(System.nanoTime() - t);
        }
        times.sort(null);
        System.out.printf("incremental change to finding: p50 %.2f ms, p99 %.2f ms, max %.2f ms; full passes %d%n",
                times.get(100) / 1e6, times.get(197) / 1e6, times.get(199) / 1e6, benchmark.incremental.fullPasses());
        for (int run = 0; run < 3; run++) {
            start = System.nanoTime();
            cpu = threads.getCurrentThreadCpuTime();
            long relations = benchmark.flowLogRecords();
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpu) / 1e9;
            System.out.printf("flow logs: %d records in %.2f s wall (%.0f records/s), %.2f s cpu (%.0f records/s),"
                    + " %d relations%n", FLOW_RECORDS, seconds, FLOW_RECORDS / seconds, cpuSeconds,
                    FLOW_RECORDS / cpuSeconds, relations);
        }
        benchmark.removeFlowLogs();
    }
}
