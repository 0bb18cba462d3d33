package dev.mandate.kernel.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

/**
 * Applies the versioned SQL scripts of one schema in order and records each in its version table.
 * The scripts are read from the class loader of the bundle that owns the schema.
 * A script is applied in its own transaction together with its version row. PostgreSQL rolls a
 * failed script back, but H2 commits DDL as it goes: a script cut short (a stopped thread, a killed
 * process) leaves part of its work behind without its version row. Every script must therefore be
 * re-runnable ({@code IF NOT EXISTS}, {@code DROP … IF EXISTS} before {@code ADD}), so that the next
 * start applies it again over what it finds. Scripts must be portable between H2 2.x and PostgreSQL 14.
 *
 * <p>{@link #migrate} is serialised on this migrator, so two stores of one bundle that start at once
 * (a component re-activated while its predecessor still loads) migrate one after the other; hold one
 * migrator per schema in a constant. Across processes, a script that fails because another process
 * recorded it first is taken as applied.
 */
public final class SchemaMigrator {
    private final String versionTable;
    private final ClassLoader loader;
    private final String resourceFolder;
    private final List<String> scripts;

    /**
     * @param versionTable   the table that records applied versions
     * @param loader         the class loader that holds the scripts (the owning bundle's)
     * @param resourceFolder the class path folder of the scripts, e.g. {@code db/migration/model}
     * @param scripts        script names in order, each {@code V<n>__<description>.sql}
     * @throws IllegalArgumentException when a script name is not {@code V<n>__<description>.sql}
     */
    public SchemaMigrator(String versionTable, ClassLoader loader, String resourceFolder, List<String> scripts) {
        scripts.forEach(SchemaMigrator::versionOf);
        this.versionTable = versionTable;
        this.loader = loader;
        this.resourceFolder = resourceFolder;
        this.scripts = List.copyOf(scripts);
    }

    /**
     * Brings the schema up to the newest version; returns that version. Blocks for the database;
     * never call on a framework thread.
     *
     * @throws SQLException when the database cannot be reached or a script fails (that script is
     *                      rolled back where the database can roll back DDL)
     */
    public synchronized int migrate(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS " + versionTable
                        + " (version INTEGER NOT NULL, description VARCHAR(256) NOT NULL,"
                        + " applied_at TIMESTAMP NOT NULL, CONSTRAINT pk_" + versionTable + " PRIMARY KEY (version))");
            }
            int current = currentVersion(connection);
            int newest = current;
            for (String script : scripts) {
                int version = versionOf(script);
                if (version <= current) {
                    continue;
                }
                try {
                    apply(connection, script, version);
                } catch (SQLException e) {
                    if (currentVersion(connection) < version) {
                        throw e;
                    }
                    // another migrator recorded this version while this one ran it: nothing is missing
                }
                newest = version;
            }
            return newest;
        }
    }

    private int currentVersion(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT MAX(version) FROM " + versionTable)) {
            return rows.next() ? rows.getInt(1) : 0;
        }
    }

    private void apply(Connection connection, String script, int version) throws SQLException {
        List<String> statements = statementsOf(read(script));
        connection.setAutoCommit(false);
        try {
            try (Statement statement = connection.createStatement()) {
                for (String sql : statements) {
                    statement.execute(sql);
                }
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO " + versionTable + " (version, description, applied_at) VALUES (?, ?, ?)")) {
                insert.setInt(1, version);
                insert.setString(2, script);
                insert.setObject(3, LocalDateTime.now(ZoneOffset.UTC));
                insert.executeUpdate();
            }
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw new SQLException("schema migration '" + script + "' failed: " + e.getMessage(), e);
        } finally {
            connection.setAutoCommit(true);
        }
    }

    private String read(String script) throws SQLException {
        String path = resourceFolder + "/" + script;
        try (InputStream in = loader.getResourceAsStream(path)) {
            if (in == null) {
                throw new SQLException("schema migration '" + path + "' is missing from the bundle");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SQLException("schema migration '" + path + "' cannot be read", e);
        }
    }

    static int versionOf(String script) {
        int end = script.indexOf("__");
        if (!script.startsWith("V") || end < 2) {
            throw new IllegalArgumentException("schema migration '" + script + "' is not named V<n>__<description>.sql");
        }
        return Integer.parseInt(script.substring(1, end));
    }

    /** Splits a script at semicolons that end a line; drops {@code --} comment lines. */
    static List<String> statementsOf(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\\R")) {
            String trimmed = line.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            if (trimmed.endsWith(";")) {
                current.append(trimmed, 0, trimmed.length() - 1);
                statements.add(current.toString().trim());
                current.setLength(0);
            } else {
                current.append(trimmed).append('\n');
            }
        }
        if (!current.toString().isBlank()) {
            statements.add(current.toString().trim());
        }
        return statements;
    }
}
