package dev.mandate.kernel.model.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
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

/**
 * The relational side of the model: loads every row into an index and writes one commit in one
 * transaction. Rows are replaced by delete and insert, which PostgreSQL and H2 both run the same
 * way. Called by one thread at a time (the store serialises commits).
 */
final class ModelRepository {
    static final SchemaMigrator MIGRATOR = new SchemaMigrator("mandate_model_schema_version", "db/migration/model",
            List.of("V1__create_model_tables.sql"));

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
                        + " content_hash, attributes FROM mandate_model_layer")) {
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
                        + " owner_team, labels FROM mandate_model_element")) {
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
                        "SELECT rel_type, from_id, to_id, properties FROM mandate_model_relation")) {
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
        try (PreparedStatement deleteElement = connection.prepareStatement(
                        "DELETE FROM mandate_model_element WHERE id = ?");
                PreparedStatement deleteLayers = connection.prepareStatement(
                        "DELETE FROM mandate_model_layer WHERE element_id = ?");
                PreparedStatement insertElement = connection.prepareStatement("INSERT INTO mandate_model_element"
                        + " (id, kind, provider, environment, trust_zone, owner_team, labels, revision)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
                PreparedStatement insertLayer = connection.prepareStatement("INSERT INTO mandate_model_layer"
                        + " (element_id, layer_name, source, observed_at, content_hash, attributes, revision)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (String id : plan.touchedElements()) {
                if (plan.storedBefore(id)) {
                    deleteElement.setString(1, id);
                    deleteElement.addBatch();
                    deleteLayers.setString(1, id);
                    deleteLayers.addBatch();
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
            deleteLayers.executeBatch();
            deleteElement.executeBatch();
            insertElement.executeBatch();
            insertLayer.executeBatch();
        }
    }

    private void writeRelations(Connection connection, CommitPlan plan, ModelIndex next) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM mandate_model_relation WHERE rel_type = ? AND from_id = ? AND to_id = ?");
                PreparedStatement insert = connection.prepareStatement("INSERT INTO mandate_model_relation"
                        + " (rel_type, from_id, to_id, properties, revision) VALUES (?, ?, ?, ?, ?)")) {
            for (CommitPlan.RelationKey key : plan.touchedRelations()) {
                if (plan.storedBefore(key)) {
                    delete.setString(1, key.type().name());
                    delete.setString(2, key.from());
                    delete.setString(3, key.to());
                    delete.addBatch();
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
            delete.executeBatch();
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
