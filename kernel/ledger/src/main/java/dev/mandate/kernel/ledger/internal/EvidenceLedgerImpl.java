package dev.mandate.kernel.ledger.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

import javax.sql.DataSource;

import dev.mandate.api.evidence.EvidenceLedger;
import dev.mandate.api.evidence.EvidenceRecord;
import dev.mandate.api.evidence.EvidenceUnavailableException;
import dev.mandate.api.evidence.VerificationResult;
import dev.mandate.kernel.jdbc.SchemaMigrator;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The evidence ledger in a relational table.
 *
 * <p>Each record's hash is {@code sha256:<hex>} of the canonical JSON (sorted keys, no white
 * space) of {@code {sequence, type, timestamp, modelRevision, payload, previousHash}}, the
 * timestamp as ISO-8601 UTC with milliseconds; the first record links to {@code sha256:} and 64
 * zeros. Appends are serialised by a lock so the chain stays linear; the head is read from the
 * database on first use, not at activation. A record is returned only after its transaction has
 * committed; when the write fails nothing is appended and the head is read again next time.
 */
@Component(service = EvidenceLedger.class, configurationPid = "dev.mandate.kernel.ledger")
@Designate(ocd = EvidenceLedgerConfig.class)
public final class EvidenceLedgerImpl implements EvidenceLedger {
    static final SchemaMigrator MIGRATOR = new SchemaMigrator("mandate_evidence_schema_version",
            EvidenceLedgerImpl.class.getClassLoader(), "db/migration/ledger", List.of("V1__create_evidence_table.sql"));
    private static final String COLUMNS =
            "seq, record_type, recorded_at, model_revision, payload, previous_hash, record_hash";
    private static final int MAX_READ = 10_000;

    /** The last record of the chain as this ledger knows it. */
    private record Head(long sequence, String hash) {
    }

    private final DataSource dataSource;
    private final Clock clock;
    private final CanonicalJson json = new CanonicalJson();
    private final ReentrantLock appendLock = new ReentrantLock();
    private Head head; // guarded by appendLock; null until read from the database
    private volatile boolean migrated;

    @Activate
    public EvidenceLedgerImpl(@Reference(name = "dataSource", target = "(dataSourceName=mandate)") DataSource dataSource) {
        this(dataSource, Clock.systemUTC());
    }

    public EvidenceLedgerImpl(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    @Override
    public EvidenceRecord append(String type, long modelRevision, Map<String, Object> payload) {
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("evidence record type is missing");
        }
        String payloadJson = json.write(payload == null ? Map.of() : payload);
        appendLock.lock();
        try {
            Head last = chainHead();
            long sequence = last.sequence() + 1;
            Instant timestamp = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            String hash = CanonicalJson.sha256(
                    json.hashInput(sequence, type, timestamp, modelRevision, payloadJson, last.hash()));
            try {
                insert(sequence, type, timestamp, modelRevision, payloadJson, last.hash(), hash);
            } catch (SQLException | RuntimeException e) {
                head = null; // the database may know more than we do: read the head again next time
                throw new EvidenceUnavailableException("evidence record '" + type + "' cannot be made durable: "
                        + e.getMessage(), e);
            }
            head = new Head(sequence, hash);
            return new EvidenceRecord(sequence, type, timestamp, modelRevision, json.readObject(payloadJson),
                    last.hash(), hash);
        } finally {
            appendLock.unlock();
        }
    }

    private Head chainHead() {
        if (head == null) {
            try (Connection connection = connection();
                    PreparedStatement select = connection.prepareStatement(
                            "SELECT seq, record_hash FROM mandate_evidence ORDER BY seq DESC LIMIT 1");
                    ResultSet rows = select.executeQuery()) {
                head = rows.next() ? new Head(rows.getLong(1), rows.getString(2)) : new Head(0, CanonicalJson.GENESIS);
            } catch (SQLException e) {
                throw unavailable("evidence ledger head cannot be read", e);
            }
        }
        return head;
    }

    private void insert(long sequence, String type, Instant timestamp, long modelRevision, String payloadJson,
            String previousHash, String hash) throws SQLException {
        Connection connection = connection();
        boolean committed = false;
        try {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO mandate_evidence (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                insert.setLong(1, sequence);
                insert.setString(2, type);
                insert.setObject(3, LocalDateTime.ofInstant(timestamp, ZoneOffset.UTC));
                insert.setLong(4, modelRevision);
                insert.setString(5, payloadJson);
                insert.setString(6, previousHash);
                insert.setString(7, hash);
                insert.executeUpdate();
            }
            connection.commit();
            committed = true;
        } finally {
            if (!committed) {
                try {
                    connection.rollback();
                } catch (SQLException ignored) {
                    // the connection is broken; the transaction did not commit
                }
            }
            try {
                connection.close();
            } catch (SQLException ignored) {
                // after a commit a failing close must not undo the append; after a failure the first error counts
            }
        }
    }

    @Override
    public List<EvidenceRecord> read(long from, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        try (Connection connection = connection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT " + COLUMNS + " FROM mandate_evidence WHERE seq >= ? ORDER BY seq LIMIT ?")) {
            select.setLong(1, Math.max(1, from));
            select.setInt(2, Math.min(limit, MAX_READ));
            try (ResultSet rows = select.executeQuery()) {
                List<EvidenceRecord> records = new ArrayList<>();
                while (rows.next()) {
                    records.add(recordOf(rows));
                }
                return records;
            }
        } catch (SQLException e) {
            throw unavailable("evidence ledger cannot be read", e);
        }
    }

    @Override
    public Optional<EvidenceRecord> head() {
        try (Connection connection = connection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT " + COLUMNS + " FROM mandate_evidence ORDER BY seq DESC LIMIT 1");
                ResultSet rows = select.executeQuery()) {
            return rows.next() ? Optional.of(recordOf(rows)) : Optional.empty();
        } catch (SQLException e) {
            throw unavailable("evidence ledger cannot be read", e);
        }
    }

    @Override
    public VerificationResult verify() {
        Head known;
        appendLock.lock();
        try {
            known = head;
        } finally {
            appendLock.unlock();
        }
        long expected = 1;
        String previous = CanonicalJson.GENESIS;
        long checked = 0;
        try (Connection connection = connection()) {
            connection.setAutoCommit(false); // lets PostgreSQL stream with a cursor
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT " + COLUMNS + " FROM mandate_evidence ORDER BY seq")) {
                select.setFetchSize(500);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        long sequence = rows.getLong(1);
                        if (sequence != expected) {
                            return invalid(checked, expected, "sequence gap: record " + expected
                                    + " is missing (the next stored record is " + sequence + ")");
                        }
                        checked++;
                        String previousHash = rows.getString(6);
                        String storedHash = rows.getString(7);
                        if (!previous.equals(previousHash)) {
                            return invalid(checked, sequence, "broken link: previous hash '" + previousHash
                                    + "' is not the hash of record " + (sequence - 1));
                        }
                        String recomputed = CanonicalJson.sha256(json.hashInput(sequence, rows.getString(2),
                                instantOf(rows), rows.getLong(4), rows.getString(5), previousHash));
                        if (!recomputed.equals(storedHash)) {
                            return invalid(checked, sequence, "hash mismatch: record " + sequence
                                    + " does not hash to its stored hash");
                        }
                        previous = storedHash;
                        expected++;
                    }
                }
            } finally {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw unavailable("evidence ledger cannot be read", e);
        }
        if (known != null && known.sequence() >= expected) {
            return invalid(checked, expected, "sequence gap: records " + expected + " to " + known.sequence()
                    + " were appended but are missing");
        }
        return new VerificationResult(true, checked, 0, null);
    }

    private static VerificationResult invalid(long checked, long sequence, String problem) {
        return new VerificationResult(false, checked, sequence, problem);
    }

    private EvidenceRecord recordOf(ResultSet rows) throws SQLException {
        return new EvidenceRecord(rows.getLong(1), rows.getString(2), instantOf(rows), rows.getLong(4),
                json.readObject(rows.getString(5)), rows.getString(6), rows.getString(7));
    }

    private static Instant instantOf(ResultSet rows) throws SQLException {
        return rows.getObject(3, LocalDateTime.class).toInstant(ZoneOffset.UTC);
    }

    /** A connection to a migrated schema. */
    private Connection connection() throws SQLException {
        if (!migrated) {
            synchronized (this) {
                if (!migrated) {
                    MIGRATOR.migrate(dataSource);
                    migrated = true;
                }
            }
        }
        return dataSource.getConnection();
    }

    private static EvidenceUnavailableException unavailable(String message, SQLException cause) {
        return new EvidenceUnavailableException(message + ": " + cause.getMessage(), cause);
    }
}
