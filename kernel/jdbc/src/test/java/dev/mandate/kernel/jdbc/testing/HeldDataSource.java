package dev.mandate.kernel.jdbc.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CountDownLatch;

import javax.sql.DataSource;

/**
 * A data source whose connections wait until the test releases them, as a database that is slow
 * to come up: lets a test see what a store does while its start-up load is still under way.
 */
public final class HeldDataSource extends DataSourceBase {
    private final DataSource delegate;
    private final CountDownLatch release;

    public HeldDataSource(DataSource delegate, CountDownLatch release) {
        this.delegate = delegate;
        this.release = release;
    }

    @Override
    public Connection getConnection() throws SQLException {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted", e);
        }
        return delegate.getConnection();
    }
}
