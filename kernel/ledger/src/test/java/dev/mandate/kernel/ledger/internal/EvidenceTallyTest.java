package dev.mandate.kernel.ledger.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import dev.mandate.api.evidence.EvidenceLedger;
import dev.mandate.api.evidence.EvidenceQuery;
import dev.mandate.api.evidence.EvidenceRecord;
import dev.mandate.kernel.jdbc.SchemaMigrator;
import dev.mandate.kernel.jdbc.testing.TestDatabase;

import org.junit.jupiter.api.Test;

/**
 * The per-type, per-hour tally (V4) that replaced the {@code (record_type, recorded_at)} index: it
 * agrees with the records after appends, group commits, a clock that goes back, pruning and the
 * migration of a ledger written before it, and counts and reads by type and time through it agree
 * with reading every record.
 */
class EvidenceTallyTest {
    private static final String[] TIMES = {"2026-11-01T09:00:00Z", "2026-11-01T09:20:00Z", "2026-11-01T09:59:59.999Z",
        "2026-11-01T10:00:00Z", "2026-11-01T10:30:00Z", "2026-11-01T10:10:00Z", "2026-11-01T09:40:00Z",
        "2026-11-01T11:45:00Z", "2026-11-01T12:00:00.001Z", "2026-11-01T14:59:00Z"};
    private static final String[] TYPES = {"decision", "approval.opened", "decision", "grant.issued", "approval.approved",
        "decision", "enforcement", "approval_x"};
    private static final List<String> INSTANTS = List.of("2026-11-01T08:00:00Z", "2026-11-01T09:00:00Z",
            "2026-11-01T09:30:00Z", "2026-11-01T10:00:00Z", "2026-11-01T10:15:00Z", "2026-11-01T12:00:00.001Z",
            "2026-11-01T13:00:00Z", "2026-11-02T00:00:00Z");

    private final TestDatabase database = TestDatabase.inMemory("ledger-" + UUID.randomUUID());
    private final SettableClock clock = new SettableClock(Instant.parse(TIMES[0]));

    /** Appends records at each of {@link #TIMES} (the clock goes back twice), some queued together for one commit. */
    private void fill(EvidenceLedgerImpl ledger) {
        int n = 0;
        for (String time : TIMES) {
            clock.set(Instant.parse(time));
            List<CompletableFuture<EvidenceRecord>> queued = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                queued.add(ledger.appendAsync(TYPES[n++ % TYPES.length], n, Map.of("n", n)).toCompletableFuture());
            }
            ledger.append(TYPES[n++ % TYPES.length], n, Map.of("n", n));
            queued.forEach(CompletableFuture::join);
        }
    }

    @Test
    void countsAndReadsByTypeAndTimeAgreeWithReadingEveryRecord() throws SQLException {
        EvidenceLedgerImpl ledger = new EvidenceLedgerImpl(database, clock);
        fill(ledger);

        assertTallyMatchesTheRecords();
        assertAgreesWithReadingEveryRecord(ledger);
    }

    @Test
    void theTypeAndTimeIndexIsGoneAndTheTallyKeptInsteadIsRightAfterPruning() throws SQLException {
        EvidenceLedgerImpl ledger = new EvidenceLedgerImpl(database, clock, new KeyPairSigner("node-1"), 5, 1000);
        fill(ledger);
        clock.set(Instant.parse("2026-11-03T00:00:00Z"));

        assertThat(ledger.prune(Instant.parse("2026-11-01T10:20:00Z"))).isPresent();

        assertTallyMatchesTheRecords();
        assertAgreesWithReadingEveryRecord(ledger);
        assertThat(ledger.verify().problem()).isNull();
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.INDEXES"
                        + " WHERE UPPER(INDEX_NAME) = 'IX_MANDATE_EVIDENCE_TYPE_TIME'")) {
            rows.next();
            assertThat(rows.getInt(1)).as("indexes on (record_type, recorded_at)").isZero();
        }
    }

    @Test
    void aLedgerWrittenBeforeTheTallyIsTalliedByTheMigrationAndAgainWhenItRunsTwice() throws SQLException {
        new SchemaMigrator("mandate_evidence_schema_version", EvidenceLedgerImpl.class.getClassLoader(),
                "db/migration/ledger", List.of("V1__create_evidence_table.sql", "V2__record_format.sql",
                        "V3__type_time_index.sql")).migrate(database);
        String[][] rows = {{"decision", "2026-11-01 09:10:00"}, {"decision", "2026-11-01 09:50:00"},
            {"approval.opened", "2026-11-01 09:50:00"}, {"evidence.checkpoint", "2026-11-01 10:00:00"},
            {"decision", "2026-11-01 10:05:00"}, {"decision", "2026-11-01 09:55:00"}};
        for (int i = 0; i < rows.length; i++) {
            database.execute("INSERT INTO mandate_evidence (seq, record_type, recorded_at, model_revision, payload,"
                    + " previous_hash, record_hash) VALUES (" + (i + 1) + ", '" + rows[i][0] + "', TIMESTAMP '"
                    + rows[i][1] + "', 1, '{}', 'p" + i + "', 'h" + i + "')");
        }

        EvidenceLedgerImpl ledger = new EvidenceLedgerImpl(database, clock);
        assertThat(ledger.count(new EvidenceQuery(Instant.parse("2026-11-01T09:30:00Z"), null, "decision", null, null,
                null, null, null, 0, 1))).isEqualTo(3);
        assertTallyMatchesTheRecords();

        // a start cut short after the script ran but before its version was recorded runs it again
        database.execute("DELETE FROM mandate_evidence_schema_version WHERE version = 4");
        EvidenceLedgerImpl.MIGRATOR.migrate(database);
        assertTallyMatchesTheRecords();
        clock.set(Instant.parse("2026-11-01T10:06:00Z"));
        ledger.append("decision", 2, Map.of());
        assertTallyMatchesTheRecords();
        assertAgreesWithReadingEveryRecord(ledger);
    }

    /** Counts and reads through the tally against the api's defaults, which read every record. */
    private void assertAgreesWithReadingEveryRecord(EvidenceLedgerImpl ledger) {
        EvidenceLedger plain = new ForwardingLedger(ledger);
        List<String> types = Arrays.asList(null, "decision", "approval.*", "approval_x", "evidence.*", "missing");
        List<String> bounds = new ArrayList<>(INSTANTS);
        bounds.add(null);
        long head = ledger.head().orElseThrow().sequence();
        for (String type : types) {
            for (String from : bounds) {
                for (String to : bounds) {
                    for (long after : new long[] {0, 3, 9, 17, head}) {
                        EvidenceQuery query = new EvidenceQuery(from == null ? null : Instant.parse(from),
                                to == null ? null : Instant.parse(to), type, null, null, null, null, null, after, 1000);
                        String what = type + " from " + from + " to " + to + " after " + after;
                        List<Long> expected = plain.query(query).stream().map(EvidenceRecord::sequence).toList();
                        assertThat(ledger.query(query).stream().map(EvidenceRecord::sequence).toList()).as(what)
                                .isEqualTo(expected);
                        assertThat(ledger.count(query)).as("count of " + what).isEqualTo(expected.size());
                        EvidenceQuery two = new EvidenceQuery(query.from(), query.to(), type, null, null, null, null,
                                null, after, 2);
                        assertThat(ledger.query(two).stream().map(EvidenceRecord::sequence).toList())
                                .as("first two of " + what).isEqualTo(expected.subList(0, Math.min(2, expected.size())));
                    }
                }
            }
        }
    }

    /** The tally holds, per type and hour, the count and the first and last sequence of the records. */
    private void assertTallyMatchesTheRecords() throws SQLException {
        assertThat(rows("SELECT record_type, hour_start, record_count, first_seq, last_seq FROM mandate_evidence_tally"
                + " ORDER BY record_type, hour_start")).as("the tally")
                .isEqualTo(rows("SELECT record_type, DATE_TRUNC('hour', recorded_at) AS h, COUNT(*), MIN(seq), MAX(seq)"
                        + " FROM mandate_evidence GROUP BY record_type, DATE_TRUNC('hour', recorded_at) ORDER BY record_type, h"))
                .isNotEmpty();
    }

    private List<List<Object>> rows(String sql) throws SQLException {
        List<List<Object>> found = new ArrayList<>();
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                found.add(List.of(rows.getString(1), rows.getObject(2).toString(), rows.getLong(3), rows.getLong(4),
                        rows.getLong(5)));
            }
        }
        return found;
    }
}
