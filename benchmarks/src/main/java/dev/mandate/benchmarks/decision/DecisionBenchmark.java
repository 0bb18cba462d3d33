package dev.mandate.benchmarks.decision;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Decision;
import dev.mandate.api.decision.DecisionPoint;
import dev.mandate.api.decision.Outcome;
import dev.mandate.blueprints.cedar.CedarEstate;
import dev.mandate.blueprints.cedar.MandateHarness;

/**
 * One decision of Mandate's real decision path (model index, intent registry with the
 * Cedar-equivalent pack, DecisionPointImpl: blast radius and reasons included, evidence and grant
 * signing excluded through test doubles) beside cedar-java deciding the same request of the same
 * estate under the same 52 policies, in the same JVM run.
 *
 * <p>The estate is a folder written by {@code ../shared/bench/cedar-peer/run.sh} ({@code -p
 * estate=...}); the policies are those of {@code shared/bench/agreement-10k}, which the pack
 * expresses, whatever the estate's own seed generated. Each thread walks the estate's requests in
 * order, from its own offset.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g", "-XX:+UseParallelGC"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class DecisionBenchmark {

    @Param({"target/cedar-peer/estate-100000"})
    public String estate;

    /** Requests read from the estate (the estate has 100,000; fewer keep the heap small on 1M). */
    @Param({"100000"})
    public int requests;

    /** How many requests both engines decide before measuring, to check they agree (all of them: -p check=100000). */
    @Param({"10000"})
    public int check;

    ActionRequest[] mandateRequests;
    DecisionPoint mandate;
    CedarJavaPeer cedar;
    // for the breakdown: the parts of one decision measured on their own
    MandateHarness harness;
    dev.mandate.api.model.Element[] targets;
    dev.mandate.api.model.BlastRadius[] radii;

    @Setup(Level.Trial)
    public void load() throws IOException {
        Path folder = Path.of(estate);
        if (!Files.isDirectory(folder)) {
            throw new IllegalStateException("estate folder '" + folder.toAbsolutePath()
                    + "' not found: generate it with ../shared/bench/cedar-peer/run.sh (benchmarks/README.md)");
        }
        Path policies = CedarEstate.findBench(folder, CedarEstate.AGREEMENT)
                .or(() -> CedarEstate.findBench(Path.of(""), CedarEstate.AGREEMENT))
                .orElseThrow(() -> new IllegalStateException("shared/bench/agreement-10k not found"))
                .resolve("policies.json");
        long start = System.nanoTime();
        CedarEstate loaded = CedarEstate.read(folder, requests);
        harness = MandateHarness.of(loaded);
        mandate = harness.decisionPoint();
        mandateRequests = loaded.requests().toArray(ActionRequest[]::new);
        targets = new dev.mandate.api.model.Element[mandateRequests.length];
        radii = new dev.mandate.api.model.BlastRadius[mandateRequests.length];
        for (int i = 0; i < mandateRequests.length; i++) {
            targets[i] = harness.model().element(mandateRequests[i].target()).orElseThrow();
            radii[i] = harness.model().blastRadius(targets[i].id(), MandateHarness.BLAST_RELATIONS,
                    MandateHarness.BLAST_CAP);
        }
        cedar = new CedarJavaPeer(loaded, harness.model(), policies);
        System.out.printf("%nestate %s: %d elements, %d relations, %d requests, loaded in %d ms%n", folder,
                loaded.elements().size(), loaded.relations().size(), mandateRequests.length,
                (System.nanoTime() - start) / 1_000_000);
        agreement(loaded.verbs());
    }

    /** Both engines on the first {@code check} requests once, before measuring: they must agree (same rules, same estate). */
    private void agreement(List<String> verbs) {
        Map<String, Integer> counts = new TreeMap<>();
        int disagree = 0;
        int checked = Math.min(check, mandateRequests.length);
        for (int i = 0; i < checked; i++) {
            Decision decision = mandate.decide(mandateRequests[i]);
            String ours = decision.outcome() == Outcome.ALLOW ? "allow"
                    : decision.outcome() == Outcome.DENY ? "deny" : "needs_approval";
            String theirs = cedar.decide(i);
            counts.merge(ours, 1, Integer::sum);
            if (!ours.equals(theirs)) {
                if (disagree++ < 5) {
                    System.out.printf("disagreement on request %d (%s): mandate %s, cedar-java %s %s%n", i,
                            verbs.get(i), ours, theirs, decision.reasons());
                }
            }
        }
        System.out.printf("outcomes %s; mandate and cedar-java disagree on %d of %d requests%n", counts, disagree,
                checked);
        if (disagree > 0) {
            throw new IllegalStateException(disagree + " requests decided differently by mandate and cedar-java");
        }
    }

    /** Each thread's position in the request stream. */
    @State(Scope.Thread)
    public static class Cursor {
        private static final java.util.concurrent.atomic.AtomicInteger THREADS =
                new java.util.concurrent.atomic.AtomicInteger();
        int next;

        @Setup(Level.Trial)
        public void start() {
            next = THREADS.getAndIncrement() * 7919;
        }

        int next(int size) {
            int i = next;
            next = i + 1 == size ? 0 : i + 1;
            return i % size;
        }
    }

    // ---- latency: SampleTime gives the distribution (p50, p99 …) of single decisions

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Decision mandateLatency(Cursor cursor) {
        return mandate.decide(mandateRequests[cursor.next(mandateRequests.length)]);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public String cedarJavaLatency(Cursor cursor) {
        return cedar.decide(cursor.next(mandateRequests.length));
    }

    // ---- throughput: decisions per second on one and on two threads

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(1)
    public Decision mandateThroughput1(Cursor cursor) {
        return mandate.decide(mandateRequests[cursor.next(mandateRequests.length)]);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(2)
    public Decision mandateThroughput2(Cursor cursor) {
        return mandate.decide(mandateRequests[cursor.next(mandateRequests.length)]);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(1)
    public String cedarJavaThroughput1(Cursor cursor) {
        return cedar.decide(cursor.next(mandateRequests.length));
    }

    // ---- where the time of one Mandate decision goes (average µs of each part alone)

    /** The blast radius walk the decision point does for the target. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public dev.mandate.api.model.BlastRadius partBlastRadius(Cursor cursor) {
        return harness.model().blastRadius(mandateRequests[cursor.next(mandateRequests.length)].target(),
                MandateHarness.BLAST_RELATIONS, MandateHarness.BLAST_CAP);
    }

    /** The intent evaluation: CEL variables built, guarded rules evaluated, messages rendered. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public dev.mandate.api.intent.Evaluation partIntent(Cursor cursor) {
        int i = cursor.next(mandateRequests.length);
        return harness.registry().evaluate(new dev.mandate.api.intent.EvaluationContext(targets[i],
                mandateRequests[i], radii[i], java.time.Instant.EPOCH));
    }

    /** The whole decision, in the same unit as its parts. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Decision partWhole(Cursor cursor) {
        return mandate.decide(mandateRequests[cursor.next(mandateRequests.length)]);
    }
}
