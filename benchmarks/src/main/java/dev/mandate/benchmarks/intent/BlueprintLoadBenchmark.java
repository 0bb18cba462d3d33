package dev.mandate.benchmarks.intent;

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
import org.openjdk.jmh.annotations.Warmup;

import dev.mandate.kernel.intent.internal.IntentRegistry;
import dev.mandate.kernel.intent.internal.IntentSource;

/**
 * Loading and compiling a pack of 1,000 blueprints with 10 constraints each (target ≤ 5 s): the
 * YAML read, every CEL expression parsed, type-checked and planned, owners and versions checked,
 * the policy set built and published, one evidence record per blueprint handed to the (no-op)
 * recorder. Each invocation loads into a fresh registry, as at start-up. Single shot: the first
 * loads of a JVM (JIT cold) are the warm-up iterations and are reported separately by JMH.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class BlueprintLoadBenchmark {

    @Param("1000")
    int blueprints;

    @Param("150")
    int kinds;

    private IntentSource pack;

    @Setup(Level.Trial)
    public void generate() {
        pack = BlueprintCorpus.pack(blueprints, kinds, 11);
    }

    @Benchmark
    public IntentRegistry loadPack() {
        IntentRegistry registry = new IntentRegistry((type, payload) -> { });
        IntentRegistry.LoadResult result = registry.load(pack);
        if (result.outcome() != IntentRegistry.Outcome.LOADED) {
            throw new IllegalStateException("the corpus was rejected: " + result.problems());
        }
        return registry;
    }
}
