package dev.mandate.benchmarks.model;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;

import javax.sql.DataSource;

import dev.mandate.kernel.model.internal.ModelStoreImpl;

/**
 * {@link ModelCommitBenchmark}'s H2 case in CPU time of the committing thread, for a machine shared
 * with other work: with {@code WRITE_DELAY=0} H2 serialises and writes its pages on the thread that
 * commits, so that thread's CPU time is the cost of a durable commit without the time spent waiting
 * for a core (the fsync wait is in the wall time only). Same estate, batches and options.
 * {@code java -Xmx2g -cp benchmarks/target/benchmarks.jar dev.mandate.benchmarks.model.ModelCommitCpuTime [rounds] [batch]}
 */
public final class ModelCommitCpuTime {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ModelCommitCpuTime() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        EstateGenerator.Estate estate = EstateGenerator.generate(ModelCommitBenchmark.ELEMENTS, 0, 7);
        Path folder = Files.createTempDirectory("mandate-commit-cpu");
        for (int round = 1; round <= rounds; round++) {
            DataSource dataSource = ModelCommitBenchmark.h2File(folder.resolve("run-" + round));
            try (Connection held = dataSource.getConnection()) {
                ModelStoreImpl store = ModelCommitBenchmark.loadedStore(dataSource);
                long cpu = THREADS.getCurrentThreadCpuTime();
                long wall = System.nanoTime();
                ModelCommitBenchmark.commitAll(store, estate, batch);
                cpu = THREADS.getCurrentThreadCpuTime() - cpu;
                wall = System.nanoTime() - wall;
                store.close();
                int n = estate.elements().size();
                System.out.printf("round %d: %,d elements + %,d relations in batches of %,d: %.0f µs cpu per element"
                        + " = %,.0f elements per cpu-second (wall %,.0f elements/s)%n", round, n,
                        estate.relations().size(), batch, cpu / 1e3 / n, n / (cpu / 1e9), n / (wall / 1e9));
            }
        }
    }
}
