package dev.mandate.kernel.jdbc.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.h2.jdbcx.JdbcDataSource;

/**
 * A real H2 database for the stores' tests, with a switch that makes it refuse connections as a
 * crashed server would.
 */
public final class TestDatabase extends DataSourceBase {
    private static final long POLL_NANOS = 2_000_000;

    private final JdbcDataSource h2 = new JdbcDataSource();
    private final AtomicBoolean down = new AtomicBoolean();

    /** A database at an H2 JDBC URL ({@code jdbc:h2:mem:…}, {@code jdbc:h2:file:…}). */
    public TestDatabase(String url) {
        h2.setURL(url);
        h2.setUser("sa");
        h2.setPassword("");
    }

    /** A named in-memory database that lives until the JVM ends. */
    public static TestDatabase inMemory(String name) {
        return new TestDatabase("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
    }

    public void goDown() {
        down.set(true);
    }

    public void comeBack() {
        down.set(false);
    }

    /** Runs SQL directly, as an operator (or an attacker) with database access would. */
    public int execute(String sql) throws SQLException {
        try (Connection connection = h2.getConnection(); Statement statement = connection.createStatement()) {
            return statement.executeUpdate(sql);
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (down.get()) {
            throw new SQLException("connection refused: database is down");
        }
        return h2.getConnection();
    }

    /** Polls {@code condition} until it holds or {@code timeout} passes. */
    public static void await(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }
}
