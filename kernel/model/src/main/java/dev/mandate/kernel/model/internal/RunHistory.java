package dev.mandate.kernel.model.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.Lock;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model's history kept as sorted runs ({@link HistoryRuns}) instead of one row per version:
 * what the commit journal became. A commit writes its versions as one run in its transaction
 * (durable when acknowledged, as the journal entry was); runs are merged in the background,
 * {@value #FAN_IN} of a level into one of the next, so a lookup probes a few runs per level; the
 * current model is the newest version of every key, read by merging all runs at load.
 *
 * <p>Reads answer from the runs alone: the element's newest version at or before the revision;
 * the relations from it likewise; the relations into it from the sources that point to it now
 * or whose relation to it was closed after that revision (closed notes, found under the
 * target). Pruning merges the runs that hold versions retention no longer needs and leaves those
 * out, in the transaction that also deletes the revision rows.
 */
final class RunHistory {
    private static final Logger LOG = LoggerFactory.getLogger(RunHistory.class);
    /** Runs of one level merged into one of the next. */
    static final int FAN_IN = 8;
    private static final int READ_ATTEMPTS = 5;

    private final DataSource dataSource;
    private final HistoryRuns runs = new HistoryRuns();
    /** The run the last pruning wrote and the cutoff it applied: pruning again to it has nothing to do. */
    private long prunedRun = -1;
    private long prunedCutoff = -1;

    RunHistory(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    HistoryRuns runs() {
        return runs;
    }

    /** Reads the directory of the runs (see {@link HistoryRuns#load}). */
    void load(Connection connection) throws SQLException {
        runs.load(connection);
    }

    /** Writes one commit's versions as a run in the caller's transaction; {@link #committed} publishes it. */
    HistoryRuns.Run write(Connection connection, HistoryWrite rows) throws SQLException {
        return runs.write(connection, HistoryRecord.of(rows), 0, rows.revision(), rows.revision());
    }

    /** Publishes a run whose transaction has committed. The caller holds the commit lock. */
    void committed(HistoryRuns.Run run) {
        runs.add(run);
    }

    /**
     * Hands the newest version of every key that is present to {@code sink}: the current model.
     * Reads every block once.
     */
    void readCurrent(Connection connection, Consumer<HistoryRecord> sink) throws SQLException {
        runs.merge(connection, runs.runs(), versions -> {
            HistoryRecord newest = versions.get(versions.size() - 1);
            if (newest.present() && newest.kind() != HistoryRecord.CLOSED) {
                sink.accept(newest);
            }
        });
    }

    /** A lookup over one directory of runs. */
    @FunctionalInterface
    private interface Lookup<T> {
        T read(Connection connection, List<HistoryRuns.Run> runs) throws SQLException;
    }

    /** Runs a lookup, again with the new directory when a merge replaced a run it was reading. */
    private <T> T lookup(Lookup<T> lookup) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            for (int attempt = 1; ; attempt++) {
                try {
                    return lookup.read(connection, runs.runs());
                } catch (HistoryRuns.RunReplacedException e) {
                    if (attempt >= READ_ATTEMPTS) {
                        throw new SQLException("model history was merged " + attempt + " times during one read");
                    }
                }
            }
        }
    }

    /** The element's version valid at {@code revision}, or null when it did not exist then. */
    HistoryRecord elementAt(String id, long revision) throws SQLException {
        return lookup((connection, directory) -> {
            HistoryRecord newest = null;
            for (HistoryRecord record : runs.recordsUnder(connection, directory, id, revision)) {
                if (record.kind() == HistoryRecord.ELEMENT && record.revision() <= revision
                        && (newest == null || record.revision() > newest.revision()
                                || record.revision() == newest.revision() && record.present())) {
                    newest = record;
                }
            }
            return newest == null || !newest.present() ? null : newest;
        });
    }

    /** The relation versions from and to one element valid at one revision, each in no particular order. */
    record RelationVersions(List<HistoryRecord> outgoing, List<HistoryRecord> incoming) {
    }

    /**
     * The versions of the relations from and to {@code id} valid at {@code revision}.
     *
     * @param sourcesNow the sources of the relations into {@code id} in the current model
     */
    RelationVersions relationsAt(String id, long revision, Set<String> sourcesNow) throws SQLException {
        return lookup((connection, directory) -> {
            List<HistoryRecord> under = runs.recordsUnder(connection, directory, id, Long.MAX_VALUE);
            Set<String> sources = new TreeSet<>(sourcesNow);
            for (HistoryRecord record : under) {
                if (record.kind() == HistoryRecord.CLOSED && record.revision() > revision) {
                    sources.add(record.other());
                }
            }
            List<HistoryRecord> incoming = new ArrayList<>();
            for (String source : sources) {
                incoming.addAll(newestPresent(runs.recordsUnder(connection, directory, source, revision), revision, id));
            }
            return new RelationVersions(newestPresent(under, revision, null), incoming);
        });
    }

    /** Of the relation versions among {@code records} (to {@code target} only, unless null), the newest at or before {@code revision} of each relation, if present. */
    private static List<HistoryRecord> newestPresent(List<HistoryRecord> records, long revision, String target) {
        Map<String, HistoryRecord> newest = new HashMap<>();
        for (HistoryRecord record : records) {
            if (record.kind() != HistoryRecord.RELATION || record.revision() > revision
                    || target != null && !record.other().equals(target)) {
                continue;
            }
            String key = record.type() + '\0' + record.other();
            HistoryRecord known = newest.get(key);
            if (known == null || record.revision() > known.revision()
                    || record.revision() == known.revision() && record.present()) {
                newest.put(key, record);
            }
        }
        List<HistoryRecord> present = new ArrayList<>();
        for (HistoryRecord record : newest.values()) {
            if (record.present()) {
                present.add(record);
            }
        }
        return present;
    }

    /** The runs of the lowest level that has {@value #FAN_IN} or more, oldest first; empty when none is due. */
    List<HistoryRuns.Run> dueForMerge() {
        List<HistoryRuns.Run> all = runs.runs();
        Map<Integer, Integer> levels = runs.levels();
        int due = Integer.MAX_VALUE;
        for (Map.Entry<Integer, Integer> level : levels.entrySet()) {
            if (level.getValue() >= FAN_IN) {
                due = Math.min(due, level.getKey());
            }
        }
        List<HistoryRuns.Run> inputs = new ArrayList<>();
        for (HistoryRuns.Run run : all) {
            if (run.level() == due) {
                inputs.add(run);
            }
        }
        return inputs;
    }

    /**
     * Merges the runs due (if any) into one run of the next level, dropping what the retained
     * history no longer needs (before {@code oldestRevision}). Writes the new run's blocks in
     * their own transactions, then swaps the runs under {@code commitLock} in one transaction.
     *
     * @return whether a merge was done
     */
    boolean compact(Lock commitLock, long oldestRevision) throws SQLException {
        List<HistoryRuns.Run> inputs = dueForMerge();
        if (inputs.isEmpty()) {
            return false;
        }
        int level = inputs.get(0).level() + 1;
        mergeAndSwap(inputs, level, oldestRevision, commitLock, null);
        return true;
    }

    /**
     * Drops the versions only revisions before {@code cutoff} need, and the revision rows before
     * it, in one transaction after the merged run is written.
     *
     * @return how many element and relation versions were dropped
     */
    int prune(long cutoff, Lock commitLock) throws SQLException {
        List<HistoryRuns.Run> inputs = new ArrayList<>();
        int level = 0;
        for (HistoryRuns.Run run : runs.runs()) {
            if (run.firstRevision() <= cutoff) {
                inputs.add(run);
                level = Math.max(level, run.level());
            }
        }
        if (inputs.isEmpty() || inputs.size() == 1 && inputs.get(0).id() == prunedRun && cutoff <= prunedCutoff) {
            deleteRevisionsBefore(cutoff);
            return 0;
        }
        int[] dropped = new int[1];
        HistoryRuns.Run merged = mergeAndSwap(inputs, level, cutoff, commitLock, dropped);
        prunedRun = merged.id();
        prunedCutoff = cutoff;
        return dropped[0];
    }

    private void deleteRevisionsBefore(long cutoff) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                deleteRevisionRows(connection, cutoff);
                connection.commit();
            } finally {
                rollbackQuietly(connection);
                connection.setAutoCommit(true);
            }
        }
    }

    private static void deleteRevisionRows(Connection connection, long cutoff) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM mandate_model_revision WHERE revision < ?")) {
            delete.setLong(1, cutoff);
            delete.executeUpdate();
        }
    }

    /**
     * Merges {@code inputs} into one run of {@code level} without what revisions from
     * {@code cutoff} on do not need (none when it is at most 1), then, under the commit lock and in
     * one transaction, writes its run row and deletes the inputs' (and, when pruning, the revision
     * rows before the cutoff); the inputs' blocks go afterwards. A crash in between leaves either
     * the inputs or the merged run, and blocks without a run that the next load deletes.
     */
    private HistoryRuns.Run mergeAndSwap(List<HistoryRuns.Run> inputs, int level, long cutoff, Lock commitLock,
            int[] pruned) throws SQLException {
        long firstRevision = Long.MAX_VALUE;
        long lastRevision = 0;
        for (HistoryRuns.Run run : inputs) {
            firstRevision = Math.min(firstRevision, run.firstRevision());
            lastRevision = Math.max(lastRevision, run.lastRevision());
        }
        // a removal may be dropped only when no run outside the merge can hold an older version under it
        long outsideFirst = Long.MAX_VALUE;
        for (HistoryRuns.Run run : runs.runs()) {
            if (inputs.stream().noneMatch(input -> input.id() == run.id())) {
                outsideFirst = Math.min(outsideFirst, run.firstRevision());
            }
        }
        long bottom = outsideFirst;
        HistoryRuns.Run merged;
        try (Connection reading = dataSource.getConnection(); Connection writing = dataSource.getConnection()) {
            writing.setAutoCommit(false);
            try {
                HistoryRuns.Writer writer = runs.chunkedWriter(writing, level);
                int[] dropped = new int[1];
                runs.merge(reading, inputs, versions -> {
                    for (int i = 0; i < versions.size(); i++) {
                        HistoryRecord version = versions.get(i);
                        if (neededFrom(versions, i, cutoff, bottom)) {
                            writer.add(version);
                        } else if (version.present() && version.kind() != HistoryRecord.CLOSED) {
                            dropped[0]++;
                        }
                    }
                });
                merged = writer.finish(firstRevision, lastRevision);
                if (pruned != null) {
                    pruned[0] = dropped[0];
                }
                commitLock.lock();
                try {
                    HistoryRuns.insertRunRow(writing, merged);
                    HistoryRuns.deleteRunRows(writing, inputs);
                    if (pruned != null) {
                        deleteRevisionRows(writing, cutoff);
                    }
                    writing.commit();
                    runs.replace(inputs, merged);
                } finally {
                    commitLock.unlock();
                }
                HistoryRuns.deleteBlocks(writing, inputs);
                writing.commit();
            } finally {
                rollbackQuietly(writing);
                writing.setAutoCommit(true);
            }
        }
        LOG.debug("model history runs {} merged into run {} (level {}, {} records)",
                inputs.stream().map(HistoryRuns.Run::id).toList(), merged.id(), level, merged.records());
        return merged;
    }

    /**
     * Whether version {@code i} of one key is needed by a read at {@code cutoff} or later: not when
     * the next version came at or before the cutoff, nor when it is a removal or closed note at or
     * before the cutoff (a removal only when no run outside the merge starts before it, see above).
     */
    static boolean neededFrom(List<HistoryRecord> versions, int i, long cutoff, long outsideFirst) {
        if (cutoff <= 1) {
            return true;
        }
        HistoryRecord version = versions.get(i);
        if (version.kind() == HistoryRecord.CLOSED) {
            return version.revision() > cutoff;
        }
        if (i + 1 < versions.size() && versions.get(i + 1).revision() <= cutoff) {
            return false;
        }
        return version.present() || version.revision() > cutoff || version.revision() > outsideFirst;
    }

    /**
     * Carries the version rows of V4 to V6 (element and relation versions, and their removals and
     * closings, which V4 kept as {@code valid_to}) over to runs, and empties those tables, in the
     * caller's transaction. Returns the runs to publish once it has committed, empty when there
     * were no rows.
     */
    List<HistoryRuns.Run> carryRowsOver(Connection connection) throws SQLException {
        if (!hasRows(connection, "mandate_model_element_version") && !hasRows(connection, "mandate_model_relation_version")) {
            return List.of();
        }
        long last = 1;
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT MAX(revision) FROM mandate_model_revision")) {
            if (rows.next()) {
                last = Math.max(1, rows.getLong(1));
            }
        }
        List<HistoryRuns.Run> written = new ArrayList<>();
        written.add(carry(connection, "SELECT id_hash, id, revision, valid_to, kind, provider, environment,"
                + " trust_zone, owner_team, labels, layers FROM mandate_model_element_version ORDER BY id_hash", last,
                (rows, into) -> {
                    String id = rows.getString(2);
                    long revision = rows.getLong(3);
                    long validTo = rows.getLong(4);
                    boolean closed = !rows.wasNull();
                    into.add(HistoryRecord.element(id, revision, rows.getString(5), rows.getString(6),
                            rows.getString(7), rows.getString(8), rows.getString(9), rows.getString(10),
                            rows.getString(11)));
                    if (closed) {
                        into.add(HistoryRecord.element(id, validTo, null, null, null, null, null, null, null));
                    }
                }));
        written.add(carry(connection, "SELECT from_hash, rel_type, from_id, to_id, properties, revision, valid_to"
                + " FROM mandate_model_relation_version ORDER BY from_hash", last, (rows, into) -> {
                    String type = rows.getString(2);
                    String from = rows.getString(3);
                    String to = rows.getString(4);
                    long validTo = rows.getLong(7);
                    boolean closed = !rows.wasNull();
                    into.add(HistoryRecord.relation(type, from, to, rows.getLong(6), rows.getString(5)));
                    if (closed) {
                        into.add(HistoryRecord.relation(type, from, to, validTo, null));
                    }
                }));
        written.add(carry(connection, "SELECT to_hash, rel_type, from_id, to_id, valid_to"
                + " FROM mandate_model_relation_version WHERE valid_to IS NOT NULL ORDER BY to_hash", last,
                (rows, into) -> into.add(HistoryRecord.closed(rows.getString(2), rows.getString(3), rows.getString(4),
                        rows.getLong(5)))));
        try (Statement statement = connection.createStatement()) {
            for (String table : List.of("mandate_model_element_version", "mandate_model_relation_version",
                    "mandate_model_relation_closed")) {
                statement.executeUpdate("DELETE FROM " + table);
            }
        }
        return written;
    }

    /** Records made from one row. */
    @FunctionalInterface
    private interface RowRecords {
        void add(ResultSet rows, List<HistoryRecord> into) throws SQLException;
    }

    /**
     * One run of the records made from the rows of {@code query}, which come ordered by the hash
     * in their first column: each group of one hash is sorted in full before it is written.
     */
    private HistoryRuns.Run carry(Connection connection, String query, long lastRevision, RowRecords records)
            throws SQLException {
        HistoryRuns.Writer writer = runs.new Writer(connection, runs.nextId(), 1, false);
        List<HistoryRecord> group = new ArrayList<>();
        long groupHash = 0;
        try (Statement select = connection.createStatement()) {
            select.setFetchSize(10_000);
            try (ResultSet rows = select.executeQuery(query)) {
                while (rows.next()) {
                    long hash = rows.getLong(1);
                    if (!group.isEmpty() && hash != groupHash) {
                        writeGroup(writer, group);
                    }
                    groupHash = hash;
                    records.add(rows, group);
                }
            }
        }
        writeGroup(writer, group);
        HistoryRuns.Run run = writer.finish(1, lastRevision);
        HistoryRuns.insertRunRow(connection, run);
        return run;
    }

    /** Writes one hash's records sorted; of a removal and a version at the same revision the version. */
    private static void writeGroup(HistoryRuns.Writer writer, List<HistoryRecord> group) throws SQLException {
        group.sort(HistoryRecord.ORDER);
        for (int i = 0; i < group.size(); i++) {
            HistoryRecord record = group.get(i);
            HistoryRecord next = i + 1 < group.size() ? group.get(i + 1) : null;
            if (next != null && next.sameKey(record) && next.revision() == record.revision()) {
                group.set(i + 1, record.present() ? record : next);
                continue;
            }
            writer.add(record);
        }
        group.clear();
    }

    /** Whether there are runs; a store that keeps history as rows carries them over ({@link #carryRunsToRows}). */
    boolean isEmpty() {
        return runs.runs().isEmpty();
    }

    /** A version row for the history tables: a version and the revision it was replaced at (null: current). */
    @FunctionalInterface
    interface RowSink {
        void accept(HistoryRecord version, Long validTo) throws SQLException;
    }

    /**
     * Hands every present version of every run to {@code sink} with the revision its successor
     * came at, for a store that keeps history as rows; closed notes are left out (the rows say as
     * much). The caller deletes the runs ({@link #deleteAll}) in the same transaction.
     */
    void carryRunsToRows(Connection connection, RowSink sink) throws SQLException {
        runs.merge(connection, runs.runs(), versions -> {
            if (versions.get(0).kind() == HistoryRecord.CLOSED) {
                return;
            }
            for (int i = 0; i < versions.size(); i++) {
                HistoryRecord version = versions.get(i);
                if (version.present()) {
                    sink.accept(version, i + 1 < versions.size() ? versions.get(i + 1).revision() : null);
                }
            }
        });
    }

    /** Deletes every run, in the caller's transaction; {@link #forgetAll} once it has committed. */
    void deleteAll(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("DELETE FROM mandate_model_history_run");
            statement.executeUpdate("DELETE FROM mandate_model_history_block");
        }
    }

    void forgetAll() {
        runs.replace(runs.runs(), null);
    }

    private static boolean hasRows(Connection connection, String table) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT 1 FROM " + table + " FETCH FIRST 1 ROWS ONLY")) {
            return rows.next();
        }
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the transaction did not commit
        }
    }
}
