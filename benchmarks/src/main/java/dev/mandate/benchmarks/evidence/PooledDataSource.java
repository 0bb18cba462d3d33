package dev.mandate.benchmarks.evidence;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import javax.sql.DataSource;

import dev.mandate.kernel.jdbc.testing.DataSourceBase;

/**
 * Reuses physical connections, as the connection pool in front of a DataSource in Karaf does
 * (pax-jdbc-config); without it every PostgreSQL commit would pay for a new connection.
 */
final class PooledDataSource extends DataSourceBase implements AutoCloseable {
    private final DataSource target;
    private final ConcurrentLinkedQueue<Connection> idle = new ConcurrentLinkedQueue<>();
    private final List<Connection> all = new ArrayList<>();

    PooledDataSource(DataSource target) {
        this.target = target;
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection physical = idle.poll();
        if (physical == null) {
            physical = target.getConnection();
            synchronized (all) {
                all.add(physical);
            }
        }
        Connection held = physical;
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        if (!held.getAutoCommit()) {
                            held.rollback();
                            held.setAutoCommit(true);
                        }
                        idle.add(held);
                        return null;
                    }
                    try {
                        return method.invoke(held, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Override
    public void close() throws SQLException {
        synchronized (all) {
            for (Connection connection : all) {
                connection.close();
            }
        }
    }
}
