package dev.mandate.kernel.model.internal;

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
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
 * The relational side of the model: loads the current rows into an index and writes one commit in
 * one transaction. Each element version is one row (its layers one JSON column), each relation
 * version one row; a commit closes the rows it replaces (valid_to) and inserts the new ones, which
 * PostgreSQL and H2 both run the same way. Called by one thread at a time (the store serialises
 * commits).
 */
final class ModelRepository {
    private static final Logger LOG = LoggerFactory.getLogger(ModelRepository.class);
    static final SchemaMigrator MIGRATOR = new SchemaMigrator("mandate_model_schema_version",
            ModelRepository.class.getClassLoader(), "db/migration/model",
            List.of("V1__create_model_tables.sql", "V2__keep_history.sql",
                    "V3__relation_history_by_element.sql", "V4__one_row_per_element_version.sql"));
    /** Rows per batch when V1-V3 rows are carried over. */
    private static final int CARRY_BATCH = 10_000;
    private static final String ELEMENT_ROWS = "mandate_model_element_version (id, id_hash, kind, provider,"
            + " environment, trust_zone, owner_team, labels, layers, revision, valid_to)";
    private static final String INSERT_ELEMENT = "INSERT INTO " + ELEMENT_ROWS + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String RELATION_ROWS = "mandate_model_relation_version (rel_type, from_id, from_hash, to_id,"
            + " to_hash, properties, revision, valid_to)";
    private static final String INSERT_RELATION = "INSERT INTO " + RELATION_ROWS + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

    private final DataSource dataSource;
    private final JsonCodec json;
    /** Whether inserts go through COPY: unknown until the first write, then fixed (one data source). */
    private Boolean copies;

    ModelRepository(DataSource dataSource, JsonCodec json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    /** Migrates the schema and reads the current revision into a new index. */
    ModelIndex load() throws SQLException {
        MIGRATOR.migrate(dataSource);
        try (Connection connection = dataSource.getConnection()) {
            carryForward(connection);
            // one transaction, so that the rows read belong to one revision
            connection.setAutoCommit(false);
            try {
                return read(connection);
            } finally {
                rollbackQuietly(connection);
                connection.setAutoCommit(true);
            }
        }
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
                    bindElement(insert, described, writeLayers(layers), revision, closed);
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
                PreparedStatement insert = connection.prepareStatement(INSERT_RELATION)) {
            select.setFetchSize(CARRY_BATCH);
            try (ResultSet rows = select.executeQuery("SELECT rel_type, from_id, to_id, properties, revision, valid_to"
                    + " FROM mandate_model_relation")) {
                while (rows.next()) {
                    long validTo = rows.getLong(6);
                    bindRelation(insert, rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4),
                            rows.getLong(5), rows.wasNull() ? null : validTo);
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

    private ModelIndex read(Connection connection) throws SQLException {
        long revision;
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT MAX(revision) FROM mandate_model_revision")) {
            revision = rows.next() ? rows.getLong(1) : 0;
        }
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

    /**
     * Writes what {@code plan} touched, as {@code next} shows it, and the revision row, in one
     * transaction. Returns only once the transaction has committed.
     */
    void write(CommitPlan plan, ModelIndex next) throws SQLException {
        Connection connection = dataSource.getConnection();
        boolean committed = false;
        try {
            connection.setAutoCommit(false);
            boolean copy = copies(connection);
            writeElements(connection, plan, next, copy);
            writeRelations(connection, plan, next, copy);
            writeRevision(connection, plan, next.revision());
            connection.commit();
            committed = true;
        } finally {
            if (!committed) {
                rollbackQuietly(connection);
            }
            closeQuietly(connection);
        }
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

    private void writeElements(Connection connection, CommitPlan plan, ModelIndex next, boolean copy)
            throws SQLException {
        try (PreparedStatement close = connection.prepareStatement("UPDATE mandate_model_element_version"
                        + " SET valid_to = ? WHERE id_hash = ? AND id = ? AND valid_to IS NULL");
                PreparedStatement insert = connection.prepareStatement(INSERT_ELEMENT)) {
            PostgresCopy copied = copy ? new PostgresCopy() : null;
            for (String id : plan.touchedElements()) {
                if (plan.storedBefore(id)) {
                    close.setLong(1, next.revision());
                    close.setLong(2, IdHash.of(id));
                    close.setString(3, id);
                    close.addBatch();
                }
                Element element = next.element(id).orElse(null);
                if (element == null) {
                    continue;
                }
                String layers = writeLayers(element.layers());
                if (copied != null) {
                    copied.value(id).value(IdHash.of(id)).value(element.kind()).value(element.provider())
                            .value(element.environment()).value(element.trustZone()).value(element.owner())
                            .value(json.write(element.labels())).value(layers).value(next.revision()).value(null)
                            .endRow();
                } else {
                    bindElement(insert, element, layers, next.revision(), null);
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

    private void bindElement(PreparedStatement insert, Element element, String layers, long revision, Long validTo)
            throws SQLException {
        insert.setString(1, element.id());
        insert.setLong(2, IdHash.of(element.id()));
        insert.setString(3, element.kind());
        insert.setString(4, element.provider());
        insert.setString(5, element.environment());
        insert.setString(6, element.trustZone());
        insert.setString(7, element.owner());
        insert.setString(8, json.write(element.labels()));
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

    private static void setNullableLong(PreparedStatement statement, int index, Long value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, value);
        }
    }

    /** The layers of one element version as one JSON object: layer name to source, time, hash and attributes. */
    private String writeLayers(Map<Layer, LayerState> layers) {
        Map<String, Object> document = new HashMap<>();
        for (Map.Entry<Layer, LayerState> layer : layers.entrySet()) {
            LayerState state = layer.getValue();
            document.put(layer.getKey().name(), Map.of("source", state.source(),
                    "observedAt", state.observedAt().toString(), "contentHash", state.contentHash(),
                    "attributes", state.attributes()));
        }
        return json.write(document);
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

    private void writeRelations(Connection connection, CommitPlan plan, ModelIndex next, boolean copy)
            throws SQLException {
        try (PreparedStatement close = connection.prepareStatement("UPDATE mandate_model_relation_version"
                        + " SET valid_to = ? WHERE from_hash = ? AND from_id = ? AND to_id = ? AND rel_type = ?"
                        + " AND valid_to IS NULL");
                PreparedStatement insert = connection.prepareStatement(INSERT_RELATION)) {
            PostgresCopy copied = copy ? new PostgresCopy() : null;
            for (Map.Entry<CommitPlan.RelationKey, CommitPlan.RelationWrite> touched
                    : plan.touchedRelations().entrySet()) {
                CommitPlan.RelationKey key = touched.getKey();
                CommitPlan.RelationWrite write = touched.getValue();
                if (write.storedBefore()) {
                    close.setLong(1, next.revision());
                    close.setLong(2, IdHash.of(key.from()));
                    close.setString(3, key.from());
                    close.setString(4, key.to());
                    close.setString(5, key.type().name());
                    close.addBatch();
                }
                if (write.relation() == null) {
                    continue;
                }
                if (copied != null) {
                    copied.value(key.type().name()).value(key.from()).value(IdHash.of(key.from())).value(key.to())
                            .value(IdHash.of(key.to())).value(write.properties()).value(next.revision()).value(null)
                            .endRow();
                } else {
                    bindRelation(insert, key.type().name(), key.from(), key.to(), write.properties(), next.revision(),
                            null);
                    insert.addBatch();
                }
            }
            close.executeBatch();
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
     * The element as the rows valid at {@code revision} describe it, or null when it did not exist
     * then. The caller has checked that the revision is retained.
     */
    Element elementAt(String id, long revision) throws SQLException {
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
                Map<Layer, LayerState> layers = readLayers(rows.getString(7));
                return new Element(id, rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4),
                        rows.getString(5), json.readStrings(rows.getString(6)), CommitPlan.effective(layers), layers);
            }
        }
    }

    /**
     * The relations from and to {@code id} as the rows valid at {@code revision} describe them:
     * outgoing first, then incoming, each ordered by type and the other end. The caller has checked
     * that the revision is retained.
     */
    List<Relation> relationsAt(String id, long revision) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                List<Relation> relations = new ArrayList<>();
                readRelationsAt(connection, "from", "to", id, revision, relations);
                readRelationsAt(connection, "to", "from", id, revision, relations);
                return relations;
            } finally {
                rollbackQuietly(connection);
                connection.setAutoCommit(true);
            }
        }
    }

    private void readRelationsAt(Connection connection, String end, String otherEnd, String id, long revision,
            List<Relation> into) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT rel_type, from_id, to_id, properties"
                + " FROM mandate_model_relation_version WHERE " + end + "_hash = ? AND " + end + "_id = ?"
                + " AND revision <= ? AND (valid_to IS NULL OR valid_to > ?) ORDER BY rel_type, " + otherEnd + "_id")) {
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
     * in one transaction. Current rows are never touched, so commits may run meanwhile.
     *
     * @return how many history rows were deleted
     */
    int prune(long cutoff) throws SQLException {
        Connection connection = dataSource.getConnection();
        boolean committed = false;
        try {
            connection.setAutoCommit(false);
            int deleted = 0;
            for (String table : List.of("mandate_model_element_version", "mandate_model_relation_version")) {
                try (PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM " + table + " WHERE valid_to IS NOT NULL AND valid_to <= ?")) {
                    delete.setLong(1, cutoff);
                    deleted += delete.executeUpdate();
                }
            }
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM mandate_model_revision WHERE revision < ?")) {
                delete.setLong(1, cutoff);
                delete.executeUpdate();
            }
            connection.commit();
            committed = true;
            return deleted;
        } finally {
            if (!committed) {
                rollbackQuietly(connection);
            }
            closeQuietly(connection);
        }
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
