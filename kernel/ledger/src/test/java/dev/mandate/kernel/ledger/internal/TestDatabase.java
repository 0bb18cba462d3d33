package dev.mandate.kernel.ledger.internal;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;

/** A real H2 database for tests, with a switch that makes it refuse connections as a crashed server would. */
final class TestDatabase implements DataSource {
    private static final long POLL_NANOS = 2_000_000;

    private final JdbcDataSource h2 = new JdbcDataSource();
    private final AtomicBoolean down = new AtomicBoolean();

    TestDatabase(String url) {
        h2.setURL(url);
        h2.setUser("sa");
        h2.setPassword("");
    }

    static TestDatabase inMemory(String name) {
        return new TestDatabase("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
    }

    void goDown() {
        down.set(true);
    }

    void comeBack() {
        down.set(false);
    }

    /** Runs SQL directly, as an operator (or an attacker) with database access would. */
    int execute(String sql) throws SQLException {
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

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
    }

    @Override
    public void setLoginTimeout(int seconds) {
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return false;
    }

    /** Polls {@code condition} until it holds or {@code timeout} passes. */
    static void await(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }
}
