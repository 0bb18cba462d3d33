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
 * Arguments: {@code [kinds] [elements] [rounds]} (defaults 150, 1000000 and 5); {@code elements = 0}
 * measures the loads only.
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

    /**
     * CPU time of this process by kind of thread (JIT compilers, GC, the rest), in ms, from
     * {@code /proc/self/task} (Linux; empty elsewhere): on a cold load most of the process's CPU time
     * is the JIT compiling CEL's parser and checker, which no Java thread accounts for.
     */
    private static java.util.Map<String, Long> cpuByThreadKind() {
        java.util.Map<String, Long> ticks = new java.util.TreeMap<>();
        java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
        if (tasks == null) {
            return ticks;
        }
        for (java.io.File task : tasks) {
            try {
                String stat = java.nio.file.Files.readString(new java.io.File(task, "stat").toPath());
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long used = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                String kind = name.startsWith("C2 Compiler") ? "jit-c2" : name.startsWith("C1 Compiler") ? "jit-c1"
                        : name.startsWith("G1") || name.startsWith("GC") || name.contains("Conc") ? "gc"
                        : name.startsWith("mandate-intent") ? "compile-pool" : name.equals("java") ? "main" : "other";
                ticks.merge(kind, used * 10, Long::sum); // USER_HZ = 100 on Linux
            } catch (java.io.IOException | RuntimeException e) {
                // a thread that ended meanwhile
            }
        }
        return ticks;
    }

    public static void main(String[] args) {
        int kinds = args.length > 0 ? Integer.parseInt(args[0]) : 150;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        IntentSource pack = BlueprintCorpus.pack(1000, kinds, 11);
        IntentRegistry registry = null;
        for (int round = 1; round <= rounds; round++) {
            long cpu = THREADS.getCurrentThreadCpuTime();
            long allocated = ((com.sun.management.ThreadMXBean) THREADS).getCurrentThreadAllocatedBytes();
            long process = processCpuTime();
            long wall = System.nanoTime();
            registry = new IntentRegistry((type, payload) -> { });
            IntentRegistry.LoadResult result = registry.load(pack);
            cpu = THREADS.getCurrentThreadCpuTime() - cpu;
            allocated = ((com.sun.management.ThreadMXBean) THREADS).getCurrentThreadAllocatedBytes() - allocated;
            process = processCpuTime() - process;
            wall = System.nanoTime() - wall;
            if (result.outcome() != IntentRegistry.Outcome.LOADED) {
                throw new IllegalStateException("the corpus was rejected: " + result.problems());
            }
            System.out.printf("load 1,000 blueprints x 10 constraints (kinds %d), round %d: %,d ms CPU of the loading"
                    + " thread, %,d ms CPU of the process (compile pool, JIT, GC), %,d ms wall%n",
                    kinds, round, cpu / 1_000_000, process / 1_000_000, wall / 1_000_000);
            System.out.printf("  allocated by the loading thread: %,d MB (all of the load with -XX:ActiveProcessorCount=1)%n",
                    allocated >> 20);
            System.out.println("  CPU so far by thread (ms, ended threads not counted): " + cpuByThreadKind());
        }
        if (size == 0) {
            return;
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
