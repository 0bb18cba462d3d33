package dev.mandate.kernel.model.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import dev.mandate.api.model.ChangeSet;
import dev.mandate.api.model.CommitResult;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.Layer;
import dev.mandate.api.model.ModelSnapshot;
import dev.mandate.api.model.Relation;
import dev.mandate.api.model.RelationType;
import dev.mandate.kernel.jdbc.testing.TestDatabase;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The same schema and statements on a real PostgreSQL 14, the production database. */
class PostgresModelStoreTest {
    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void startPostgres() throws Exception {
        // zonky's embedded server turns synchronous_commit off unless told otherwise: durable means on
        postgres = EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "on").start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    @Test
    void commitsAreDurableWithSynchronousCommitOn() throws Exception {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            var rows = statement.executeQuery("SHOW synchronous_commit");
            rows.next();
            assertThat(rows.getString(1)).isEqualTo("on");
        }
    }

    /** Straight into the history tables (PostgreSQL's default) and through the commit journal. */
    @ParameterizedTest(name = "journal {0}")
    @ValueSource(booleans = {false, true})
    void theModelIsWrittenAndLoadedBackOnPostgres(boolean journal) throws Exception {
        DataSource dataSource = postgres.getPostgresDatabase();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA public CASCADE");
            statement.execute("CREATE SCHEMA public");
        }
        ModelStoreImpl store = new ModelStoreImpl(dataSource, ModelStoreImplTest.CLOCK, 0,
                ModelStoreImpl.Retention.UNLIMITED, journal);
        TestDatabase.await(() -> ModelStoreImplTest.isReady(store), Duration.ofSeconds(20), "the model has loaded");
        CommitResult first = store.commit(ModelStoreImplTest.running(List.of(
                ModelStoreImplTest.element(ModelStoreImplTest.VPC, "team-platform", Map.of("cidr", "10.0.0.0/16")),
                ModelStoreImplTest.element(ModelStoreImplTest.DB, null, Map.of("engine", "postgres", "size", 100))),
                List.of(), List.of(new Relation(RelationType.CONTAINS, ModelStoreImplTest.VPC, ModelStoreImplTest.DB,
                        Map.of("via", "subnet")))));
        store.commit(new ChangeSet("intent:prod", Layer.INTENDED, List.of(ModelStoreImplTest.element(
                ModelStoreImplTest.DB, null, Map.of("engine", "postgres"))), List.of(), List.of(), List.of()));
        store.commit(ModelStoreImplTest.running(List.of(), List.of(ModelStoreImplTest.VPC), List.of()));
        // the rows go through COPY's text format: its escapes must carry tabs, new lines and backslashes
        Map<String, Object> awkward = Map.of("path", "C:\\data\\x", "note", "a\tb\nc\r\\N \"quoted\" \u00e9");
        store.commit(ModelStoreImplTest.running(List.of(new Element(ModelStoreImplTest.APP, null, null, "prod",
                "eu-internal", null, Map.of("tab", "x\ty"), awkward, Map.of())), List.of(), List.of()));
        ModelSnapshot before = store.current();
        if (journal) {
            assertThat(store.elementAt(ModelStoreImplTest.VPC, 2).orElseThrow().owner()).isEqualTo("team-platform");
        }
        store.close();

        ModelStoreImpl reopened = new ModelStoreImpl(dataSource, ModelStoreImplTest.CLOCK, 0);
        try {
            TestDatabase.await(() -> ModelStoreImplTest.isReady(reopened), Duration.ofSeconds(20), "the model has loaded");
            ModelSnapshot after = reopened.current();
            assertThat(first.revision()).isEqualTo(1);
            assertThat(after.revision()).isEqualTo(4);
            assertThat(after.size()).isEqualTo(2);
            assertThat(after.element(ModelStoreImplTest.APP)).isEqualTo(before.element(ModelStoreImplTest.APP));
            assertThat(after.element(ModelStoreImplTest.APP).orElseThrow().attributes()).isEqualTo(awkward);
            assertThat(after.element(ModelStoreImplTest.DB)).isEqualTo(before.element(ModelStoreImplTest.DB));
            assertThat(after.element(ModelStoreImplTest.DB).orElseThrow().layers())
                    .containsOnlyKeys(Layer.INTENDED, Layer.RUNNING);
            assertThat(after.incoming(ModelStoreImplTest.DB)).isEmpty();
            assertThat(reopened.elementAt(ModelStoreImplTest.VPC, 2).orElseThrow().owner()).isEqualTo("team-platform");
            assertThat(reopened.elementAt(ModelStoreImplTest.VPC, 3)).isEmpty();
            assertThat(reopened.elementAt(ModelStoreImplTest.DB, 1).orElseThrow().layers())
                    .containsOnlyKeys(Layer.RUNNING);
            assertThat(reopened.relationsAt(ModelStoreImplTest.DB, 2)).containsExactly(new Relation(
                    RelationType.CONTAINS, ModelStoreImplTest.VPC, ModelStoreImplTest.DB, Map.of("via", "subnet")));
            assertThat(reopened.relationsAt(ModelStoreImplTest.DB, 3)).isEmpty();
            assertThat(reopened.current().danglingRelations()).isEmpty();
        } finally {
            reopened.close();
        }
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            var rows = statement.executeQuery("SELECT COUNT(*) FROM mandate_model_revision");
            rows.next();
            assertThat(rows.getInt(1)).isEqualTo(4);
            rows = statement.executeQuery("SELECT COUNT(*) FROM mandate_model_element_version WHERE valid_to IS NOT NULL");
            rows.next();
            assertThat(rows.getInt(1)).isEqualTo(2);
        }
    }
}
