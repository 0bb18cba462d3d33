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
            List.of("V1__create_approvals_table.sql", "V2__request_hash.sql", "V3__row_version.sql",
                    "V4__open_key.sql", "V5__pending_evidence.sql", "V6__first_approvers.sql"));
    // the SQL state of a unique index's refusal, in H2 and PostgreSQL alike
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String COLUMNS = "request_hash, row_version, document";

    /** Brings the approvals schema to its newest version (H2 and PostgreSQL alike). */
    void migrate() {
        try {
            MIGRATOR.migrate(dataSource);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the approvals table: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean insert(ApprovalRequest request, String requestHash) {
        String sql = "INSERT INTO " + TABLE + " (status, created_at, expires_at, document, changed_by, first_approvers,"
                + " request_hash, open_key, id, row_version, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0,"
                + " CURRENT_TIMESTAMP)";
        String firstApprovers = toJson(request.approvers(), request.id());
        try {
            int written = write(sql, request.id(), statement -> {
                int column = setRequest(statement, request);
                statement.setString(column++, firstApprovers);
                statement.setString(column++, requestHash);
                statement.setString(column++, ApprovalStore.holdsOpenKey(request) ? requestHash : null);
                statement.setString(column, request.id());
            });
            if (written != 1) {
                throw new IllegalStateException("approval request '" + request.id() + "' was not written");
            }
            return true;
        } catch (UniqueViolation e) {
            return false;
        }
    }

    @Override
    public boolean update(ApprovalRequest request, long version) {
        return update(request, version, null, null);
    }

    // owed null: the change owes no record (no change of a request follows one that owes a record).
    // A change keeps or releases the open key, never takes it: only an insert does, so an open request
    // left without the key (a duplicate from before V4) can be decided without taking its change's key.
    @Override
    public boolean update(ApprovalRequest request, long version, OwedEvidence owed, Instant due) {
        String sql = "UPDATE " + TABLE + " SET status = ?, created_at = ?, expires_at = ?, document = ?, changed_by = ?,"
                + " open_key = CASE WHEN ? THEN open_key ELSE NULL END, pending_evidence = ?, evidence_due = ?,"
                + " row_version = row_version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = ? AND row_version = ?";
        String evidence = owed == null ? null : toJson(owed, request.id());
        return write(sql, request.id(), statement -> {
            int column = setRequest(statement, request);
            statement.setBoolean(column++, ApprovalStore.holdsOpenKey(request));
            statement.setString(column++, evidence);
            statement.setTimestamp(column++, due == null ? null : Timestamp.from(due));
            statement.setString(column++, request.id());
            statement.setLong(column, version);
        }) == 1;
    }

    @Override
    public List<Owing> evidenceDue(Instant now) {
        String sql = "SELECT id, row_version, pending_evidence FROM " + TABLE
                + " WHERE evidence_due <= ? AND pending_evidence IS NOT NULL ORDER BY evidence_due, id";
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setTimestamp(1, Timestamp.from(now));
            List<Owing> due = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    due.add(new Owing(rows.getString(1), rows.getLong(2),
                            json.readValue(rows.getString(3), OwedEvidence.class)));
                }
            }
            return due;
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("cannot read the approval records still owed: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean takeEvidence(String id, long version, Instant retryAt) {
        return changeOwed(id, version, "evidence_due = ?", Timestamp.from(retryAt));
    }

    @Override
    public boolean evidenceWritten(String id, long version) {
        return changeOwed(id, version, "pending_evidence = NULL, evidence_due = ?", null);
    }

    /** Sets the owed record's columns ({@code set}, with {@code due}) of a row still at {@code version} that owes one. */
    private boolean changeOwed(String id, long version, String set, Timestamp due) {
        String sql = "UPDATE " + TABLE + " SET " + set + ", changed_by = ?, row_version = row_version + 1,"
                + " changed_at = CURRENT_TIMESTAMP WHERE id = ? AND row_version = ? AND pending_evidence IS NOT NULL";
        return write(sql, id, statement -> {
            statement.setTimestamp(1, due);
            statement.setString(2, node);
            statement.setString(3, id);
            statement.setLong(4, version);
        }) == 1;
    }

    @Override
    public boolean remove(String id, long version) {
        return write("DELETE FROM " + TABLE + " WHERE id = ? AND row_version = ?", id, statement -> {
            statement.setString(1, id);
            statement.setLong(2, version);
        }) == 1;
    }

    @Override
    public Optional<List<String>> firstApprovers(String id) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT first_approvers FROM " + TABLE + " WHERE id = ?")) {
            statement.setString(1, id);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next() || rows.getString(1) == null) {
                    return Optional.empty();
                }
                return Optional.of(List.of(json.readValue(rows.getString(1), String[].class)));
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("cannot read approval request '" + id + "': " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<Stored> holderOf(String requestHash) {
        return stored("SELECT " + COLUMNS + " FROM " + TABLE + " WHERE open_key = ?", requestHash).stream().findFirst();
    }

    @Override
    public List<Stored> open() {
        return stored("SELECT " + COLUMNS + " FROM " + TABLE
                + " WHERE status IN ('PENDING', 'ESCALATED') ORDER BY created_at, id");
    }

    @Override
    public Optional<Stored> find(String id) {
        return stored("SELECT " + COLUMNS + " FROM " + TABLE + " WHERE id = ?", id).stream().findFirst();
    }

    @Override
    public List<Stored> overdue(Instant now) {
        return stored("SELECT " + COLUMNS + " FROM " + TABLE
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

    /** The columns every write of a request sets first: status, times, document, writer; returns the next column. */
    private int setRequest(PreparedStatement statement, ApprovalRequest request) throws SQLException {
        statement.setString(1, request.status().name());
        statement.setTimestamp(2, Timestamp.from(request.createdAt()));
        statement.setTimestamp(3, Timestamp.from(request.expiresAt()));
        statement.setString(4, toJson(request, request.id()));
        statement.setString(5, node);
        return 6;
    }

    private String toJson(Object value, String id) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot store approval request '" + id + "': " + e.getOriginalMessage(), e);
        }
    }

    /** Parameters of one statement. */
    @FunctionalInterface
    private interface Parameters {
        void set(PreparedStatement statement) throws SQLException;
    }

    /** A unique index refused the write (nothing was written). */
    private static final class UniqueViolation extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UniqueViolation(SQLException cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    /** Runs one insert or update of request {@code id} in its own transaction; returns the rows written. */
    private int write(String sql, String id, Parameters parameters) {
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                parameters.set(statement);
                int written = statement.executeUpdate();
                if (!connection.getAutoCommit()) {
                    connection.commit();
                }
                return written;
            } catch (SQLException e) {
                if (!connection.getAutoCommit()) {
                    connection.rollback();
                }
                if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw new UniqueViolation(e);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store approval request '" + id + "': " + e.getMessage(), e);
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
