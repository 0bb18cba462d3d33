package dev.mandate.kernel.ledger.internal;

import dev.mandate.kernel.jdbc.testing.TestDatabase;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;

/**
 * The process {@link GroupCommitCrashTest} kills: {@code args[1]} threads append records through
 * group commit as fast as they can, with checkpoints every 50 records, and each prints
 * {@code appended <sequence> <hash>} once {@code append} has returned, that is once the ledger
 * said the record is durable.
 */
public final class ConcurrentLedgerWriterProcess {
    private ConcurrentLedgerWriterProcess() {
    }

    public static void main(String[] args) throws SQLException {
        TestDatabase database = new TestDatabase(args[0]);
        int threads = Integer.parseInt(args[1]);
        // held open for the life of the process, as a connection pool does (see LedgerWriterProcess)
        Connection pooled = database.getConnection();
        EvidenceLedgerImpl ledger = new EvidenceLedgerImpl(database, Clock.systemUTC(), new KeyPairSigner("crash"), 50,
                1000);
        for (int t = 0; t < threads; t++) {
            int writer = t;
            Thread thread = new Thread(() -> {
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
}
