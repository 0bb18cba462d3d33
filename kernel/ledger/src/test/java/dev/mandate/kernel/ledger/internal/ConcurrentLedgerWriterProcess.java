package dev.mandate.kernel.ledger.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Semaphore;

import javax.sql.DataSource;

import dev.mandate.kernel.jdbc.testing.TestDatabase;

import org.postgresql.ds.PGSimpleDataSource;

/**
 * The process {@link GroupCommitCrashTest} kills: {@code args[1]} threads append records through
 * group commit as fast as they can, with checkpoints every 50 records, and each prints
 * {@code appended <sequence> <hash>} once {@code append} has returned (group commits wait for their
 * group to fill, as the distribution's do), that is once the ledger
 * said the record is durable. With {@code args[2] = async} each thread keeps up to 64 records in
 * flight through {@code appendAsync} and prints a record once its stage has completed.
 */
public final class ConcurrentLedgerWriterProcess {
    private ConcurrentLedgerWriterProcess() {
    }

    public static void main(String[] args) throws SQLException {
        DataSource database = dataSource(args[0]);
        int threads = Integer.parseInt(args[1]);
        boolean async = args.length > 2 && args[2].equals("async");
        // held open for the life of the process, as a connection pool does (see LedgerWriterProcess)
        Connection pooled = database.getConnection();
        EvidenceLedgerImpl ledger = new EvidenceLedgerImpl(database, Clock.systemUTC(), new KeyPairSigner("crash"), 50,
                1000, new GroupFill(1000, 250, 12));
        for (int t = 0; t < threads; t++) {
            int writer = t;
            Thread thread = new Thread(async ? () -> {
                Semaphore window = new Semaphore(64);
                for (long i = 1; ; i++) {
                    window.acquireUninterruptibly();
                    ledger.appendAsync("decision", i, Map.of("writer", writer, "decisionId", "d-" + writer + "-" + i,
                            "outcome", "ALLOW")).whenComplete((record, failure) -> {
                                window.release();
                                if (record != null) {
                                    System.out.println("appended " + record.sequence() + " " + record.hash());
                                }
                            });
                }
            } : () -> {
                for (long i = 1; ; i++) {
                    var record = ledger.append("decision", i, Map.of("writer", writer, "decisionId", "d-" + writer + "-" + i,
                            "outcome", "ALLOW"));
                    System.out.println("appended " + record.sequence() + " " + record.hash());
                }
            }, "writer-" + t);
            thread.start();
        }
        if (pooled.isClosed()) {
            throw new IllegalStateException("the held connection was closed");
        }
    }

    /** An H2 or PostgreSQL data source for a JDBC URL. */
    static DataSource dataSource(String url) {
        if (url.startsWith("jdbc:postgresql:")) {
            PGSimpleDataSource postgres = new PGSimpleDataSource();
            postgres.setUrl(url);
            return postgres;
        }
        return new TestDatabase(url);
    }
}
