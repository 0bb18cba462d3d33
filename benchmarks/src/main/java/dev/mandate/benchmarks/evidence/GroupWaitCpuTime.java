package dev.mandate.benchmarks.evidence;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import dev.mandate.api.evidence.EvidenceRecord;
import dev.mandate.benchmarks.ScratchFolder;
import dev.mandate.kernel.ledger.internal.EvidenceLedgerConfig;
import dev.mandate.kernel.ledger.internal.EvidenceLedgerImpl;

import org.h2.jdbcx.JdbcDataSource;

/**
 * The ledger's CPU per record as a busy decision point loads it, with group commits that write at
 * once and with group commits that wait for their group to fill ({@code groupWaitMicros}). Sixteen
 * caller threads (as {@code HttpDecisionLoad}'s clients) each do a slice of other CPU work standing in
 * for the HTTP request and the decision ({@code workMicros} of CPU, SHA-256 over a buffer), then
 * append the decision's record and wait until it is durable; every second request is a
 * REQUIRE_APPROVAL, which queues its record with {@code appendAsync} and appends the approval's record
 * behind it, as the decision point does. Rounds with the wait off and on alternate on one H2 file
 * ({@code WRITE_DELAY=0}, as the distribution's); each reports records/s, the process's CPU per record,
 * that minus the stand-in work (the ledger's share), and the bytes the process wrote per record.
 * Usage: {@code java -cp benchmarks.jar dev.mandate.benchmarks.evidence.GroupWaitCpuTime [seconds per round]
 * [rounds of each] [workMicros] [groupWaitMicros]}; {@code -Dquiet=} and {@code -Dfull=} set the other two settings.
 */
public final class GroupWaitCpuTime {
    private static final int CALLERS = 16;

    private GroupWaitCpuTime() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        long workMicros = args.length > 2 ? Long.parseLong(args[2]) : 150;
        long waitMicros = args.length > 3 ? Long.parseLong(args[3]) : 1000;
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        int units = calibrate(workMicros);
        Path folder = ScratchFolder.create("mandate-group-wait-cpu");
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:file:" + folder.resolve("ledger").toAbsolutePath() + ";WRITE_DELAY=0"
                + System.getProperty("h2.settings", ""));
        h2.setUser("sa");
        h2.setPassword("");
        try (PooledDataSource pool = new PooledDataSource(h2)) {
            for (int round = -1; round < rounds; round++) { // round -1 warms up
                for (long wait : new long[] {0, waitMicros}) {
                    EvidenceLedgerImpl ledger = new EvidenceLedgerImpl(pool, config(wait));
                    long cpuPerRequestWork = workCpuNanos(units);
                    long written = wchar();
                    long cpu = os.getProcessCpuTime();
                    long wall = System.nanoTime();
                    long[] counts = load(ledger, units, seconds);
                    long cpuUsed = os.getProcessCpuTime() - cpu;
                    long wallUsed = System.nanoTime() - wall;
                    long bytes = wchar() - written;
                    long records = counts[0];
                    long requests = counts[1];
                    if (round >= 0) {
                        System.out.printf("groupWaitMicros %5d: %,8.0f records/s  CPU/record %6.1f µs  ledger share"
                                + " %6.1f µs  written/record %,6.0f B%n", wait, records / (wallUsed / 1e9),
                                cpuUsed / 1e3 / records, (cpuUsed - requests * cpuPerRequestWork) / 1e3 / records,
                                (double) bytes / records);
                    }
                }
            }
        }
    }

    /** Runs the callers for {@code seconds}; returns the records and the requests they made. */
    private static long[] load(EvidenceLedgerImpl ledger, int units, int seconds) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        LongAdder records = new LongAdder();
        LongAdder requests = new LongAdder();
        List<Thread> callers = new ArrayList<>();
        for (int t = 0; t < CALLERS; t++) {
            int caller = t;
            Thread thread = new Thread(() -> {
                byte[] buffer = new byte[1024];
                for (int i = 0; !stop.get(); i++) {
                    work(buffer, units);
                    Map<String, Object> payload = EvidenceAppendBenchmark.decisionPayload(caller * 1_000_000 + i);
                    if (i % 2 == 0) {
                        ledger.append("decision", 7, payload);
                        records.increment();
                    } else {
                        CompletableFuture<EvidenceRecord> decision = ledger.appendAsync("decision", 7, payload)
                                .toCompletableFuture();
                        ledger.append("approval.repeated", 7, Map.of("decisionId", "d-" + caller + "-" + i));
                        decision.join();
                        records.add(2);
                    }
                    requests.increment();
                }
            }, "caller-" + t);
            callers.add(thread);
            thread.start();
        }
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        for (Thread thread : callers) {
            thread.join();
        }
        return new long[] {records.sum(), requests.sum()};
    }

    /** How many work units take about {@code micros} of CPU. */
    private static int calibrate(long micros) {
        int units = 1;
        while (true) {
            long cpu = workCpuNanos(units);
            if (cpu >= micros * 1000 || units > 1 << 20) {
                return Math.max(1, (int) (units * (micros * 1000.0 / cpu)));
            }
            units *= 2;
        }
    }

    /** The CPU time of one request's stand-in work, the median of a few tries on this thread. */
    private static long workCpuNanos(int units) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        byte[] buffer = new byte[1024];
        long[] tries = new long[21];
        for (int i = 0; i < tries.length; i++) {
            long start = threads.getCurrentThreadCpuTime();
            for (int k = 0; k < 50; k++) {
                work(buffer, units);
            }
            tries[i] = (threads.getCurrentThreadCpuTime() - start) / 50;
        }
        java.util.Arrays.sort(tries);
        return tries[tries.length / 2];
    }

    private static void work(byte[] buffer, int units) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (int i = 0; i < units; i++) {
                sha.update(buffer);
                buffer[i & 1023] ^= sha.digest()[0];
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Bytes this process has written (Linux {@code /proc/self/io}), or 0 elsewhere. */
    private static long wchar() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
                if (line.startsWith("wchar:")) {
                    return Long.parseLong(line.substring(6).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return 0;
    }

    /** The distribution's ledger settings, but for the group commit's wait and no timed checkpoints. */
    private static EvidenceLedgerConfig config(long waitMicros) {
        return new EvidenceLedgerConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return EvidenceLedgerConfig.class;
            }

            @Override
            public String dataSource_target() {
                return "(dataSourceName=mandate)";
            }

            @Override
            public int checkpointEveryRecords() {
                return 1000;
            }

            @Override
            public long checkpointEverySeconds() {
                return 0;
            }

            @Override
            public int retentionDays() {
                return 0;
            }

            @Override
            public int maxBatch() {
                return 1000;
            }

            @Override
            public long groupWaitMicros() {
                return waitMicros;
            }

            @Override
            public long groupQuietMicros() {
                return Long.getLong("quiet", 250);
            }

            @Override
            public int groupFullRecords() {
                return Integer.getInteger("full", 12);
            }
        };
    }
}
