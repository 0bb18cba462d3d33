package dev.mandate.benchmarks.enforcement;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * {@link AdmissionReviewBenchmark}'s review measured in CPU time of the calling thread and in wall time, for a
 * machine shared with other work (where JMH's wall-clock samples mostly measure the wait for a core). CPU time
 * leaves out what the thread waits for: the ledger's flush to disk shows only in the wall time.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar dev.mandate.benchmarks.enforcement.AdmissionReviewCpuTime
 * [samples folder] [file|memory] [warm-up reviews] [measured reviews]}
 */
public final class AdmissionReviewCpuTime {

    private AdmissionReviewCpuTime() {
    }

    public static void main(String[] args) throws Exception {
        AdmissionReviewBenchmark bench = new AdmissionReviewBenchmark();
        bench.samples = args.length > 0 ? args[0] : "../shared/fixtures/k8s-admission";
        bench.ledger = args.length > 1 ? args[1] : "file";
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
        int measured = args.length > 3 ? Integer.parseInt(args[3]) : 20_000;
        bench.setUp();
        try {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            for (int i = 0; i < warmup; i++) {
                bench.review();
            }
            long[] cpu = new long[measured];
            long[] wall = new long[measured];
            for (int i = 0; i < measured; i++) {
                long cpuStart = threads.getCurrentThreadCpuTime();
                long wallStart = System.nanoTime();
                bench.review();
                wall[i] = System.nanoTime() - wallStart;
                cpu[i] = threads.getCurrentThreadCpuTime() - cpuStart;
            }
            System.out.printf(Locale.ROOT, "admission review, ledger %s, %d reviews after %d warm-up (the %d samples "
                    + "round robin)%n", bench.ledger, measured, warmup, bench.reviews.length);
            print("cpu time ", cpu);
            print("wall time", wall);
        } finally {
            bench.tearDown();
        }
    }

    private static void print(String what, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "%s  p50 %8.1f µs   p90 %8.1f µs   p99 %8.1f µs   p99.9 %8.1f µs   max %8.1f µs%n",
                what, at(sorted, 0.50), at(sorted, 0.90), at(sorted, 0.99), at(sorted, 0.999),
                sorted[sorted.length - 1] / 1000.0);
    }

    private static double at(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1000.0;
    }
}
