package dev.mandate.benchmarks.intent;

import java.util.List;
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

import dev.mandate.api.model.Element;
import dev.mandate.benchmarks.model.EstateGenerator;
import dev.mandate.kernel.intent.internal.IntentRegistry;

/**
 * Finding the blueprints that apply to an element (target ≤ 2 µs), for a random element of the
 * 1,000,000-element benchmark estate ({@link EstateGenerator}, seed 7) with the 1,000-blueprint
 * corpus in force: {@code governing} returns the {@code name@version} of every blueprint whose
 * {@code appliesTo} selects the element (kind, environment, and the {@code match} condition of one
 * blueprint in ten, evaluated in CEL). {@code kinds = 150} spreads the corpus over a catalogue of
 * kinds as real packs do; {@code kinds = 11} puts all 1,000 on the estate's eleven kinds.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
public class BlueprintApplicabilityBenchmark {

    @Param("1000000")
    int elements;

    @Param({"150", "11"})
    int kinds;

    private Element[] estate;
    private IntentRegistry registry;
    private int next;

    @Setup(Level.Trial)
    public void load() {
        List<Element> generated = EstateGenerator.generate(elements, 0, 7).elements();
        estate = generated.toArray(Element[]::new);
        registry = new IntentRegistry((type, payload) -> { });
        IntentRegistry.LoadResult result = registry.load(BlueprintCorpus.pack(1000, kinds, 11));
        if (result.outcome() != IntentRegistry.Outcome.LOADED) {
            throw new IllegalStateException("the corpus was rejected: " + result.problems());
        }
    }

    /** A random-looking walk over the estate (a stride coprime with its size), so no element is favoured. */
    private Element nextElement() {
        next = (next + 7919) % estate.length;
        return estate[next];
    }

    @Benchmark
    public List<String> governing() {
        return registry.governing(nextElement());
    }

    @Benchmark
    public boolean governed() {
        return registry.governed(nextElement());
    }
}
