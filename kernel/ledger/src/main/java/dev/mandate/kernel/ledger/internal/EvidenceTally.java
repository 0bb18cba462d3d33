package dev.mandate.kernel.ledger.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mandate.api.evidence.EvidenceQuery;
import dev.mandate.kernel.ledger.verify.ChainRecord;

/**
 * The ledger's records counted per type and hour of their timestamp, with the first and last
 * sequence of each (type, hour), in {@code mandate_evidence_tally} (V4). It is written in the
 * transaction that inserts the records (and corrected in the one that prunes them), so it always
 * agrees with the table. It replaces the {@code (record_type, recorded_at)} index, which about
 * doubled H2's work per inserted record: a group commit now updates one tally row per record type
 * in it. Counts by type and time add whole hours from here and count only a boundary hour's
 * records in the table; reads by type scan only the sequence ranges of the hours that hold that
 * type. The sequence ranges hold whatever the clock did: the records of a (type, hour) are all
 * between its first and last sequence, even if the clock went back.
 */
final class EvidenceTally {
    private static final String TABLE = "mandate_evidence_tally";

    /** One (type, hour) of the tally. */
    record Hour(String type, LocalDateTime start, long count, long firstSequence, long lastSequence) {
        LocalDateTime end() {
            return start.plusHours(1);
        }
    }

    private EvidenceTally() {
    }

    /**
     * Adds the rows, all stamped {@code recordedAt} and in ascending sequence after every record
     * tallied so far, in the caller's transaction.
     */
    static void add(Connection connection, List<ChainRecord> rows, LocalDateTime recordedAt) throws SQLException {
        LocalDateTime hour = recordedAt.truncatedTo(ChronoUnit.HOURS);
        Map<String, long[]> byType = new LinkedHashMap<>(); // count, first, last
        for (ChainRecord row : rows) {
            long[] tally = byType.computeIfAbsent(row.type(), type -> new long[] {0, row.sequence(), 0});
            tally[0]++;
            tally[2] = row.sequence();
        }
        List<String> missing = new ArrayList<>();
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + TABLE
                + " SET record_count = record_count + ?, last_seq = ? WHERE record_type = ? AND hour_start = ?")) {
            for (Map.Entry<String, long[]> entry : byType.entrySet()) {
                update.setLong(1, entry.getValue()[0]);
                update.setLong(2, entry.getValue()[2]);
                update.setString(3, entry.getKey());
                update.setObject(4, hour);
                if (update.executeUpdate() == 0) {
                    missing.add(entry.getKey());
                }
            }
        }
        if (!missing.isEmpty()) {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + TABLE
                    + " (record_type, hour_start, record_count, first_seq, last_seq) VALUES (?, ?, ?, ?, ?)")) {
                for (String type : missing) {
                    long[] tally = byType.get(type);
                    insert.setString(1, type);
                    insert.setObject(2, hour);
                    insert.setLong(3, tally[0]);
                    insert.setLong(4, tally[1]);
                    insert.setLong(5, tally[2]);
                    insert.executeUpdate();
                }
            }
        }
    }

    /**
     * Brings the tally in line after the records up to {@code lastPruned} were deleted, in the
     * caller's transaction: hours that kept none go, hours that kept some are counted again.
     */
    static void pruned(Connection connection, long lastPruned) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + TABLE + " WHERE last_seq <= ?")) {
            delete.setLong(1, lastPruned);
            delete.executeUpdate();
        }
        List<Hour> cut = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT record_type, hour_start, record_count, first_seq, last_seq FROM " + TABLE + " WHERE first_seq <= ?")) {
            select.setLong(1, lastPruned);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    cut.add(hourOf(rows));
                }
            }
        }
        for (Hour hour : cut) {
            long count;
            long first;
            try (PreparedStatement select = connection.prepareStatement("SELECT COUNT(*), MIN(seq) FROM mandate_evidence"
                    + " WHERE seq > ? AND seq <= ? AND record_type = ? AND recorded_at >= ? AND recorded_at < ?")) {
                select.setLong(1, lastPruned);
                select.setLong(2, hour.lastSequence());
                select.setString(3, hour.type());
                select.setObject(4, hour.start());
                select.setObject(5, hour.end());
                try (ResultSet rows = select.executeQuery()) {
                    rows.next();
                    count = rows.getLong(1);
                    first = rows.getLong(2);
                }
            }
            try (PreparedStatement update = connection.prepareStatement(count == 0
                    ? "DELETE FROM " + TABLE + " WHERE record_type = ? AND hour_start = ?"
                    : "UPDATE " + TABLE + " SET record_count = ?, first_seq = ? WHERE record_type = ? AND hour_start = ?")) {
                int at = 1;
                if (count > 0) {
                    update.setLong(at++, count);
                    update.setLong(at++, first);
                }
                update.setString(at++, hour.type());
                update.setObject(at, hour.start());
                update.executeUpdate();
            }
        }
    }

    /** The last sequence of a record of {@code type}, 0 when there is none. */
    static long last(Connection connection, String type) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT MAX(last_seq) FROM " + TABLE + " WHERE record_type = ?")) {
            select.setString(1, type);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0;
            }
        }
    }

    /**
     * The (type, hour)s that may hold records of the query's sequence, time and type criteria, in
     * the order of their first sequence.
     */
    static List<Hour> hours(Connection connection, EvidenceQuery query) throws SQLException {
        List<Object> parameters = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT record_type, hour_start, record_count, first_seq, last_seq FROM "
                + TABLE + " WHERE last_seq > ?");
        parameters.add(query.after());
        if (query.from() != null) {
            sql.append(" AND hour_start >= ?");
            parameters.add(local(query.from()).truncatedTo(ChronoUnit.HOURS));
        }
        if (query.to() != null) {
            sql.append(" AND hour_start < ?");
            parameters.add(local(query.to()));
        }
        if (query.type() != null) {
            sql.append(typeCondition(query.type(), parameters));
        }
        sql.append(" ORDER BY first_seq");
        List<Hour> hours = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < parameters.size(); i++) {
                select.setObject(i + 1, parameters.get(i));
            }
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    hours.add(hourOf(rows));
                }
            }
        }
        return hours;
    }

    /**
     * The records of the query's sequence, time and type criteria, counted exactly: an hour wholly
     * inside the time range and after the cursor adds its count; any other hour counts its records
     * in the table, within its sequence range.
     */
    static long count(Connection connection, EvidenceQuery query) throws SQLException {
        LocalDateTime from = query.from() == null ? null : local(query.from());
        LocalDateTime to = query.to() == null ? null : local(query.to());
        long count = 0;
        PreparedStatement partial = null;
        try {
            for (Hour hour : hours(connection, query)) {
                boolean whole = (from == null || !hour.start().isBefore(from)) && (to == null || !hour.end().isAfter(to))
                        && hour.firstSequence() > query.after();
                if (whole) {
                    count += hour.count();
                    continue;
                }
                if (partial == null) {
                    partial = connection.prepareStatement("SELECT COUNT(*) FROM mandate_evidence WHERE seq > ? AND seq <= ?"
                            + " AND record_type = ? AND recorded_at >= ? AND recorded_at < ?");
                }
                partial.setLong(1, Math.max(query.after(), hour.firstSequence() - 1));
                partial.setLong(2, hour.lastSequence());
                partial.setString(3, hour.type());
                partial.setObject(4, from != null && from.isAfter(hour.start()) ? from : hour.start());
                partial.setObject(5, to != null && to.isBefore(hour.end()) ? to : hour.end());
                try (ResultSet rows = partial.executeQuery()) {
                    rows.next();
                    count += rows.getLong(1);
                }
            }
        } finally {
            if (partial != null) {
                partial.close();
            }
        }
        return count;
    }

    /**
     * The sequence ranges, {@code [first, last]} pairs in ascending order and not overlapping,
     * that hold every record of the query's sequence, time and type criteria.
     */
    static List<long[]> ranges(Connection connection, EvidenceQuery query) throws SQLException {
        List<long[]> ranges = new ArrayList<>();
        if (query.type() == null) {
            // without a type every type's hours overlap: one range from the first to the last of them
            List<Object> parameters = new ArrayList<>();
            StringBuilder sql = new StringBuilder("SELECT MIN(first_seq), MAX(last_seq) FROM " + TABLE + " WHERE last_seq > ?");
            parameters.add(query.after());
            if (query.from() != null) {
                sql.append(" AND hour_start >= ?");
                parameters.add(local(query.from()).truncatedTo(ChronoUnit.HOURS));
            }
            if (query.to() != null) {
                sql.append(" AND hour_start < ?");
                parameters.add(local(query.to()));
            }
            try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
                for (int i = 0; i < parameters.size(); i++) {
                    select.setObject(i + 1, parameters.get(i));
                }
                try (ResultSet rows = select.executeQuery()) {
                    if (rows.next() && rows.getObject(1) != null) {
                        ranges.add(new long[] {Math.max(rows.getLong(1), query.after() + 1), rows.getLong(2)});
                    }
                }
            }
            return ranges;
        }
        for (Hour hour : hours(connection, query)) {
            long first = Math.max(hour.firstSequence(), query.after() + 1);
            long[] last = ranges.isEmpty() ? null : ranges.get(ranges.size() - 1);
            if (last != null && first <= last[1] + 1) {
                last[1] = Math.max(last[1], hour.lastSequence());
            } else {
                ranges.add(new long[] {first, hour.lastSequence()});
            }
        }
        return ranges;
    }

    /** The SQL condition for a type, exact or a prefix ending in {@code .*}; its value is added to {@code parameters}. */
    static String typeCondition(String type, List<Object> parameters) {
        boolean prefix = type.endsWith(".*");
        parameters.add(prefix ? type.substring(0, type.length() - 1).replace("%", "\\%").replace("_", "\\_") + "%" : type);
        return prefix ? " AND record_type LIKE ?" : " AND record_type = ?";
    }

    private static Hour hourOf(ResultSet rows) throws SQLException {
        return new Hour(rows.getString(1), rows.getObject(2, LocalDateTime.class), rows.getLong(3), rows.getLong(4),
                rows.getLong(5));
    }

    private static LocalDateTime local(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
