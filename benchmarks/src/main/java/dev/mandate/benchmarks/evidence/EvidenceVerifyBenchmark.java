package dev.mandate.benchmarks.evidence;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.mandate.benchmarks.ScratchFolder;
import dev.mandate.api.evidence.EvidenceRecord;
import dev.mandate.api.evidence.VerificationResult;
import dev.mandate.kernel.ledger.internal.EvidenceLedgerImpl;
import dev.mandate.kernel.ledger.verify.ChainRecord;
import dev.mandate.kernel.ledger.verify.ChainVerifier;
import dev.mandate.kernel.ledger.verify.Jcs;

import org.h2.jdbcx.JdbcDataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Chain verification of {@value #RECORDS} decision-sized records: {@code chain} is the shared
 * verifier alone (what {@code mandate-evidence.jar} does per record after parsing), {@code ledger}
 * is {@code EvidenceLedger.verify()} reading them from an H2 file. The score is records per second.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EvidenceVerifyBenchmark {
    static final int RECORDS = 100_000;

    private final List<ChainRecord> chain = new ArrayList<>(RECORDS);
    private EvidenceLedgerImpl ledger;
    private PooledDataSource pool;

    @Setup(Level.Trial)
    public void fill() throws Exception {
        Path folder = ScratchFolder.create("mandate-verify-bench");
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:file:" + folder.resolve("ledger").toAbsolutePath() + ";WRITE_DELAY=0");
        h2.setUser("sa");
        h2.setPassword("");
        pool = new PooledDataSource(h2);
        ledger = new EvidenceLedgerImpl(pool, Clock.systemUTC(), null, 0, 1000);
        ExecutorService writers = Executors.newFixedThreadPool(64);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 64; t++) {
                done.add(writers.submit(() -> {
                    for (int i = 0; i < RECORDS / 64 + 1; i++) {
                        ledger.append("decision", 7, EvidenceAppendBenchmark.decisionPayload(i));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            writers.shutdownNow();
        }
        for (long from = 1; chain.size() < RECORDS; ) {
            List<EvidenceRecord> page = ledger.read(from, 10_000);
            for (EvidenceRecord r : page) {
                if (chain.size() < RECORDS) {
                    chain.add(new ChainRecord(r.sequence(), r.type(), ChainRecord.timestamp(r.timestamp()),
                            r.modelRevision(), Jcs.write(r.payload()), r.previousHash(), r.hash()));
                }
            }
            from = page.get(page.size() - 1).sequence() + 1;
        }
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        pool.close();
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public long chain() {
        ChainVerifier verifier = new ChainVerifier(List.of());
        for (ChainRecord record : chain) {
            if (verifier.accept(record).isPresent()) {
                throw new IllegalStateException("chain broken at " + record.sequence());
            }
        }
        return verifier.checked();
    }

    /** The whole stored ledger (a little more than {@value #RECORDS} records), read and checked. */
    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public VerificationResult ledger() {
        VerificationResult result = ledger.verify();
        if (!result.valid()) {
            throw new IllegalStateException(result.problem());
        }
        return result;
    }
}
