package dev.mandate.benchmarks.intent;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;

import dev.mandate.api.model.Element;
import dev.mandate.benchmarks.model.EstateGenerator;
import dev.mandate.kernel.intent.internal.IntentRegistry;
import dev.mandate.kernel.intent.internal.IntentSource;

/**
 * The operations of {@link BlueprintLoadBenchmark} and {@link BlueprintApplicabilityBenchmark} in CPU
 * time of the measuring thread, for a machine shared with other work (where wall-clock JMH scores
 * mostly measure the wait for a core): loading the 1,000-blueprint corpus into a fresh registry, five
 * rounds, in CPU time of the loading thread and of the whole process (the load compiles on a pool); then {@code governing} over 2,000,000 lookups of elements of the 1M estate, three rounds.
 * Arguments: {@code [kinds] [elements]} (defaults 150 and 1000000).
 */
public final class BlueprintCpuTime {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private BlueprintCpuTime() {
    }

    /** CPU time of every thread of this JVM (the compile pool, the JIT compilers, GC), in ns. */
    private static long processCpuTime() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    public static void main(String[] args) {
        int kinds = args.length > 0 ? Integer.parseInt(args[0]) : 150;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        IntentSource pack = BlueprintCorpus.pack(1000, kinds, 11);
        IntentRegistry registry = null;
        for (int round = 1; round <= 5; round++) {
            long cpu = THREADS.getCurrentThreadCpuTime();
            long process = processCpuTime();
            long wall = System.nanoTime();
            registry = new IntentRegistry((type, payload) -> { });
            IntentRegistry.LoadResult result = registry.load(pack);
            cpu = THREADS.getCurrentThreadCpuTime() - cpu;
            process = processCpuTime() - process;
            wall = System.nanoTime() - wall;
            if (result.outcome() != IntentRegistry.Outcome.LOADED) {
                throw new IllegalStateException("the corpus was rejected: " + result.problems());
            }
            System.out.printf("load 1,000 blueprints x 10 constraints (kinds %d), round %d: %,d ms CPU of the loading"
                    + " thread, %,d ms CPU of the process (compile pool, JIT, GC), %,d ms wall%n",
                    kinds, round, cpu / 1_000_000, process / 1_000_000, wall / 1_000_000);
        }
        Element[] estate = EstateGenerator.generate(size, 0, 7).elements().toArray(Element[]::new);
        int lookups = 2_000_000;
        long found = 0;
        int next = 0;
        for (int round = 0; round <= 3; round++) {
            long cpu = THREADS.getCurrentThreadCpuTime();
            for (int i = 0; i < lookups; i++) {
                next = (next + 7919) % estate.length;
                List<String> governing = registry.governing(estate[next]);
                found += governing.size();
            }
            cpu = THREADS.getCurrentThreadCpuTime() - cpu;
            System.out.printf("governing, %s round %d: %,d ns CPU per lookup (%.1f blueprints per element)%n",
                    round == 0 ? "warm-up" : "", round, cpu / lookups, found / (double) lookups);
            found = 0;
        }
    }
}
