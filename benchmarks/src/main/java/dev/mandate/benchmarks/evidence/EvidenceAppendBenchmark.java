package dev.mandate.benchmarks.evidence;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import javax.sql.DataSource;

import dev.mandate.benchmarks.ScratchFolder;
import dev.mandate.api.evidence.EvidenceRecord;
import dev.mandate.kernel.ledger.internal.EvidenceLedgerImpl;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.h2.jdbcx.JdbcDataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Durable appends with group commit: {@code @Threads} callers append decision-sized records; each
 * call returns only once the transaction holding its record has committed (H2 file with
 * WRITE_DELAY=0 as the distribution configures it, or an embedded PostgreSQL 14 with
 * synchronous_commit=on, PostgreSQL's default). The score is records per second. A commit carries at
 * most as many records as callers wait, so the rate grows with the callers ({@code -t}).
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 3, time = 10)
@BenchmarkMode(Mode.Throughput)
@Threads(128)
public class EvidenceAppendBenchmark {

    @Param({"h2", "postgresql"})
    String database;

    @Param("1000")
    int maxBatch;

    private EmbeddedPostgres postgres;
    private PooledDataSource pool;
    private EvidenceLedgerImpl ledger;
    private Path folder;

    /** What a decision records: the request, the outcome, reasons, blast radius, blueprints in force. */
    static Map<String, Object> decisionPayload(long n) {
        return Map.of("decisionId", "d-" + n,
                "request", Map.of("actor", Map.of("id", "pipeline-" + (n % 17), "kind", "PIPELINE", "team", "team-payments"),
                        "action", "update", "target", "aws:rds:eu-west-1:123456789012:db/orders-prod-" + (n % 100),
                        "justification", "CHG-" + n),
                "outcome", n % 5 == 0 ? "REQUIRE_APPROVAL" : "ALLOW",
                "reasons", List.of(Map.of("source", "baseline/prod-data-store@1.2.0", "effect", "allow",
                        "message", "change by the owning team inside its change window")),
                "blastRadius", Map.of("count", 12, "owners", List.of("team-payments"), "truncated", false),
                "blueprints", List.of("baseline@1.2.0", "data-residency@1.0.0"), "intentGeneration", 42);
    }

    @Setup(Level.Trial)
    public void open() throws Exception {
        DataSource target;
        if ("postgresql".equals(database)) {
            // zonky's embedded PostgreSQL sets synchronous_commit=off unless told otherwise: durable means on
            postgres = EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "on").start();
            target = postgres.getPostgresDatabase(Map.of("reWriteBatchedInserts", "true"));
            try (Connection connection = target.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("DROP SCHEMA public CASCADE");
                statement.execute("CREATE SCHEMA public");
            }
        } else {
            folder = ScratchFolder.create("mandate-evidence-bench");
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL("jdbc:h2:file:" + folder.resolve("ledger").toAbsolutePath() + ";WRITE_DELAY=0");
            h2.setUser("sa");
            h2.setPassword("");
            target = h2;
        }
        pool = new PooledDataSource(target);
        ledger = new EvidenceLedgerImpl(pool, Clock.systemUTC(), null, 0, maxBatch);
        ledger.append("benchmark.start", 0, Map.of());
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        if (!ledger.verify().valid()) {
            throw new IllegalStateException("the chain does not verify after the run: " + ledger.verify().problem());
        }
        pool.close();
        if (postgres != null) {
            postgres.close();
        }
    }

    @Benchmark
    public EvidenceRecord appendDurably() {
        return ledger.append("decision", 7, decisionPayload(Thread.currentThread().getId()));
    }

    /** One benchmark thread's records in flight through {@code appendAsync}, oldest first. */
    @State(Scope.Thread)
    public static class InFlight {
        /** How many records one thread keeps in flight before it waits for the oldest. */
        @Param("1024")
        int window;

        final ArrayDeque<CompletableFuture<EvidenceRecord>> futures = new ArrayDeque<>();
        long next;

        /** Every record of the iteration is durable before the next one starts. */
        @TearDown(Level.Iteration)
        public void drain() {
            while (!futures.isEmpty()) {
                futures.poll().join();
            }
        }
    }

    /**
     * Durable appends through {@code appendAsync}: each of two threads (-t to change) keeps
     * {@code window} records in flight and, per record it appends, waits for its oldest one to be
     * durable. A record counts when it is queued; the iteration's last {@code window} per thread
     * become durable in the iteration's tear-down (≤ 2,048 of several hundred thousand).
     */
    @Benchmark
    @Threads(2)
    public EvidenceRecord appendAsyncDurably(InFlight inFlight) {
        inFlight.futures.add(ledger.appendAsync("decision", 7, decisionPayload(inFlight.next++)).toCompletableFuture());
        return inFlight.futures.size() > inFlight.window ? inFlight.futures.poll().join() : null;
    }
}
