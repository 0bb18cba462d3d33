package dev.mandate.kernel.ledger.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;

import dev.mandate.kernel.jdbc.testing.TestDatabase;

/**
 * The process {@link DurabilityTest} kills: appends records as fast as it can and prints the
 * sequence of each one after {@code append} has returned, that is after the ledger said it is durable.
 */
public final class LedgerWriterProcess {
    private LedgerWriterProcess() {
    }

    public static void main(String[] args) throws SQLException {
        TestDatabase database = new TestDatabase(args[0]);
        // held open for the life of the process, as a connection pool does: otherwise H2 closes (and
        // flushes) the database whenever its last connection closes, and the test would prove nothing
        Connection pooled = database.getConnection();
        EvidenceLedgerImpl ledger = new EvidenceLedgerImpl(database, Clock.systemUTC());
        for (long i = 1; ; i++) {
            long sequence = ledger.append("decision", i, Map.of("decisionId", "d-" + i, "outcome", "ALLOW")).sequence();
            System.out.println("appended " + sequence);
            System.out.flush();
            if (pooled.isClosed()) {
                throw new IllegalStateException("the held connection was closed");
            }
        }
    }
}
