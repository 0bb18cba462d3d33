package dev.mandate.benchmarks.model;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import javax.sql.DataSource;

import dev.mandate.api.model.Element;
import dev.mandate.benchmarks.ScratchFolder;
import dev.mandate.kernel.model.internal.ModelStoreImpl;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * {@link ModelCommitBenchmark} in CPU time, for a machine shared with other work. On H2 with
 * {@code WRITE_DELAY=0} the database serialises and writes its pages on the thread that commits,
 * so that thread's CPU time is the cost of a durable commit without the time spent waiting for a
 * core (the fsync wait is in the wall time only). On PostgreSQL (embedded, the driver's
 * {@code reWriteBatchedInserts} on) the figure adds the CPU time of the server's processes (the
 * postmaster with its finished backends, and the live backends) to the committing thread's.
 * Same estate, batches and options as the JMH benchmark.
 * {@code java -Xmx2g -cp benchmarks/target/benchmarks.jar dev.mandate.benchmarks.model.ModelCommitCpuTime [rounds] [batch] [h2|postgresql] [auto|on|off]}
 */
public final class ModelCommitCpuTime {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** Linux clock ticks per second of /proc/[pid]/stat's times. */
    private static final long TICKS_PER_SECOND = 100;
    private static final int READS = 2_000;

    private ModelCommitCpuTime() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        boolean postgresql = args.length > 2 && "postgresql".equals(args[2]);
        Boolean journal = args.length > 3 && !"auto".equals(args[3]) ? Boolean.valueOf("on".equals(args[3])) : null;
        EstateGenerator.Estate estate = EstateGenerator.generate(ModelCommitBenchmark.ELEMENTS, 0, 7);
        Path folder = ScratchFolder.create("mandate-commit-cpu");
        // zonky's embedded PostgreSQL sets synchronous_commit=off unless told otherwise: durable means on
        EmbeddedPostgres postgres = postgresql
                ? EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "on").start() : null;
        try {
            for (int round = 1; round <= rounds; round++) {
                DataSource dataSource = postgresql ? ModelCommitBenchmark.freshPostgres(postgres, true)
                        : ModelCommitBenchmark.h2File(folder.resolve("run-" + round));
                try (Connection held = dataSource.getConnection()) {
                    ModelStoreImpl store = ModelCommitBenchmark.loadedStore(dataSource, journal);
                    long server = postgresql ? serverCpuNanos(postgres.getPort()) : 0;
                    long loader = loaderCpuNanos();
                    long cpu = THREADS.getCurrentThreadCpuTime();
                    long wall = System.nanoTime();
                    ModelCommitBenchmark.commitAll(store, estate, batch);
                    cpu = THREADS.getCurrentThreadCpuTime() - cpu;
                    long committedWall = System.nanoTime() - wall;
                    long committedServer = postgresql ? serverCpuNanos(postgres.getPort()) - server : 0;
                    long committedLoader = loaderCpuNanos() - loader;
                    if (!store.awaitHistoryWritten(Duration.ofMinutes(10))) {
                        throw new IllegalStateException("the history was not written within 10 minutes");
                    }
                    long writtenWall = System.nanoTime() - wall;
                    long writtenServer = postgresql ? serverCpuNanos(postgres.getPort()) - server : 0;
                    long writtenLoader = loaderCpuNanos() - loader;
                    String reads = historyReads(store, estate);
                    store.close();
                    int n = estate.elements().size();
                    long committed = cpu + committedServer;
                    long written = cpu + writtenServer + writtenLoader;
                    System.out.printf("round %d (%s, journal %s): %,d elements + %,d relations in batches of %,d:"
                            + " committed with %.0f µs cpu per element (%.0f committing thread + %.0f server)"
                            + " = %,.0f elements per cpu-second, wall %,.0f elements/s (history thread meanwhile"
                            + " %.0f µs); with the history written %.0f µs (+ %.0f history thread + %.0f server)"
                            + " = %,.0f elements per cpu-second, wall %,.0f elements/s%n",
                            round, postgresql ? "postgresql" : "h2", journal == null ? "auto" : journal ? "on" : "off",
                            n, estate.relations().size(), batch, committed / 1e3 / n, cpu / 1e3 / n,
                            committedServer / 1e3 / n, n / (committed / 1e9), n / (committedWall / 1e9),
                            committedLoader / 1e3 / n, written / 1e3 / n, writtenLoader / 1e3 / n,
                            (writtenServer - committedServer) / 1e3 / n, n / (written / 1e9), n / (writtenWall / 1e9));
                    System.out.println("  history reads: " + reads);
                }
            }
        } finally {
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    /**
     * {@value #READS} reads of a random element, and as many of a random element's relations, each
     * at a random earlier revision (the current one is answered from memory): CPU µs per read on
     * this thread (for PostgreSQL the server's share is not counted).
     */
    private static String historyReads(ModelStoreImpl store, EstateGenerator.Estate estate) {
        Random random = new Random(11);
        long last = store.current().revision();
        List<String> ids = estate.elements().stream().map(Element::id).toList();
        long found = 0;
        for (int warm = 0; warm < READS / 4; warm++) {
            found += store.elementAt(ids.get(random.nextInt(ids.size())), 1 + random.nextLong(last - 1)).isPresent()
                    ? 1 : 0;
        }
        long cpu = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < READS; i++) {
            found += store.elementAt(ids.get(random.nextInt(ids.size())), 1 + random.nextLong(last - 1)).isPresent()
                    ? 1 : 0;
        }
        long elementNanos = THREADS.getCurrentThreadCpuTime() - cpu;
        cpu = THREADS.getCurrentThreadCpuTime();
        long relations = 0;
        for (int i = 0; i < READS; i++) {
            relations += store.relationsAt(ids.get(random.nextInt(ids.size())), 1 + random.nextLong(last - 1)).size();
        }
        long relationNanos = THREADS.getCurrentThreadCpuTime() - cpu;
        return String.format("elementAt %.0f µs cpu, relationsAt %.0f µs cpu (%d found, %d relations)",
                elementNanos / 1e3 / READS, relationNanos / 1e3 / READS, found, relations);
    }

    /** CPU time of the live threads that keep the model's history (the stores' loader threads: merges of history runs). */
    private static long loaderCpuNanos() {
        long nanos = 0;
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if ("mandate-model-loader".equals(thread.getName())) {
                long time = THREADS.getThreadCpuTime(thread.getId());
                nanos += Math.max(0, time);
            }
        }
        return nanos;
    }

    /**
     * CPU time of the PostgreSQL server listening on {@code port}: its postmaster's own and its
     * reaped children's, plus the live children's.
     */
    private static long serverCpuNanos(int port) throws IOException {
        long postmaster = -1;
        long ticks = 0;
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                String command = read(process.resolve("cmdline")).replace('\0', ' ');
                if (command.contains("postgres") && command.contains("-p " + port + " ")) {
                    postmaster = Long.parseLong(process.getFileName().toString());
                }
            }
        }
        if (postmaster < 0) {
            throw new IllegalStateException("no postgres process listens on port " + port);
        }
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                String[] stat = statFields(process);
                if (stat.length == 0) {
                    continue;
                }
                long pid = Long.parseLong(process.getFileName().toString());
                if (pid == postmaster) {
                    ticks += Long.parseLong(stat[11]) + Long.parseLong(stat[12]) + Long.parseLong(stat[13])
                            + Long.parseLong(stat[14]);
                } else if (Long.parseLong(stat[1]) == postmaster) {
                    ticks += Long.parseLong(stat[11]) + Long.parseLong(stat[12]);
                }
            }
        }
        return ticks * 1_000_000_000L / TICKS_PER_SECOND;
    }

    /** The fields of /proc/[pid]/stat after the command name: state, ppid, ..., utime at 11, stime, cutime, cstime. */
    private static String[] statFields(Path process) {
        String stat = read(process.resolve("stat"));
        int end = stat.lastIndexOf(')');
        return end < 0 ? new String[0] : stat.substring(end + 2).trim().split(" ");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException | RuntimeException e) {
            return ""; // the process has gone
        }
    }
}
