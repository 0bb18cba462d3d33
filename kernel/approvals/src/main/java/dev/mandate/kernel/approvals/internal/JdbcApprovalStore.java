package dev.mandate.kernel.approvals.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import dev.mandate.api.decision.ApprovalRequest;
import dev.mandate.api.decision.ApprovalStatus;
import dev.mandate.kernel.jdbc.SchemaMigrator;

/**
 * Approval requests in one table of the kernel's database: the queryable columns beside the whole
 * request as JSON.
 */
final class JdbcApprovalStore implements ApprovalStore {

    static final String TABLE = "mandate_approvals";

    private final DataSource dataSource;
    // who wrote a change (this store: one node), so that a node reads back only the others' changes
    private final String node = UUID.randomUUID().toString();
    private final ObjectMapper json = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    JdbcApprovalStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    static final SchemaMigrator MIGRATOR = new SchemaMigrator("mandate_approvals_schema_version",
            JdbcApprovalStore.class.getClassLoader(), "db/migration/approvals",
            List.of("V1__create_approvals_table.sql", "V2__request_hash.sql", "V3__row_version.sql"));

    /** Brings the approvals schema to its newest version (H2 and PostgreSQL alike). */
    void migrate() {
        try {
            MIGRATOR.migrate(dataSource);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the approvals table: " + e.getMessage(), e);
        }
    }

    @Override
    public void insert(ApprovalRequest request, String requestHash) {
        String sql = "INSERT INTO " + TABLE + " (status, created_at, expires_at, document, request_hash, changed_by, id,"
                + " row_version, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, CURRENT_TIMESTAMP)";
        if (write(sql, request, requestHash, -1) != 1) {
            throw new IllegalStateException("approval request '" + request.id() + "' was not written");
        }
    }

    @Override
    public boolean update(ApprovalRequest request, long version) {
        String sql = "UPDATE " + TABLE + " SET status = ?, created_at = ?, expires_at = ?, document = ?, changed_by = ?,"
                + " row_version = row_version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = ? AND row_version = ?";
        return write(sql, request, null, version) == 1;
    }

    @Override
    public Optional<Stored> findOpen(String requestHash, Instant now) {
        return stored("SELECT request_hash, row_version, document FROM " + TABLE + " WHERE request_hash = ?"
                + " AND status IN ('PENDING', 'ESCALATED') AND expires_at > ? ORDER BY created_at, id", requestHash,
                Timestamp.from(now)).stream().findFirst();
    }

    @Override
    public List<Stored> open() {
        return stored("SELECT request_hash, row_version, document FROM " + TABLE
                + " WHERE status IN ('PENDING', 'ESCALATED') ORDER BY created_at, id");
    }

    @Override
    public Optional<Stored> find(String id) {
        return stored("SELECT request_hash, row_version, document FROM " + TABLE + " WHERE id = ?", id).stream()
                .findFirst();
    }

    @Override
    public List<Stored> overdue(Instant now) {
        return stored("SELECT request_hash, row_version, document FROM " + TABLE
                + " WHERE status IN ('PENDING', 'ESCALATED') AND expires_at <= ? ORDER BY expires_at, id",
                Timestamp.from(now));
    }

    @Override
    public Changes changedSince(OffsetDateTime since) {
        try (Connection connection = dataSource.getConnection()) {
            OffsetDateTime readAt;
            try (PreparedStatement statement = connection.prepareStatement("SELECT CURRENT_TIMESTAMP");
                    ResultSet rows = statement.executeQuery()) {
                rows.next();
                readAt = rows.getObject(1, OffsetDateTime.class);
            }
            Map<String, Long> versions = new HashMap<>();
            if (since != null) {
                try (PreparedStatement statement = connection.prepareStatement(
                        "SELECT id, row_version FROM " + TABLE + " WHERE changed_at > ? AND changed_by <> ?")) {
                    statement.setObject(1, since);
                    statement.setString(2, node);
                    try (ResultSet rows = statement.executeQuery()) {
                        while (rows.next()) {
                            versions.put(rows.getString(1), rows.getLong(2));
                        }
                    }
                }
            }
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
            return new Changes(readAt, versions);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read approval changes: " + e.getMessage(), e);
        }
    }

    /** Runs an insert ({@code version} -1) or a conditional update; returns the rows written. */
    private int write(String sql, ApprovalRequest request, String requestHash, long version) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            int column = 1;
            statement.setString(column++, request.status().name());
            statement.setTimestamp(column++, Timestamp.from(request.createdAt()));
            statement.setTimestamp(column++, Timestamp.from(request.expiresAt()));
            statement.setString(column++, json.writeValueAsString(request));
            if (requestHash != null) {
                statement.setString(column++, requestHash);
            }
            statement.setString(column++, node);
            statement.setString(column++, request.id());
            if (version >= 0) {
                statement.setLong(column, version);
            }
            int written = statement.executeUpdate();
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
            return written;
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("cannot store approval request '" + request.id() + "': " + e.getMessage(), e);
        }
    }

    @Override
    public List<ApprovalRequest> list(ApprovalStatus status, int limit) {
        String sql = "SELECT document FROM " + TABLE + (status == null ? "" : " WHERE status = ?")
                + " ORDER BY created_at DESC, id FETCH FIRST " + Math.max(1, limit) + " ROWS ONLY";
        return status == null ? query(sql) : query(sql, status.name());
    }

    private List<Stored> stored(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            List<Stored> found = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    found.add(new Stored(json.readValue(rows.getString(3), ApprovalRequest.class), rows.getString(1),
                            rows.getLong(2)));
                }
            }
            return found;
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("cannot read approval requests: " + e.getMessage(), e);
        }
    }

    private List<ApprovalRequest> query(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            List<ApprovalRequest> found = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    found.add(json.readValue(rows.getString(1), ApprovalRequest.class));
                }
            }
            return found;
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("cannot read approval requests: " + e.getMessage(), e);
        }
    }
}
