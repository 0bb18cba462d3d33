package dev.mandate.kernel.model.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.Lock;

import javax.sql.DataSource;

import dev.mandate.api.model.Element;
import dev.mandate.api.model.Layer;
import dev.mandate.api.model.LayerState;
import dev.mandate.api.model.Relation;
import dev.mandate.api.model.RelationType;
import dev.mandate.kernel.jdbc.SchemaMigrator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relational side of the model: loads the current model into an index and writes one commit
 * in one transaction. The history takes one of two forms. As <em>rows</em> (the default on
 * PostgreSQL): each element version is one row (its layers one JSON column), each relation version
 * one row; a commit closes the rows it replaces (valid_to) and inserts the new ones. As
 * <em>runs</em> (the commit journal, the default on H2; {@link RunHistory}): a commit writes its
 * versions as one sorted run of binary blocks, merged with others in the background. A start
 * carries history kept in the other form over to the configured one. Commits are called by one
 * thread at a time (the store serialises them).
 */
final class ModelRepository {
    private static final Logger LOG = LoggerFactory.getLogger(ModelRepository.class);
    static final SchemaMigrator MIGRATOR = new SchemaMigrator("mandate_model_schema_version",
            ModelRepository.class.getClassLoader(), "db/migration/model",
            List.of("V1__create_model_tables.sql", "V2__keep_history.sql",
                    "V3__relation_history_by_element.sql", "V4__one_row_per_element_version.sql",
                    "V5__commit_journal.sql", "V6__relation_history_by_source.sql", "V7__history_runs.sql"));
    /** The largest part of a journal entry in one row. */
    static final int JOURNAL_PART_BYTES = 1 << 20;
    /** Rows per batch when V1-V3 rows are carried over. */
    private static final int CARRY_BATCH = 10_000;
    private static final String ELEMENT_ROWS = "mandate_model_element_version (id, id_hash, kind, provider,"
            + " environment, trust_zone, owner_team, labels, layers, revision, valid_to)";
    private static final String INSERT_ELEMENT = "INSERT INTO " + ELEMENT_ROWS + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String RELATION_ROWS = "mandate_model_relation_version (rel_type, from_id, from_hash, to_id,"
            + " to_hash, properties, revision, valid_to)";
    private static final String INSERT_RELATION = "INSERT INTO " + RELATION_ROWS + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_CLOSED = "INSERT INTO mandate_model_relation_closed (to_hash, from_id, valid_to)"
            + " VALUES (?, ?, ?)";

    /** The layers in the order of their names, as canonical JSON sorts keys. */
    private static final List<Layer> LAYERS_BY_NAME = Arrays.stream(Layer.values())
            .sorted(Comparator.comparing(Layer::name)).toList();

    private final DataSource dataSource;
    private final JsonCodec json;
    /** Whether inserts go through COPY: unknown until the first write, then fixed (one data source). */
    private Boolean copies;
    /** Whether commits go to the journal first: null until decided by the first connection (auto). */
    private volatile Boolean journals;
    /** The history as runs, used when {@link #journals}. */
    private final RunHistory runs;

    /**
     * @param journal whether commits write the journal first: true, false, or null to decide by the
     *                database (H2 yes, others no)
     */
    ModelRepository(DataSource dataSource, JsonCodec json, Boolean journal) {
        this.dataSource = dataSource;
        this.json = json;
        this.journals = journal;
        this.runs = new RunHistory(dataSource);
    }

    /**
     * Migrates the schema, carries history kept in another form over to the configured one, and
     * reads the current revision into a new index.
     */
    ModelIndex load() throws SQLException {
        MIGRATOR.migrate(dataSource);
        boolean asRuns = journals();
        try (Connection connection = dataSource.getConnection()) {
            carryForward(connection);
            runs.load(connection);
            if (asRuns) {
                inTransaction(connection, () -> {
                    List<HistoryRuns.Run> carried = runs.carryRowsOver(connection);
                    if (!carried.isEmpty()) {
                        LOG.info("model history carried over from rows to runs");
                    }
                    return () -> carried.forEach(runs::committed);
                });
                materialiseJournal(connection, entry -> {
                    HistoryRuns.Run run = runs.write(connection, entry);
                    return () -> runs.committed(run);
                });
            } else {
                materialiseJournal(connection, entry -> {
                    writeRows(connection, entry);
                    return () -> { };
                });
                if (!runs.isEmpty()) {
                    inTransaction(connection, () -> {
                        carryRunsToRows(connection);
                        return runs::forgetAll;
                    });
                }
            }
            // one transaction, so that what is read belongs to one revision
            connection.setAutoCommit(false);
            try {
                return asRuns ? readRuns(connection) : read(connection);
            } finally {
                rollbackQuietly(connection);
                connection.setAutoCommit(true);
            }
        }
    }

    /** What a load step does in its transaction; it returns what to publish once that has committed. */
    @FunctionalInterface
    private interface LoadStep {
        Runnable run() throws SQLException;
    }

    /** Runs one load step in its own transaction on {@code connection}. */
    private static void inTransaction(Connection connection, LoadStep step) throws SQLException {
        connection.setAutoCommit(false);
        boolean committed = false;
        try {
            Runnable publish = step.run();
            connection.commit();
            committed = true;
            publish.run();
        } finally {
            if (!committed) {
                rollbackQuietly(connection);
            }
            connection.setAutoCommit(true);
        }
    }

    /** Writes every version of the runs as history rows (with their closings) and deletes the runs. */
    private void carryRunsToRows(Connection connection) throws SQLException {
        int[] count = new int[1];
        try (PreparedStatement element = connection.prepareStatement(INSERT_ELEMENT);
                PreparedStatement relation = connection.prepareStatement(INSERT_RELATION);
                PreparedStatement closed = connection.prepareStatement(INSERT_CLOSED)) {
            runs.carryRunsToRows(connection, (version, validTo) -> {
                String[] values = version.strings();
                if (version.kind() == HistoryRecord.ELEMENT) {
                    bindElement(element, version.lookupId(), version.hash(), values[0], values[1], values[2],
                            values[3], values[4], values[5], values[6], version.revision(), validTo);
                    element.addBatch();
                } else {
                    bindRelation(relation, version.type(), version.lookupId(), version.other(), values[0],
                            version.revision(), validTo);
                    relation.addBatch();
                    if (validTo != null) {
                        bindClosed(closed, version.other(), version.lookupId(), validTo);
                        closed.addBatch();
                    }
                }
                if (++count[0] % CARRY_BATCH == 0) {
                    element.executeBatch();
                    relation.executeBatch();
                    closed.executeBatch();
                }
            });
            element.executeBatch();
            relation.executeBatch();
            closed.executeBatch();
        }
        runs.deleteAll(connection);
        LOG.info("model history of {} versions carried over from runs to rows", count[0]);
    }

    private static long newestRevision(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT MAX(revision) FROM mandate_model_revision")) {
            return rows.next() ? rows.getLong(1) : 0;
        }
    }

    /** The current model: the newest present version of every key in the runs. */
    private ModelIndex readRuns(Connection connection) throws SQLException {
        long revision = newestRevision(connection);
        ModelIndex.Builder builder = ModelIndex.EMPTY.toBuilder();
        List<Relation> relations = new ArrayList<>();
        runs.readCurrent(connection, version -> {
            if (version.kind() == HistoryRecord.ELEMENT) {
                builder.put(element(version));
            } else {
                relations.add(relation(version));
            }
        });
        relations.forEach(builder::putRelation); // after the elements, as they are read from rows
        return builder.build(revision);
    }

    private Element element(HistoryRecord version) {
        String[] values = version.strings();
        return element(version.lookupId(), values[0], values[1], values[2], values[3], values[4], values[5], values[6]);
    }

    private Relation relation(HistoryRecord version) {
        return new Relation(RelationType.valueOf(version.type()), version.lookupId(), version.other(),
                json.readObject(version.strings()[0]));
    }

    /**
     * Carries the rows of the V1-V3 tables (an element row and a row per layer for each version)
     * over to V4's one row per version, and empties the old tables, in one transaction: a start cut
     * short leaves the old rows where they were and the next start carries them over again.
     */
    private void carryForward(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
        boolean committed = false;
        try {
            if (!hasRows(connection, "mandate_model_element") && !hasRows(connection, "mandate_model_relation")
                    && !hasRows(connection, "mandate_model_layer")) {
                return;
            }
            int elements = carryElements(connection);
            int relations = carryRelations(connection);
            try (Statement statement = connection.createStatement()) {
                for (String table : List.of("mandate_model_layer", "mandate_model_element", "mandate_model_relation")) {
                    statement.executeUpdate("DELETE FROM " + table);
                }
            }
            connection.commit();
            committed = true;
            LOG.info("model history carried over to one row per element version: {} element versions,"
                    + " {} relation versions", elements, relations);
        } finally {
            if (!committed) {
                rollbackQuietly(connection);
            }
            connection.setAutoCommit(true);
        }
    }

    private static boolean hasRows(Connection connection, String table) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT 1 FROM " + table + " FETCH FIRST 1 ROWS ONLY")) {
            return rows.next();
        }
    }

    private int carryElements(Connection connection) throws SQLException {
        int count = 0;
        try (Statement select = connection.createStatement();
                PreparedStatement insert = connection.prepareStatement(INSERT_ELEMENT)) {
            select.setFetchSize(CARRY_BATCH);
            // V2 on: the layer rows of a version carry the revision of its element row
            try (ResultSet rows = select.executeQuery("SELECT e.id, e.kind, e.provider, e.environment, e.trust_zone,"
                    + " e.owner_team, e.labels, e.revision, e.valid_to, l.layer_name, l.source, l.observed_at,"
                    + " l.content_hash, l.attributes FROM mandate_model_element e LEFT JOIN mandate_model_layer l"
                    + " ON l.element_id = e.id AND l.revision = e.revision ORDER BY e.id, e.revision")) {
                boolean more = rows.next();
                while (more) {
                    String id = rows.getString(1);
                    long revision = rows.getLong(8);
                    Element described = new Element(id, rows.getString(2), rows.getString(3), rows.getString(4),
                            rows.getString(5), rows.getString(6), json.readStrings(rows.getString(7)), Map.of(),
                            Map.of());
                    long validTo = rows.getLong(9);
                    Long closed = rows.wasNull() ? null : validTo;
                    Map<Layer, LayerState> layers = new EnumMap<>(Layer.class);
                    do {
                        String layer = rows.getString(10);
                        if (layer != null) {
                            layers.put(Layer.valueOf(layer), new LayerState(rows.getString(11),
                                    toInstant(rows.getObject(12, LocalDateTime.class)), rows.getString(13),
                                    json.readObject(rows.getString(14))));
                        }
                        more = rows.next();
                    } while (more && rows.getString(1).equals(id) && rows.getLong(8) == revision);
                    bindElement(insert, id, IdHash.of(id), described.kind(), described.provider(),
                            described.environment(), described.trustZone(), described.owner(),
                            json.write(described.labels()), writeLayers(layers, null), revision, closed);
                    insert.addBatch();
                    if (++count % CARRY_BATCH == 0) {
                        insert.executeBatch();
                    }
                }
            }
            insert.executeBatch();
        }
        return count;
    }

    private int carryRelations(Connection connection) throws SQLException {
        int count = 0;
        try (Statement select = connection.createStatement();
                PreparedStatement insert = connection.prepareStatement(INSERT_RELATION);
                PreparedStatement closed = connection.prepareStatement(INSERT_CLOSED)) {
            select.setFetchSize(CARRY_BATCH);
            try (ResultSet rows = select.executeQuery("SELECT rel_type, from_id, to_id, properties, revision, valid_to"
                    + " FROM mandate_model_relation")) {
                while (rows.next()) {
                    long validTo = rows.getLong(6);
                    boolean open = rows.wasNull();
                    bindRelation(insert, rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4),
                            rows.getLong(5), open ? null : validTo);
                    insert.addBatch();
                    if (!open) {
                        bindClosed(closed, rows.getString(3), rows.getString(2), validTo);
                        closed.addBatch();
                    }
                    if (++count % CARRY_BATCH == 0) {
                        insert.executeBatch();
                        closed.executeBatch();
                    }
                }
            }
            insert.executeBatch();
            closed.executeBatch();
        }
        return count;
    }

    private ModelIndex read(Connection connection) throws SQLException {
        long revision = newestRevision(connection);
        ModelIndex.Builder builder = ModelIndex.EMPTY.toBuilder();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT id, kind, provider, environment, trust_zone,"
                        + " owner_team, labels, layers FROM mandate_model_element_version WHERE valid_to IS NULL")) {
            while (rows.next()) {
                Map<Layer, LayerState> elementLayers = readLayers(rows.getString(8));
                builder.put(new Element(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4),
                        rows.getString(5), rows.getString(6), json.readStrings(rows.getString(7)),
                        CommitPlan.effective(elementLayers), elementLayers));
            }
        }
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT rel_type, from_id, to_id, properties FROM mandate_model_relation_version"
                                + " WHERE valid_to IS NULL")) {
            while (rows.next()) {
                builder.putRelation(new Relation(RelationType.valueOf(rows.getString(1)), rows.getString(2),
                        rows.getString(3), json.readObject(rows.getString(4))));
            }
        }
        return builder.build(revision);
    }

    /** Whether commits go to the journal first; decided once, by the database when not configured. */
    boolean journals() throws SQLException {
        Boolean decided = journals;
        if (decided == null) {
            try (Connection connection = dataSource.getConnection()) {
                decided = "H2".equals(connection.getMetaData().getDatabaseProductName());
            }
            journals = decided;
        }
        return decided;
    }

    /** The history rows {@code plan} makes, as {@code next} shows the touched elements and relations. */
    HistoryWrite rows(CommitPlan plan, ModelIndex next) {
        List<HistoryWrite.ElementRow> elements = new ArrayList<>(plan.touchedElements().size());
        long bytes = 0;
        for (String id : plan.touchedElements()) {
            Element element = next.element(id).orElse(null);
            boolean storedBefore = plan.storedBefore(id);
            if (element == null) {
                elements.add(new HistoryWrite.ElementRow(id, storedBefore, null, null, null, null, null, null, null));
                bytes += id.length();
                continue;
            }
            String labels = json.write(element.labels());
            String layers = writeLayers(element.layers(), plan);
            elements.add(new HistoryWrite.ElementRow(id, storedBefore, element.kind(), element.provider(),
                    element.environment(), element.trustZone(), element.owner(), labels, layers));
            bytes += id.length() + labels.length() + layers.length();
        }
        List<HistoryWrite.RelationRow> relations = new ArrayList<>(plan.touchedRelations().size());
        for (Map.Entry<CommitPlan.RelationKey, CommitPlan.RelationWrite> touched : plan.touchedRelations().entrySet()) {
            CommitPlan.RelationKey key = touched.getKey();
            CommitPlan.RelationWrite write = touched.getValue();
            String properties = write.relation() == null ? null : write.properties();
            relations.add(new HistoryWrite.RelationRow(key.type().name(), key.from(), key.to(), write.storedBefore(),
                    properties));
            bytes += key.from().length() + key.to().length() + (properties == null ? 0 : properties.length());
        }
        return new HistoryWrite(next.revision(), List.copyOf(elements), List.copyOf(relations), bytes * 2);
    }

    /**
     * Writes one commit and its revision row in one transaction: the rows into the history tables,
     * or, when {@code journal}, one run holding them (published once committed). Returns only once
     * the transaction has committed. The caller holds the commit lock.
     */
    void write(CommitPlan plan, HistoryWrite rows, boolean journal) throws SQLException {
        HistoryRuns.Run run = inTransaction(connection -> {
            HistoryRuns.Run written = null;
            if (journal) {
                written = runs.write(connection, rows);
            } else {
                writeRows(connection, rows);
            }
            writeRevision(connection, plan, rows.revision());
            return written;
        });
        if (run != null) {
            runs.committed(run);
        }
    }

    /**
     * Merges history runs that are due (see {@link RunHistory#compact}); false when none were.
     * Called by one thread at a time.
     */
    boolean compact(Lock commitLock) throws SQLException {
        return journals() && runs.compact(commitLock, oldestRevision());
    }

    /** Whether a merge of history runs is due. */
    boolean compactionDue() throws SQLException {
        return journals() && !runs.dueForMerge().isEmpty();
    }

    /** What one transaction does; it commits when the work returns and rolls back when it throws. */
    @FunctionalInterface
    private interface TransactionWork<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T inTransaction(TransactionWork<T> work) throws SQLException {
        Connection connection = dataSource.getConnection();
        boolean committed = false;
        try {
            connection.setAutoCommit(false);
            T result = work.run(connection);
            connection.commit();
            committed = true;
            return result;
        } finally {
            if (!committed) {
                rollbackQuietly(connection);
            }
            closeQuietly(connection);
        }
    }

    /** Deletes one revision's journal entry first, so that of two stores only one writes its rows. */
    private static boolean deleteJournal(Connection connection, long revision) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM mandate_model_journal WHERE revision = ?")) {
            delete.setLong(1, revision);
            return delete.executeUpdate() > 0;
        }
    }

    /** Writes one journal entry into the history; returns what to publish once that has committed. */
    @FunctionalInterface
    private interface EntryWrite {
        Runnable write(HistoryWrite entry) throws SQLException;
    }

    /**
     * At load: turns every V5 journal entry a previous version left (it stopped or was killed
     * before it wrote their rows) into history, one transaction per entry, oldest first.
     */
    private void materialiseJournal(Connection connection, EntryWrite write) throws SQLException {
        List<Long> revisions = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT DISTINCT revision FROM mandate_model_journal ORDER BY revision")) {
            while (rows.next()) {
                revisions.add(rows.getLong(1));
            }
        }
        if (revisions.isEmpty()) {
            return;
        }
        connection.setAutoCommit(false);
        try {
            for (long revision : revisions) {
                HistoryWrite entry = readJournal(connection, revision);
                // null or nothing deleted: another store has written the entry itself
                if (entry != null && deleteJournal(connection, revision)) {
                    Runnable publish = write.write(entry);
                    connection.commit();
                    publish.run();
                } else {
                    connection.commit();
                }
            }
        } finally {
            rollbackQuietly(connection);
            connection.setAutoCommit(true);
        }
        LOG.info("model journal of {} revisions written to the history at load", revisions.size());
    }

    /** One revision's journal entry, or null when it is gone. */
    private static HistoryWrite readJournal(Connection connection, long revision) throws SQLException {
        ByteArrayOutputStream entry = new ByteArrayOutputStream();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT changes FROM mandate_model_journal WHERE revision = ? ORDER BY part")) {
            select.setLong(1, revision);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    entry.writeBytes(rows.getBytes(1));
                }
            }
        }
        if (entry.size() == 0) {
            return null;
        }
        try {
            HistoryWrite decoded = HistoryWrite.decode(new ByteArrayInputStream(entry.toByteArray()));
            if (decoded.revision() != revision) {
                throw new SQLException("model journal entry of revision " + revision + " holds revision "
                        + decoded.revision());
            }
            return decoded;
        } catch (IOException e) {
            throw new SQLException("model journal entry of revision " + revision + " cannot be read: "
                    + e.getMessage(), e);
        }
    }

    private void writeRows(Connection connection, HistoryWrite rows) throws SQLException {
        boolean copy = copies(connection);
        writeElements(connection, rows, copy);
        writeRelations(connection, rows, copy);
    }

    /**
     * Whether the connection takes COPY: PostgreSQL with the pgjdbc driver wired to this bundle
     * (an optional import, so a missing driver package shows as a LinkageError and means no).
     */
    private boolean copies(Connection connection) throws SQLException {
        if (copies == null) {
            boolean postgres = "PostgreSQL".equals(connection.getMetaData().getDatabaseProductName());
            try {
                copies = postgres && PostgresCopy.supports(connection);
            } catch (LinkageError e) {
                LOG.info("model store writes PostgreSQL without COPY: the pgjdbc driver package is not wired ({})",
                        e.toString());
                copies = false;
            }
        }
        return copies;
    }

    /**
     * Closes without throwing: after a commit a failing close must not turn the commit into a
     * failure, and after a failure the first exception is the one to report.
     */
    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // nothing more to do with this connection
        }
    }

    private void writeElements(Connection connection, HistoryWrite rows, boolean copy) throws SQLException {
        try (PreparedStatement close = connection.prepareStatement("UPDATE mandate_model_element_version"
                        + " SET valid_to = ? WHERE id_hash = ? AND id = ? AND valid_to IS NULL");
                PreparedStatement insert = connection.prepareStatement(INSERT_ELEMENT)) {
            PostgresCopy copied = copy ? new PostgresCopy() : null;
            long revision = rows.revision();
            for (HistoryWrite.ElementRow row : rows.elements()) {
                long hash = IdHash.of(row.id());
                if (row.storedBefore()) {
                    close.setLong(1, revision);
                    close.setLong(2, hash);
                    close.setString(3, row.id());
                    close.addBatch();
                }
                if (!row.present()) {
                    continue;
                }
                if (copied != null) {
                    copied.value(row.id()).value(hash).value(row.kind()).value(row.provider())
                            .value(row.environment()).value(row.trustZone()).value(row.owner())
                            .value(row.labels()).value(row.layers()).value(revision).value(null).endRow();
                } else {
                    bindElement(insert, row.id(), hash, row.kind(), row.provider(), row.environment(),
                            row.trustZone(), row.owner(), row.labels(), row.layers(), revision, null);
                    insert.addBatch();
                }
            }
            close.executeBatch();
            if (copied != null) {
                copied.into(connection, ELEMENT_ROWS);
            } else {
                insert.executeBatch();
            }
        }
    }

    private static void bindElement(PreparedStatement insert, String id, long hash, String kind, String provider,
            String environment, String trustZone, String owner, String labels, String layers, long revision,
            Long validTo) throws SQLException {
        insert.setString(1, id);
        insert.setLong(2, hash);
        insert.setString(3, kind);
        insert.setString(4, provider);
        insert.setString(5, environment);
        insert.setString(6, trustZone);
        insert.setString(7, owner);
        insert.setString(8, labels);
        insert.setString(9, layers);
        insert.setLong(10, revision);
        setNullableLong(insert, 11, validTo);
    }

    private static void bindRelation(PreparedStatement insert, String type, String from, String to, String properties,
            long revision, Long validTo) throws SQLException {
        insert.setString(1, type);
        insert.setString(2, from);
        insert.setLong(3, IdHash.of(from));
        insert.setString(4, to);
        insert.setLong(5, IdHash.of(to));
        insert.setString(6, properties);
        insert.setLong(7, revision);
        setNullableLong(insert, 8, validTo);
    }

    private static void bindClosed(PreparedStatement insert, String to, String from, long validTo)
            throws SQLException {
        insert.setLong(1, IdHash.of(to));
        insert.setString(2, from);
        insert.setLong(3, validTo);
    }

    private static void setNullableLong(PreparedStatement statement, int index, Long value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, value);
        }
    }

    /**
     * The layers of one element version as one JSON object: layer name to source, time, hash and
     * attributes, keys in canonical order. A layer state {@code plan} made reuses the canonical
     * attributes JSON the plan computed for its content hash; null {@code plan} serialises them all.
     */
    private String writeLayers(Map<Layer, LayerState> layers, CommitPlan plan) {
        StringBuilder out = new StringBuilder(512);
        out.append('{');
        for (Layer layer : LAYERS_BY_NAME) {
            LayerState state = layers.get(layer);
            if (state == null) {
                continue;
            }
            if (out.length() > 1) {
                out.append(',');
            }
            String canonical = plan == null ? null : plan.canonicalAttributes(state);
            out.append('"').append(layer.name()).append("\":{\"attributes\":")
                    .append(canonical != null ? canonical : json.write(state.attributes()))
                    .append(",\"contentHash\":");
            JsonCodec.appendString(out, state.contentHash());
            out.append(",\"observedAt\":");
            JsonCodec.appendString(out, state.observedAt().toString());
            out.append(",\"source\":");
            JsonCodec.appendString(out, state.source());
            out.append('}');
        }
        return out.append('}').toString();
    }

    @SuppressWarnings("unchecked")
    private Map<Layer, LayerState> readLayers(String document) {
        Map<Layer, LayerState> layers = new EnumMap<>(Layer.class);
        for (Map.Entry<String, Object> layer : json.readObject(document).entrySet()) {
            Map<String, Object> state = (Map<String, Object>) layer.getValue();
            layers.put(Layer.valueOf(layer.getKey()), new LayerState((String) state.get("source"),
                    Instant.parse((String) state.get("observedAt")), (String) state.get("contentHash"),
                    (Map<String, Object>) state.get("attributes")));
        }
        return layers;
    }

    private void writeRelations(Connection connection, HistoryWrite rows, boolean copy) throws SQLException {
        try (PreparedStatement close = connection.prepareStatement("UPDATE mandate_model_relation_version"
                        + " SET valid_to = ? WHERE from_hash = ? AND from_id = ? AND to_id = ? AND rel_type = ?"
                        + " AND valid_to IS NULL");
                PreparedStatement insert = connection.prepareStatement(INSERT_RELATION);
                PreparedStatement closed = connection.prepareStatement(INSERT_CLOSED)) {
            PostgresCopy copied = copy ? new PostgresCopy() : null;
            long revision = rows.revision();
            for (HistoryWrite.RelationRow row : rows.relations()) {
                if (row.storedBefore()) {
                    close.setLong(1, revision);
                    close.setLong(2, IdHash.of(row.from()));
                    close.setString(3, row.from());
                    close.setString(4, row.to());
                    close.setString(5, row.type());
                    close.addBatch();
                    bindClosed(closed, row.to(), row.from(), revision);
                    closed.addBatch();
                }
                if (!row.present()) {
                    continue;
                }
                if (copied != null) {
                    copied.value(row.type()).value(row.from()).value(IdHash.of(row.from())).value(row.to())
                            .value(IdHash.of(row.to())).value(row.properties()).value(revision).value(null).endRow();
                } else {
                    bindRelation(insert, row.type(), row.from(), row.to(), row.properties(), revision, null);
                    insert.addBatch();
                }
            }
            close.executeBatch();
            closed.executeBatch();
            if (copied != null) {
                copied.into(connection, RELATION_ROWS);
            } else {
                insert.executeBatch();
            }
        }
    }

    private static void writeRevision(Connection connection, CommitPlan plan, long revision) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO mandate_model_revision"
                + " (revision, committed_at, source, layer_name, upserts, removals, relation_upserts,"
                + " relation_removals, rejected) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setLong(1, revision);
            insert.setObject(2, LocalDateTime.ofInstant(plan.committedAt(), ZoneOffset.UTC));
            insert.setString(3, plan.changes().source());
            insert.setString(4, plan.changes().layer().name());
            insert.setInt(5, plan.upserts());
            insert.setInt(6, plan.removals());
            insert.setInt(7, plan.relationUpserts());
            insert.setInt(8, plan.relationRemovals());
            insert.setInt(9, plan.rejections().size());
            insert.executeUpdate();
        }
    }

    /**
     * The element as it was at {@code revision}, or null when it did not exist then: from the runs
     * or the rows valid at {@code revision}. The caller has checked that the revision is retained.
     */
    Element elementAt(String id, long revision) throws SQLException {
        if (journals()) {
            HistoryRecord version = runs.elementAt(id, revision);
            return version == null ? null : element(version);
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                return readElementAt(connection, id, revision);
            } finally {
                rollbackQuietly(connection);
                connection.setAutoCommit(true);
            }
        }
    }

    private Element element(String id, String kind, String provider, String environment, String trustZone,
            String owner, String labels, String layerDocument) {
        Map<Layer, LayerState> layers = readLayers(layerDocument);
        return new Element(id, kind, provider, environment, trustZone, owner, json.readStrings(labels),
                CommitPlan.effective(layers), layers);
    }

    private Element readElementAt(Connection connection, String id, long revision) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT kind, provider, environment, trust_zone,"
                + " owner_team, labels, layers FROM mandate_model_element_version"
                + " WHERE id_hash = ? AND id = ? AND revision <= ? AND (valid_to IS NULL OR valid_to > ?)")) {
            select.setLong(1, IdHash.of(id));
            select.setString(2, id);
            select.setLong(3, revision);
            select.setLong(4, revision);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return null;
                }
                return element(id, rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4),
                        rows.getString(5), rows.getString(6), rows.getString(7));
            }
        }
    }

    /**
     * The relations from and to {@code id} at {@code revision}: outgoing first, then incoming, each
     * ordered by type and the other end. The caller has checked that the revision is retained, and
     * read {@code now} (the current model) first.
     *
     * <p>Relation versions are found by their source only. A relation that entered {@code id} at
     * {@code revision} either still does in {@code now}, or was closed since, which a note under
     * its target (rows: the closed relations by target) says with its source. Each such source's
     * versions to {@code id} are then read.
     */
    List<Relation> relationsAt(String id, long revision, ModelIndex now) throws SQLException {
        Set<String> sources = new TreeSet<>();
        for (Relation relation : now.incoming(id)) {
            sources.add(relation.from());
        }
        List<Relation> outgoing = new ArrayList<>();
        List<Relation> incoming = new ArrayList<>();
        if (journals()) {
            RunHistory.RelationVersions versions = runs.relationsAt(id, revision, sources);
            versions.outgoing().forEach(version -> outgoing.add(relation(version)));
            versions.incoming().forEach(version -> incoming.add(relation(version)));
            outgoing.sort(Comparator.comparing((Relation relation) -> relation.type().name()).thenComparing(Relation::to));
        } else {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                try {
                    readRelationsAt(connection, id, revision, outgoing);
                    readClosedSources(connection, id, revision, sources);
                    readIncomingAt(connection, id, revision, sources, incoming);
                } finally {
                    rollbackQuietly(connection);
                    connection.setAutoCommit(true);
                }
            }
        }
        incoming.sort(Comparator.comparing((Relation relation) -> relation.type().name())
                .thenComparing(Relation::from));
        List<Relation> relations = new ArrayList<>(outgoing);
        relations.addAll(incoming);
        return relations;
    }

    /** Adds the sources of relations to {@code id} that were closed after {@code revision}. */
    private static void readClosedSources(Connection connection, String id, long revision, Set<String> sources)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT from_id FROM mandate_model_relation_closed"
                + " WHERE to_hash = ? AND valid_to > ?")) {
            select.setLong(1, IdHash.of(id));
            select.setLong(2, revision);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    sources.add(rows.getString(1)); // a hash shared with another target finds no row below
                }
            }
        }
    }

    /** The relations from each of {@code sources} to {@code id} valid at {@code revision}. */
    private void readIncomingAt(Connection connection, String id, long revision, Set<String> sources,
            List<Relation> into) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT rel_type, from_id, to_id, properties"
                + " FROM mandate_model_relation_version WHERE from_hash = ? AND from_id = ? AND to_id = ?"
                + " AND revision <= ? AND (valid_to IS NULL OR valid_to > ?)")) {
            for (String source : sources) {
                select.setLong(1, IdHash.of(source));
                select.setString(2, source);
                select.setString(3, id);
                select.setLong(4, revision);
                select.setLong(5, revision);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        into.add(new Relation(RelationType.valueOf(rows.getString(1)), rows.getString(2),
                                rows.getString(3), json.readObject(rows.getString(4))));
                    }
                }
            }
        }
    }

    private void readRelationsAt(Connection connection, String id, long revision, List<Relation> into)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT rel_type, from_id, to_id, properties"
                + " FROM mandate_model_relation_version WHERE from_hash = ? AND from_id = ?"
                + " AND revision <= ? AND (valid_to IS NULL OR valid_to > ?) ORDER BY rel_type, to_id")) {
            select.setLong(1, IdHash.of(id));
            select.setString(2, id);
            select.setLong(3, revision);
            select.setLong(4, revision);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    into.add(new Relation(RelationType.valueOf(rows.getString(1)), rows.getString(2),
                            rows.getString(3), json.readObject(rows.getString(4))));
                }
            }
        }
    }

    /** The oldest revision whose history is retained; 1 until something has been pruned, 0 for an empty store. */
    long oldestRevision() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT MIN(revision) FROM mandate_model_revision")) {
            return rows.next() ? rows.getLong(1) : 0;
        }
    }

    /**
     * The oldest revision to keep: the {@code keepRevisions} newest up to {@code current}, and those
     * committed since {@code since}; whichever limit is set and keeps less wins. Returns 0 when
     * nothing is to be pruned.
     *
     * @param keepRevisions how many revisions to keep, 0 for no limit
     * @param since         keep revisions committed at or after this time, null for no limit
     */
    long pruneCutoff(long current, int keepRevisions, Instant since) throws SQLException {
        long cutoff = 0;
        if (keepRevisions > 0) {
            cutoff = Math.max(cutoff, current - keepRevisions + 1);
        }
        if (since != null) {
            try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection
                    .prepareStatement("SELECT MIN(revision) FROM mandate_model_revision WHERE committed_at >= ?")) {
                select.setObject(1, LocalDateTime.ofInstant(since, ZoneOffset.UTC));
                try (ResultSet rows = select.executeQuery()) {
                    long oldestRecent = rows.next() ? rows.getLong(1) : 0;
                    cutoff = Math.max(cutoff, oldestRecent == 0 ? current : oldestRecent);
                }
            }
        }
        return Math.min(cutoff, current);
    }

    /**
     * Deletes the history that only revisions before {@code cutoff} need, and their revision rows,
     * in one transaction. Current rows are never touched, so commits may run meanwhile. Runs are
     * merged without those versions ({@link RunHistory#prune}), swapped under {@code commitLock}.
     *
     * @return how many history rows (element and relation versions) were deleted
     */
    int prune(long cutoff, Lock commitLock) throws SQLException {
        if (journals()) {
            return runs.prune(cutoff, commitLock);
        }
        return inTransaction(connection -> {
            int deleted = 0;
            for (String table : List.of("mandate_model_element_version", "mandate_model_relation_version")) {
                try (PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM " + table + " WHERE valid_to IS NOT NULL AND valid_to <= ?")) {
                    delete.setLong(1, cutoff);
                    deleted += delete.executeUpdate();
                }
            }
            // the list of closed relations by target goes with the versions it points at
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM mandate_model_relation_closed WHERE valid_to <= ?")) {
                delete.setLong(1, cutoff);
                delete.executeUpdate();
            }
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM mandate_model_revision WHERE revision < ?")) {
                delete.setLong(1, cutoff);
                delete.executeUpdate();
            }
            return deleted;
        });
    }

    private static Instant toInstant(LocalDateTime utc) {
        return utc.toInstant(ZoneOffset.UTC);
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is already broken; the transaction did not commit
        }
    }
}
