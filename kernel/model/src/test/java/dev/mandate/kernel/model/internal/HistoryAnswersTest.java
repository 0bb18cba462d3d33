package dev.mandate.kernel.model.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import javax.sql.DataSource;

import dev.mandate.api.model.ChangeSet;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.Layer;
import dev.mandate.api.model.ModelSnapshot;
import dev.mandate.api.model.Relation;
import dev.mandate.api.model.RelationType;
import dev.mandate.api.model.UnknownRevisionException;
import dev.mandate.kernel.jdbc.testing.TestDatabase;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.apache.commons.dbcp2.BasicDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The history's answers ({@code elementAt}, {@code relationsAt}) at every revision of a random
 * sequence of change sets, compared with the in-memory snapshot each
 * commit published (the index the commit plan built, no database involved): while runs are being
 * merged, once merged, after a restart (also one that carries the history over to the other form),
 * and after pruning; on H2 and PostgreSQL, with and without the journal (history as runs or rows).
 */
class HistoryAnswersTest {
    private static final Comparator<Relation> BY_TYPE = Comparator.comparing(relation -> relation.type().name());
    private static final int IDS = 10;
    private static final int COMMITS = 40;
    private static EmbeddedPostgres postgres;

    @TempDir
    Path folder;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "on").start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    /** The last two rows reopen the history kept one way with the other (carried over at the start). */
    @ParameterizedTest(name = "{0}, journal {1}, seed {2}, reopened with journal {3}")
    @CsvSource({"h2, true, 1, true", "h2, false, 2, false", "h2, true, 3, true", "postgresql, false, 4, false",
            "postgresql, true, 5, true", "h2, false, 6, true", "h2, true, 7, false"})
    void historyAnswersMatchTheSnapshotsOfEveryRevision(String database, boolean journal, long seed, boolean reopenedWith)
            throws Exception {
        DataSource dataSource = dataSource(database);
        // one connection held open, as a pool holds one: H2 closes the file with its last connection
        try (Connection held = dataSource.getConnection()) {
            compareAtEveryRevision(dataSource, journal, seed, reopenedWith);
        } finally {
            if (dataSource instanceof AutoCloseable pool) {
                pool.close();
            }
        }
    }

    private static void compareAtEveryRevision(DataSource dataSource, boolean journal, long seed, boolean reopenedWith)
            throws Exception {
        List<ModelSnapshot> snapshots = new ArrayList<>();
        ModelStoreImpl store = started(dataSource, journal, ModelStoreImpl.Retention.UNLIMITED);
        try {
            snapshots.add(store.current());
            Random random = new Random(seed);
            while (snapshots.size() <= COMMITS) {
                ChangeSet changes = randomChanges(random, store.current());
                long before = store.current().revision();
                if (store.commit(changes).revision() > before) {
                    snapshots.add(store.current());
                }
            }
            // some merges of runs may be under way, then none are
            assertSameAnswers(store, snapshots, 1);
            assertThat(store.awaitHistoryWritten(Duration.ofSeconds(30))).isTrue();
            assertSameAnswers(store, snapshots, 1);
        } finally {
            store.close();
        }
        ModelStoreImpl reopened = started(dataSource, reopenedWith,
                new ModelStoreImpl.Retention(COMMITS / 2, null, null));
        try {
            assertThat(reopened.current().revision()).isEqualTo(COMMITS);
            assertSameAnswers(reopened, snapshots, 1);
            assertThat(reopened.pruneHistory()).isPositive();
            long oldest = COMMITS - COMMITS / 2 + 1;
            assertSameAnswers(reopened, snapshots, oldest);
            assertThatThrownBy(() -> reopened.elementAt(id(0), oldest - 1)).isInstanceOf(UnknownRevisionException.class);
            assertThatThrownBy(() -> reopened.relationsAt(id(0), oldest - 1))
                    .isInstanceOf(UnknownRevisionException.class);
        } finally {
            reopened.close();
        }
    }

    private DataSource dataSource(String database) throws Exception {
        if ("h2".equals(database)) {
            return new TestDatabase("jdbc:h2:file:" + folder.resolve("mandate").toAbsolutePath());
        }
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA public CASCADE");
            statement.execute("CREATE SCHEMA public");
        }
        // pooled as Karaf pools it (pax-jdbc dbcp2): each read opening a server connection made this test slow
        BasicDataSource pool = new BasicDataSource();
        pool.setUrl(postgres.getJdbcUrl("postgres", "postgres"));
        pool.setMaxTotal(8);
        return pool;
    }

    private static ModelStoreImpl started(DataSource dataSource, boolean journal, ModelStoreImpl.Retention retention) {
        ModelStoreImpl store = new ModelStoreImpl(dataSource, ModelStoreImplTest.CLOCK, 0, retention, journal);
        TestDatabase.await(() -> ModelStoreImplTest.isReady(store), Duration.ofSeconds(20), "the model has loaded");
        return store;
    }

    /** Every id at every revision from {@code oldest}: the history answers what the snapshot of that revision held. */
    private static void assertSameAnswers(ModelStoreImpl store, List<ModelSnapshot> snapshots, long oldest) {
        for (int revision = (int) oldest; revision < snapshots.size(); revision++) {
            compareAt(store, snapshots.get(revision), revision);
        }
    }

    private static void compareAt(ModelStoreImpl store, ModelSnapshot snapshot, int revision) {
        for (int i = 0; i < IDS; i++) {
            String id = id(i);
            assertThat(store.elementAt(id, revision)).as("%s at revision %d", id, revision)
                    .isEqualTo(snapshot.element(id));
            assertThat(store.relationsAt(id, revision)).as("relations of %s at revision %d", id, revision)
                    .isEqualTo(expectedRelations(snapshot, id));
        }
    }

    /** Outgoing by type and target, then incoming by type and source: the history's order. */
    private static List<Relation> expectedRelations(ModelSnapshot snapshot, String id) {
        List<Relation> relations = new ArrayList<>();
        snapshot.outgoing(id).stream().sorted(BY_TYPE.thenComparing(Relation::to)).forEach(relations::add);
        snapshot.incoming(id).stream().sorted(BY_TYPE.thenComparing(Relation::from)).forEach(relations::add);
        return relations;
    }

    private static String id(int i) {
        return "aws:ec2:instance:eu-west-1:111122223333:i-" + String.format("%04d", i);
    }

    /**
     * A change set of upserts (two layers, changing attributes and owners), removals, relations
     * added, changed (new properties) and removed, some to elements that do not exist (dangling).
     */
    private static ChangeSet randomChanges(Random random, ModelSnapshot now) {
        Layer layer = random.nextInt(4) == 0 ? Layer.BUILT : Layer.RUNNING;
        List<Element> upserts = new ArrayList<>();
        List<String> removals = new ArrayList<>();
        List<Relation> relationUpserts = new ArrayList<>();
        List<Relation> relationRemovals = new ArrayList<>();
        for (int n = random.nextInt(4); n > 0; n--) {
            Map<String, Object> attributes = new LinkedHashMap<>();
            attributes.put("size", random.nextInt(3));
            if (random.nextBoolean()) {
                attributes.put("note", "v" + random.nextInt(5));
            }
            upserts.add(new Element(id(random.nextInt(IDS)), null, null, "prod", "eu-internal",
                    random.nextInt(3) == 0 ? "team-" + random.nextInt(2) : null, Map.of("team", "x"), attributes,
                    Map.of()));
        }
        if (random.nextInt(4) == 0) {
            removals.add(id(random.nextInt(IDS)));
        }
        RelationType[] types = {RelationType.CONTAINS, RelationType.DEPENDS_ON, RelationType.CONNECTS_TO};
        for (int n = random.nextInt(4); n > 0; n--) {
            Map<String, Object> properties = random.nextBoolean() ? Map.of() : Map.of("port", random.nextInt(3));
            relationUpserts.add(new Relation(types[random.nextInt(types.length)], id(random.nextInt(IDS)),
                    id(random.nextInt(IDS)), properties));
        }
        for (int n = random.nextInt(2); n > 0; n--) {
            List<Relation> outgoing = now.outgoing(id(random.nextInt(IDS)));
            if (!outgoing.isEmpty()) {
                relationRemovals.add(outgoing.get(random.nextInt(outgoing.size())));
            }
        }
        return new ChangeSet(layer == Layer.BUILT ? "terraform-prod" : "aws-prod", layer, upserts, removals,
                relationUpserts, relationRemovals);
    }
}
