package dev.mandate.kernel.model.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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

/**
 * The relational side of the model: loads every row into an index and writes one commit in one
 * transaction. Rows are replaced by delete and insert, which PostgreSQL and H2 both run the same
 * way. Called by one thread at a time (the store serialises commits).
 */
final class ModelRepository {
    static final SchemaMigrator MIGRATOR = new SchemaMigrator("mandate_model_schema_version",
            ModelRepository.class.getClassLoader(), "db/migration/model",
            List.of("V1__create_model_tables.sql", "V2__keep_history.sql",
                    "V3__relation_history_by_element.sql"));

    private final DataSource dataSource;
    private final JsonCodec json;

    ModelRepository(DataSource dataSource, JsonCodec json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    /** Migrates the schema and reads the current revision into a new index. */
    ModelIndex load() throws SQLException {
        MIGRATOR.migrate(dataSource);
        try (Connection connection = dataSource.getConnection()) {
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

    private ModelIndex read(Connection connection) throws SQLException {
        long revision;
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT MAX(revision) FROM mandate_model_revision")) {
            revision = rows.next() ? rows.getLong(1) : 0;
        }
        Map<String, Map<Layer, LayerState>> layers = new HashMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT element_id, layer_name, source, observed_at,"
                        + " content_hash, attributes FROM mandate_model_layer WHERE valid_to IS NULL")) {
            while (rows.next()) {
                layers.computeIfAbsent(rows.getString(1), id -> new EnumMap<>(Layer.class))
                        .put(Layer.valueOf(rows.getString(2)), new LayerState(rows.getString(3),
                                toInstant(rows.getObject(4, LocalDateTime.class)), rows.getString(5),
                                json.readObject(rows.getString(6))));
            }
        }
        ModelIndex.Builder builder = ModelIndex.EMPTY.toBuilder();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT id, kind, provider, environment, trust_zone,"
                        + " owner_team, labels FROM mandate_model_element WHERE valid_to IS NULL")) {
            while (rows.next()) {
                String id = rows.getString(1);
                Map<Layer, LayerState> elementLayers = layers.getOrDefault(id, Map.of());
                builder.put(new Element(id, rows.getString(2), rows.getString(3), rows.getString(4),
                        rows.getString(5), rows.getString(6), json.readStrings(rows.getString(7)),
                        CommitPlan.effective(elementLayers), elementLayers));
            }
        }
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT rel_type, from_id, to_id, properties FROM mandate_model_relation WHERE valid_to IS NULL")) {
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
            writeElements(connection, plan, next);
            writeRelations(connection, plan, next);
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

    private void writeElements(Connection connection, CommitPlan plan, ModelIndex next) throws SQLException {
        try (PreparedStatement closeElement = connection.prepareStatement(
                        "UPDATE mandate_model_element SET valid_to = ? WHERE id = ? AND valid_to IS NULL");
                PreparedStatement closeLayers = connection.prepareStatement(
                        "UPDATE mandate_model_layer SET valid_to = ? WHERE element_id = ? AND valid_to IS NULL");
                PreparedStatement insertElement = connection.prepareStatement("INSERT INTO mandate_model_element"
                        + " (id, kind, provider, environment, trust_zone, owner_team, labels, revision)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
                PreparedStatement insertLayer = connection.prepareStatement("INSERT INTO mandate_model_layer"
                        + " (element_id, layer_name, source, observed_at, content_hash, attributes, revision)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (String id : plan.touchedElements()) {
                if (plan.storedBefore(id)) {
                    closeElement.setLong(1, next.revision());
                    closeElement.setString(2, id);
                    closeElement.addBatch();
                    closeLayers.setLong(1, next.revision());
                    closeLayers.setString(2, id);
                    closeLayers.addBatch();
                }
                Element element = next.element(id).orElse(null);
                if (element == null) {
                    continue;
                }
                insertElement.setString(1, id);
                insertElement.setString(2, element.kind());
                insertElement.setString(3, element.provider());
                insertElement.setString(4, element.environment());
                insertElement.setString(5, element.trustZone());
                insertElement.setString(6, element.owner());
                insertElement.setString(7, json.write(element.labels()));
                insertElement.setLong(8, next.revision());
                insertElement.addBatch();
                for (Map.Entry<Layer, LayerState> layer : element.layers().entrySet()) {
                    LayerState state = layer.getValue();
                    insertLayer.setString(1, id);
                    insertLayer.setString(2, layer.getKey().name());
                    insertLayer.setString(3, state.source());
                    insertLayer.setObject(4, LocalDateTime.ofInstant(state.observedAt(), ZoneOffset.UTC));
                    insertLayer.setString(5, state.contentHash());
                    insertLayer.setString(6, json.write(state.attributes()));
                    insertLayer.setLong(7, next.revision());
                    insertLayer.addBatch();
                }
            }
            closeLayers.executeBatch();
            closeElement.executeBatch();
            insertElement.executeBatch();
            insertLayer.executeBatch();
        }
    }

    private void writeRelations(Connection connection, CommitPlan plan, ModelIndex next) throws SQLException {
        try (PreparedStatement close = connection.prepareStatement("UPDATE mandate_model_relation SET valid_to = ?"
                        + " WHERE from_id = ? AND to_id = ? AND rel_type = ? AND valid_to IS NULL");
                PreparedStatement insert = connection.prepareStatement("INSERT INTO mandate_model_relation"
                        + " (rel_type, from_id, to_id, properties, revision) VALUES (?, ?, ?, ?, ?)")) {
            for (CommitPlan.RelationKey key : plan.touchedRelations()) {
                if (plan.storedBefore(key)) {
                    close.setLong(1, next.revision());
                    close.setString(2, key.from());
                    close.setString(3, key.to());
                    close.setString(4, key.type().name());
                    close.addBatch();
                }
                Relation relation = next.relation(key.type(), key.from(), key.to()).orElse(null);
                if (relation == null) {
                    continue;
                }
                insert.setString(1, key.type().name());
                insert.setString(2, key.from());
                insert.setString(3, key.to());
                insert.setString(4, json.write(relation.properties()));
                insert.setLong(5, next.revision());
                insert.addBatch();
            }
            close.executeBatch();
            insert.executeBatch();
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
        Element described;
        long since;
        try (PreparedStatement select = connection.prepareStatement("SELECT kind, provider, environment, trust_zone,"
                + " owner_team, labels, revision FROM mandate_model_element"
                + " WHERE id = ? AND revision <= ? AND (valid_to IS NULL OR valid_to > ?)")) {
            select.setString(1, id);
            select.setLong(2, revision);
            select.setLong(3, revision);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return null;
                }
                described = new Element(id, rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4),
                        rows.getString(5), json.readStrings(rows.getString(6)), Map.of(), Map.of());
                since = rows.getLong(7);
            }
        }
        Map<Layer, LayerState> layers = new EnumMap<>(Layer.class);
        try (PreparedStatement select = connection.prepareStatement("SELECT layer_name, source, observed_at,"
                + " content_hash, attributes FROM mandate_model_layer WHERE element_id = ? AND revision = ?")) {
            select.setString(1, id);
            select.setLong(2, since);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    layers.put(Layer.valueOf(rows.getString(1)), new LayerState(rows.getString(2),
                            toInstant(rows.getObject(3, LocalDateTime.class)), rows.getString(4),
                            json.readObject(rows.getString(5))));
                }
            }
        }
        return new Element(id, described.kind(), described.provider(), described.environment(),
                described.trustZone(), described.owner(), described.labels(), CommitPlan.effective(layers), layers);
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
                readRelationsAt(connection, "from_id", "to_id", id, revision, relations);
                readRelationsAt(connection, "to_id", "from_id", id, revision, relations);
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
                + " FROM mandate_model_relation WHERE " + end + " = ? AND revision <= ?"
                + " AND (valid_to IS NULL OR valid_to > ?) ORDER BY rel_type, " + otherEnd)) {
            select.setString(1, id);
            select.setLong(2, revision);
            select.setLong(3, revision);
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
            for (String table : List.of("mandate_model_layer", "mandate_model_element", "mandate_model_relation")) {
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
