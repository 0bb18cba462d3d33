package dev.mandate.benchmarks.evidence;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.mandate.benchmarks.ScratchFolder;
import dev.mandate.kernel.ledger.internal.EvidenceLedgerImpl;
import dev.mandate.kernel.ledger.verify.ChainRecord;
import dev.mandate.kernel.ledger.verify.ChainVerifier;
import dev.mandate.kernel.ledger.verify.Jcs;

import org.h2.jdbcx.JdbcDataSource;

/**
 * The evidence benchmarks in CPU time, for a machine shared with other work (where wall-clock
 * throughput measures the scheduler): records per CPU-second of durable group-commit appends
 * and of {@code appendAsync} with records in flight (process CPU time, all threads, H2 file with
 * WRITE_DELAY=0), of {@code EvidenceLedger.verify()} (process CPU time: it checks segments of the
 * chain on one thread per processor, H2 embedded) and of the shared chain verifier alone.
 * Usage: {@code java -cp benchmarks.jar dev.mandate.benchmarks.evidence.EvidenceCpuTime [records]}.
 */
public final class EvidenceCpuTime {
    private EvidenceCpuTime() {
    }

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Path folder = ScratchFolder.create("mandate-evidence-cpu");
        JdbcDataSource h2 = new JdbcDataSource();
        // -Dh2.settings=";CACHE_SIZE=1048576" shows what a page cache that holds the whole ledger does to verify()
        h2.setURL("jdbc:h2:file:" + folder.resolve("ledger").toAbsolutePath() + ";WRITE_DELAY=0"
                + System.getProperty("h2.settings", ""));
        h2.setUser("sa");
        h2.setPassword("");
        try (PooledDataSource pool = new PooledDataSource(h2)) {
            EvidenceLedgerImpl ledger = new EvidenceLedgerImpl(pool, Clock.systemUTC(), null, 0, 1000);
            ledger.append("benchmark.start", 0, java.util.Map.of());
            for (int round = 0; round < 2; round++) { // the first round warms up
                int writers = 64;
                long cpu = os.getProcessCpuTime();
                long wall = System.nanoTime();
                ExecutorService pool64 = Executors.newFixedThreadPool(writers);
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < writers; t++) {
                    done.add(pool64.submit(() -> {
                        for (int i = 0; i < records / writers; i++) {
                            ledger.append("decision", 7, EvidenceAppendBenchmark.decisionPayload(i));
                        }
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
                pool64.shutdown();
                report("append (64 threads, group commit, H2 durable)", records / writers * writers,
                        os.getProcessCpuTime() - cpu, System.nanoTime() - wall);
            }
            for (int round = 0; round < 3; round++) {
                int writers = 2;
                long cpu = os.getProcessCpuTime();
                long wall = System.nanoTime();
                ExecutorService asyncPool = Executors.newFixedThreadPool(writers);
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < writers; t++) {
                    done.add(asyncPool.submit(() -> {
                        java.util.ArrayDeque<java.util.concurrent.CompletableFuture<?>> inFlight = new java.util.ArrayDeque<>();
                        for (int i = 0; i < records / writers; i++) {
                            inFlight.add(ledger.appendAsync("decision", 7, EvidenceAppendBenchmark.decisionPayload(i))
                                    .toCompletableFuture());
                            if (inFlight.size() > 1024) {
                                inFlight.poll().join();
                            }
                        }
                        inFlight.forEach(java.util.concurrent.CompletableFuture::join);
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
                asyncPool.shutdown();
                report("appendAsync (2 threads x 1,024 in flight, H2 durable)", records / writers * writers,
                        os.getProcessCpuTime() - cpu, System.nanoTime() - wall);
            }
            long stored = ledger.head().orElseThrow().sequence();
            List<ChainRecord> chain = new ArrayList<>();
            for (long from = 1; chain.size() < stored; ) {
                var page = ledger.read(from, 10_000);
                for (var r : page) {
                    chain.add(new ChainRecord(r.sequence(), r.type(), ChainRecord.timestamp(r.timestamp()),
                            r.modelRevision(), Jcs.write(r.payload()), r.previousHash(), r.hash()));
                }
                from = page.get(page.size() - 1).sequence() + 1;
            }
            for (int round = 0; round < Integer.getInteger("verifyRounds", 4); round++) {
                long cpu = os.getProcessCpuTime();
                long wall = System.nanoTime();
                if (!ledger.verify().valid()) {
                    throw new IllegalStateException("the ledger does not verify");
                }
                report("EvidenceLedger.verify() (H2, all threads)", stored, os.getProcessCpuTime() - cpu,
                        System.nanoTime() - wall);
            }
            for (int round = 0; round < 6; round++) {
                long cpu = threads.getCurrentThreadCpuTime();
                long wall = System.nanoTime();
                ChainVerifier verifier = new ChainVerifier(List.of());
                for (ChainRecord record : chain) {
                    if (verifier.accept(record).isPresent()) {
                        throw new IllegalStateException("chain broken at " + record.sequence());
                    }
                }
                report("ChainVerifier alone (one thread)", chain.size(), threads.getCurrentThreadCpuTime() - cpu,
                        System.nanoTime() - wall);
            }
        }
    }

    private static void report(String what, long records, long cpuNanos, long wallNanos) {
        System.out.printf("%-50s %,9d records  %,10.0f records/CPU-s  %,10.0f records/s wall%n", what, records,
                records / (cpuNanos / 1e9), records / (wallNanos / 1e9));
    }
}
