package dev.mandate.kernel.model.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import dev.mandate.api.model.ChangeSet;
import dev.mandate.api.model.CommitResult;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.Layer;
import dev.mandate.api.model.ModelSnapshot;
import dev.mandate.api.model.ModelUnavailableException;
import dev.mandate.api.model.Relation;
import dev.mandate.api.model.RelationType;
import dev.mandate.api.model.UnknownRevisionException;
import dev.mandate.kernel.jdbc.SchemaMigrator;
import dev.mandate.kernel.jdbc.testing.HeldDataSource;
import dev.mandate.kernel.jdbc.testing.TestDatabase;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreImplTest {
    static final String VPC = "aws:ec2:vpc:eu-west-1:111122223333:vpc-1";
    static final String DB = "aws:rds:db-instance:eu-west-1:111122223333:orders-prod";
    static final String APP = "aws:ec2:instance:eu-west-1:111122223333:i-0abc";
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T04:00:00Z"), ZoneOffset.UTC);

    private ModelStoreImpl store;

    @AfterEach
    void stop() {
        if (store != null) {
            store.close();
        }
    }

    static Element element(String id, String owner, Map<String, Object> attributes) {
        return new Element(id, null, null, "prod", "eu-internal", owner, Map.of("team", "x"), attributes, Map.of());
    }

    static ChangeSet running(List<Element> upserts, List<String> removals, List<Relation> relations) {
        return new ChangeSet("aws-prod", Layer.RUNNING, upserts, removals, relations, List.of());
    }

    private ModelStoreImpl started(DataSource dataSource) {
        ModelStoreImpl started = new ModelStoreImpl(dataSource, CLOCK, 0);
        TestDatabase.await(() -> isReady(started), Duration.ofSeconds(10), "the model has loaded");
        return started;
    }

    /** A store that keeps its history as rows (the commit journal off). */
    private static ModelStoreImpl rows(DataSource dataSource) {
        ModelStoreImpl started = new ModelStoreImpl(dataSource, CLOCK, 0, ModelStoreImpl.Retention.UNLIMITED, false);
        TestDatabase.await(() -> isReady(started), Duration.ofSeconds(10), "the model has loaded");
        return started;
    }

    static boolean isReady(ModelStoreImpl store) {
        try {
            store.current();
            return true;
        } catch (ModelUnavailableException e) {
            return false;
        }
    }

    @Test
    void commitPublishesTheNextRevisionAndAnOldSnapshotKeepsItsContent() {
        store = started(TestDatabase.inMemory("model-" + UUID.randomUUID()));
        assertThat(store.current().revision()).isZero();
        assertThat(store.current().size()).isZero();

        CommitResult first = store.commit(running(List.of(element(VPC, "team-platform", Map.of("cidr", "10.0.0.0/16")),
                element(DB, "team-payments", Map.of("engine", "postgres"))), List.of(),
                List.of(Relation.of(RelationType.CONTAINS, VPC, DB))));
        assertThat(first.revision()).isEqualTo(1);
        assertThat(first.applied()).isEqualTo(3);
        assertThat(first.rejected()).isEmpty();
        ModelSnapshot one = store.current();

        CommitResult second = store.commit(running(List.of(element(DB, "team-payments", Map.of("engine", "mysql"))),
                List.of(), List.of()));
        assertThat(second.revision()).isEqualTo(2);

        assertThat(one.revision()).isEqualTo(1);
        assertThat(one.element(DB).orElseThrow().attributes()).containsEntry("engine", "postgres");
        assertThat(one.outgoing(VPC)).containsExactly(Relation.of(RelationType.CONTAINS, VPC, DB));
        ModelSnapshot two = store.current();
        assertThat(two.revision()).isEqualTo(2);
        Element db = two.element(DB).orElseThrow();
        assertThat(db.attributes()).containsEntry("engine", "mysql");
        assertThat(db.kind()).isEqualTo("aws:rds:db-instance");
        assertThat(db.provider()).isEqualTo("aws");
        assertThat(db.owner()).isEqualTo("team-payments");
        assertThat(db.layers()).containsOnlyKeys(Layer.RUNNING);
        assertThat(db.layers().get(Layer.RUNNING).source()).isEqualTo("aws-prod");
        assertThat(db.layers().get(Layer.RUNNING).observedAt()).isEqualTo(CLOCK.instant());
        assertThat(two.incoming(DB)).containsExactly(Relation.of(RelationType.CONTAINS, VPC, DB));
    }

    @Test
    void readersSeeWholeRevisionsWhileCommitsGoOn() throws Exception {
        store = started(TestDatabase.inMemory("model-" + UUID.randomUUID()));
        AtomicReference<String> broken = new AtomicReference<>();
        AtomicBoolean done = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            long seen = 0;
            while (!done.get()) {
                ModelSnapshot snapshot = store.current();
                if (snapshot.revision() < seen) {
                    broken.set("revision went back from " + seen + " to " + snapshot.revision());
                }
                seen = snapshot.revision();
                // every commit adds one element and one relation to the previous one: both or neither
                if (snapshot.size() != snapshot.revision()) {
                    broken.set("revision " + snapshot.revision() + " holds " + snapshot.size() + " elements");
                }
                for (int i = 2; i <= snapshot.revision(); i++) {
                    if (snapshot.outgoing("aws:ec2:instance:eu-west-1:1:i-" + i).size() != 1) {
                        broken.set("revision " + snapshot.revision() + " lacks the relation of element " + i);
                    }
                }
            }
        });
        reader.start();
        for (int i = 1; i <= 40; i++) {
            String id = "aws:ec2:instance:eu-west-1:1:i-" + i;
            List<Relation> relations = i == 1 ? List.of()
                    : List.of(Relation.of(RelationType.DEPENDS_ON, id, "aws:ec2:instance:eu-west-1:1:i-" + (i - 1)));
            assertThat(store.commit(running(List.of(element(id, null, Map.of())), List.of(), relations)).revision())
                    .isEqualTo(i);
        }
        done.set(true);
        reader.join(10_000);
        assertThat(broken.get()).isNull();
        assertThat(store.current().blastRadius("aws:ec2:instance:eu-west-1:1:i-1", null, 1000).count()).isEqualTo(39);
    }

    @Test
    void aChangeSetThatChangesNothingMakesNoRevision() {
        store = started(TestDatabase.inMemory("model-" + UUID.randomUUID()));
        ChangeSet changes = running(List.of(element(VPC, null, Map.of("cidr", "10.0.0.0/16"))), List.of(), List.of());
        assertThat(store.commit(changes).revision()).isEqualTo(1);

        CommitResult again = store.commit(changes);

        assertThat(again.revision()).isEqualTo(1);
        assertThat(again.applied()).isZero();
        assertThat(store.current().revision()).isEqualTo(1);
        assertThat(store.commit(running(List.of(), List.of("aws:ec2:vpc:eu-west-1:1:absent"), List.of())).revision())
                .isEqualTo(1);
    }

    @Test
    void invalidPartsAreRejectedWithReasonsAndTheRestIsApplied() {
        store = started(TestDatabase.inMemory("model-" + UUID.randomUUID()));
        Map<String, Object> huge = Map.of("blob", "x".repeat(CommitPlan.MAX_ATTRIBUTE_BYTES));
        String oversize = "aws:s3:bucket:eu-west-1:111122223333:huge";

        CommitResult result = store.commit(running(
                List.of(element("not-an-id", null, Map.of()), element(VPC, null, Map.of()), element(oversize, null, huge),
                        new Element(DB, "aws:ec2:instance", null, null, null, null, Map.of(), Map.of(), Map.of())),
                List.of(), List.of(Relation.of(RelationType.CONTAINS, VPC, "subnet-9"))));

        assertThat(result.revision()).isEqualTo(1);
        assertThat(result.applied()).isEqualTo(1);
        assertThat(result.rejected()).extracting(r -> r.ref()).containsExactly("not-an-id", oversize, DB,
                VPC + " -CONTAINS-> subnet-9");
        assertThat(result.rejected().get(0).reason()).startsWith("malformed element id 'not-an-id'");
        assertThat(result.rejected().get(1).reason()).contains("more than the limit of 256 KiB");
        assertThat(result.rejected().get(2).reason()).isEqualTo(
                "kind 'aws:ec2:instance' does not match element id '" + DB + "'");
        assertThat(result.rejected().get(3).reason()).isEqualTo("relation to malformed element id 'subnet-9'");
        assertThat(store.current().element(VPC)).isPresent();
        assertThat(store.current().element(oversize)).isEmpty();
        assertThat(store.current().outgoing(VPC)).isEmpty();
    }

    @Test
    void aRelationToAMissingElementIsKeptAsADanglingReferenceUntilTheElementArrives(@TempDir Path folder) {
        String url = "jdbc:h2:file:" + folder.resolve("mandate").toAbsolutePath();
        store = started(new TestDatabase(url));
        String subnet = "aws:ec2:subnet:eu-west-1:111122223333:subnet-9";
        Relation dangling = Relation.of(RelationType.CONTAINS, VPC, subnet);

        CommitResult result = store.commit(running(List.of(element(VPC, null, Map.of())), List.of(),
                List.of(dangling, Relation.of(RelationType.DEPENDS_ON, APP, VPC))));

        assertThat(result.rejected()).isEmpty();
        assertThat(result.applied()).isEqualTo(3);
        assertThat(store.current().danglingRelations()).containsExactly(Relation.of(RelationType.DEPENDS_ON, APP, VPC),
                dangling);
        assertThat(store.current().outgoing(VPC)).containsExactly(dangling);
        assertThat(store.current().blastRadius(VPC, null, 100).count()).isZero();
        store.close();

        store = started(new TestDatabase(url));
        assertThat(store.current().danglingRelations()).hasSize(2);
        store.commit(running(List.of(element(subnet, "team-net", Map.of())), List.of(), List.of()));

        assertThat(store.current().danglingRelations()).containsExactly(Relation.of(RelationType.DEPENDS_ON, APP, VPC));
        assertThat(store.current().blastRadius(VPC, null, 100).elements()).containsExactly(subnet);
        store.commit(new ChangeSet("aws-prod", Layer.RUNNING, List.of(), List.of(), List.of(),
                List.of(Relation.of(RelationType.DEPENDS_ON, APP, VPC))));
        assertThat(store.current().danglingRelations()).isEmpty();
    }

    @Test
    void elementAtAnswersWhatWasTrueAtEachRevisionAlsoAfterARestart(@TempDir Path folder) {
        String url = "jdbc:h2:file:" + folder.resolve("mandate").toAbsolutePath();
        store = started(new TestDatabase(url));
        store.commit(running(List.of(element(VPC, "team-platform", Map.of("cidr", "10.0.0.0/16"))), List.of(), List.of()));
        store.commit(running(List.of(element(DB, null, Map.of("engine", "postgres"))), List.of(), List.of()));
        store.commit(running(List.of(element(VPC, "team-network", Map.of("cidr", "10.1.0.0/16"))), List.of(), List.of()));
        store.commit(new ChangeSet("terraform:prod", Layer.BUILT, List.of(element(VPC, null, Map.of("cidr", "x"))),
                List.of(), List.of(), List.of()));
        store.commit(running(List.of(), List.of(DB), List.of()));
        Element current = store.current().element(VPC).orElseThrow();
        store.close();

        store = started(new TestDatabase(url));
        assertThat(store.current().revision()).isEqualTo(5);
        Element first = store.elementAt(VPC, 1).orElseThrow();
        assertThat(first.owner()).isEqualTo("team-platform");
        assertThat(first.attributes()).containsEntry("cidr", "10.0.0.0/16");
        assertThat(first.layers()).containsOnlyKeys(Layer.RUNNING);
        assertThat(store.elementAt(VPC, 2)).isEqualTo(Optional.of(first));
        assertThat(store.elementAt(VPC, 3).orElseThrow().owner()).isEqualTo("team-network");
        assertThat(store.elementAt(VPC, 4).orElseThrow().layers()).containsOnlyKeys(Layer.RUNNING, Layer.BUILT);
        assertThat(store.elementAt(VPC, 4)).contains(current);
        assertThat(store.elementAt(DB, 1)).isEmpty();
        assertThat(store.elementAt(DB, 4).orElseThrow().attributes()).containsEntry("engine", "postgres");
        assertThat(store.elementAt(DB, 5)).isEmpty();
        assertThatThrownBy(() -> store.elementAt(VPC, 6)).isInstanceOf(UnknownRevisionException.class)
                .hasMessage("unknown model revision 6");
        assertThatThrownBy(() -> store.elementAt(VPC, 0)).isInstanceOf(UnknownRevisionException.class);
    }

    @Test
    void retentionByRevisionsPrunesOlderHistoryAndKeepsWhatItPromises() throws Exception {
        TestDatabase database = TestDatabase.inMemory("model-" + UUID.randomUUID());
        store = new ModelStoreImpl(database, CLOCK, 0, new ModelStoreImpl.Retention(2, null, null));
        TestDatabase.await(() -> isReady(store), Duration.ofSeconds(10), "the model has loaded");
        for (int i = 1; i <= 4; i++) {
            store.commit(running(List.of(element(VPC, null, Map.of("n", i))), List.of(), List.of()));
        }
        // pruning leaves the revisions of journal entries not yet written to the history tables alone
        assertThat(store.awaitHistoryWritten(Duration.ofSeconds(10))).isTrue();

        assertThat(store.pruneHistory()).isEqualTo(2); // the element version rows of revisions 1 and 2

        assertThatThrownBy(() -> store.elementAt(VPC, 2)).isInstanceOf(UnknownRevisionException.class);
        assertThat(store.elementAt(VPC, 3).orElseThrow().attributes()).containsEntry("n", 3);
        assertThat(store.elementAt(VPC, 4).orElseThrow().attributes()).containsEntry("n", 4);
        assertThat(store.pruneHistory()).isZero();
        store.close();
        store = started(database);
        assertThat(store.current().revision()).isEqualTo(4);
        assertThat(store.current().element(VPC).orElseThrow().attributes()).containsEntry("n", 4);
    }

    @Test
    void retentionByAgeKeepsOnlyRevisionsCommittedWithinIt() throws Exception {
        TestDatabase database = TestDatabase.inMemory("model-" + UUID.randomUUID());
        AtomicReference<Instant> now = new AtomicReference<>(CLOCK.instant());
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        store = new ModelStoreImpl(database, clock, 0, new ModelStoreImpl.Retention(0, Duration.ofDays(7), null));
        TestDatabase.await(() -> isReady(store), Duration.ofSeconds(10), "the model has loaded");
        store.commit(running(List.of(element(VPC, null, Map.of("n", 1))), List.of(), List.of()));
        store.commit(running(List.of(element(VPC, null, Map.of("n", 2))), List.of(), List.of()));
        now.set(now.get().plus(Duration.ofDays(6)));
        store.commit(running(List.of(element(VPC, null, Map.of("n", 3))), List.of(), List.of()));
        assertThat(store.awaitHistoryWritten(Duration.ofSeconds(10))).isTrue();
        assertThat(store.pruneHistory()).isZero();

        now.set(now.get().plus(Duration.ofDays(3)));
        assertThat(store.pruneHistory()).isPositive();

        assertThatThrownBy(() -> store.elementAt(VPC, 1)).isInstanceOf(UnknownRevisionException.class);
        assertThatThrownBy(() -> store.elementAt(VPC, 2)).isInstanceOf(UnknownRevisionException.class);
        assertThat(store.elementAt(VPC, 3).orElseThrow().attributes()).containsEntry("n", 3);
    }

    /** VPC contains DB; VPC's owner changes, the relation moves, APP depends on DB; APP and the relation go. */
    private void commitThreeRevisions(Relation contains, Relation moved, Relation dependsOn) {
        store.commit(running(List.of(element(VPC, "team-a", Map.of("n", 1)), element(DB, null, Map.of()),
                element(APP, null, Map.of())), List.of(), List.of(contains)));
        store.commit(running(List.of(element(VPC, "team-b", Map.of("n", 2))), List.of(), List.of(moved, dependsOn)));
        store.commit(new ChangeSet("aws-prod", Layer.RUNNING, List.of(), List.of(APP), List.of(), List.of(moved)));
    }

    @Test
    void theHistoryKeptAsRunsAnswersAtOnceAndAfterARestartAndMergesLeaveTheAnswers(@TempDir Path folder)
            throws Exception {
        String url = "jdbc:h2:file:" + folder.resolve("mandate").toAbsolutePath();
        TestDatabase database = new TestDatabase(url);
        store = started(database);
        Relation contains = new Relation(RelationType.CONTAINS, VPC, DB, Map.of("via", "subnet-a"));
        Relation dependsOn = Relation.of(RelationType.DEPENDS_ON, APP, DB);
        Relation moved = new Relation(RelationType.CONTAINS, VPC, DB, Map.of("via", "subnet-b"));
        commitThreeRevisions(contains, moved, dependsOn);
        // each commit is one run, in the commit's transaction: nothing is left to write
        assertThat(database.execute("UPDATE mandate_model_history_run SET level = level")).isEqualTo(3);
        assertThat(database.execute("DELETE FROM mandate_model_element_version")).isZero();

        Map<String, List<Object>> history = history(store);
        assertThat(history.get("vpc")).containsExactly("team-a", "team-b", "team-b");
        assertThat(history.get("app")).containsExactly(true, true, false);
        assertThat(store.relationsAt(DB, 1)).containsExactly(contains);
        assertThat(store.relationsAt(DB, 2)).containsExactly(moved, dependsOn);
        assertThat(store.relationsAt(VPC, 2)).containsExactly(moved);
        assertThat(store.relationsAt(APP, 2)).containsExactly(dependsOn);
        assertThat(store.relationsAt(DB, 3)).isEmpty();
        assertThat(store.relationsAt(VPC, 3)).isEmpty();
        ModelSnapshot before = store.current();
        // enough commits for runs of level 0 to be merged into one of level 1
        for (int n = 4; n <= 3 + RunHistory.FAN_IN; n++) {
            store.commit(running(List.of(element(DB, null, Map.of("n", n))), List.of(), List.of()));
        }
        assertThat(store.awaitHistoryWritten(Duration.ofSeconds(10))).isTrue();
        assertThat(database.execute("UPDATE mandate_model_history_run SET level = level WHERE level = 1")).isEqualTo(1);
        assertThat(history(store)).isEqualTo(history);
        assertThat(store.relationsAt(DB, 2)).containsExactly(moved, dependsOn);
        store.close();

        store = started(database);
        assertThat(store.current().revision()).isEqualTo(3 + RunHistory.FAN_IN);
        assertThat(store.current().element(VPC)).isEqualTo(before.element(VPC));
        assertThat(store.current().element(APP)).isEmpty();
        assertThat(store.current().element(DB).orElseThrow().attributes()).containsEntry("n", 3 + RunHistory.FAN_IN);
        assertThat(history(store)).isEqualTo(history);
        assertThat(store.relationsAt(DB, 2)).containsExactly(moved, dependsOn);
        assertThat(store.relationsAt(VPC, 3)).isEmpty();
    }

    @Test
    void aMergeCutShortLeavesBlocksThatTheNextStartDeletesAndTheAnswersStay(@TempDir Path folder) throws Exception {
        String url = "jdbc:h2:file:" + folder.resolve("mandate").toAbsolutePath();
        TestDatabase database = new TestDatabase(url);
        store = started(database);
        store.commit(running(List.of(element(VPC, "team-a", Map.of("n", 1))), List.of(), List.of()));
        store.commit(running(List.of(element(VPC, "team-b", Map.of("n", 2))), List.of(), List.of()));
        store.close();
        // a merge killed after some of its blocks: blocks of a run that has no row
        database.execute("INSERT INTO mandate_model_history_block SELECT 99, block, part, data"
                + " FROM mandate_model_history_block WHERE run_id = 1");

        store = started(database);
        assertThat(database.execute("DELETE FROM mandate_model_history_block WHERE run_id = 99")).isZero();
        assertThat(store.elementAt(VPC, 1).orElseThrow().owner()).isEqualTo("team-a");
        assertThat(store.elementAt(VPC, 2).orElseThrow().owner()).isEqualTo("team-b");
        assertThat(store.commit(running(List.of(element(DB, null, Map.of())), List.of(), List.of())).revision())
                .isEqualTo(3);
    }

    @Test
    void aCorruptHistoryBlockIsReportedNotReadAsSomethingElse(@TempDir Path folder) throws Exception {
        String url = "jdbc:h2:file:" + folder.resolve("mandate").toAbsolutePath();
        TestDatabase database = new TestDatabase(url);
        store = started(database);
        store.commit(running(List.of(element(VPC, "team-a", Map.of("n", 1))), List.of(), List.of()));
        store.commit(running(List.of(element(VPC, "team-b", Map.of("n", 2))), List.of(), List.of()));
        store.close();
        byte[] block;
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT data FROM mandate_model_history_block WHERE run_id = 1 AND block = 0")) {
            assertThat(rows.next()).isTrue();
            block = rows.getBytes(1);
        }
        block[block.length - 3] ^= 0x20; // one bit of the owner's text
        try (Connection connection = database.getConnection(); PreparedStatement update = connection.prepareStatement(
                "UPDATE mandate_model_history_block SET data = ? WHERE run_id = 1 AND block = 0")) {
            update.setBytes(1, block);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }

        store = new ModelStoreImpl(database, CLOCK, 0);
        TestDatabase.await(() -> {
            try {
                store.current();
                return false;
            } catch (ModelUnavailableException e) {
                return e.getMessage().startsWith("model cannot be loaded");
            }
        }, Duration.ofSeconds(10), "the load has failed");
        assertThatThrownBy(() -> store.current()).hasMessageContaining("run 1 block 0 is corrupt");
    }

    @Test
    void historyKeptAsRowsUpToV6IsCarriedOverToRunsAndBack(@TempDir Path folder) throws Exception {
        String url = "jdbc:h2:file:" + folder.resolve("mandate").toAbsolutePath();
        TestDatabase database = new TestDatabase(url);
        store = new ModelStoreImpl(database, CLOCK, 0, ModelStoreImpl.Retention.UNLIMITED, false);
        TestDatabase.await(() -> isReady(store), Duration.ofSeconds(10), "the model has loaded");
        Relation contains = new Relation(RelationType.CONTAINS, VPC, DB, Map.of("via", "subnet-a"));
        Relation dependsOn = Relation.of(RelationType.DEPENDS_ON, APP, DB);
        Relation moved = new Relation(RelationType.CONTAINS, VPC, DB, Map.of("via", "subnet-b"));
        commitThreeRevisions(contains, moved, dependsOn);
        Map<String, List<Object>> history = history(store);
        ModelSnapshot before = store.current();
        store.close();
        // the database as V6 left it
        database.execute("DROP TABLE mandate_model_history_block");
        database.execute("DROP TABLE mandate_model_history_run");
        assertThat(database.execute("DELETE FROM mandate_model_schema_version WHERE version = 7")).isEqualTo(1);

        for (boolean asRuns : List.of(true, true, false, true)) {
            store = new ModelStoreImpl(database, CLOCK, 0, ModelStoreImpl.Retention.UNLIMITED, asRuns);
            TestDatabase.await(() -> isReady(store), Duration.ofSeconds(10), "the model has loaded");
            assertThat(store.current().revision()).isEqualTo(3);
            assertThat(store.current().element(VPC)).isEqualTo(before.element(VPC));
            assertThat(store.current().element(DB)).isEqualTo(before.element(DB));
            assertThat(store.current().element(APP)).isEmpty();
            assertThat(history(store)).isEqualTo(history);
            assertThat(store.relationsAt(DB, 1)).containsExactly(contains);
            assertThat(store.relationsAt(DB, 2)).containsExactly(moved, dependsOn);
            assertThat(store.relationsAt(VPC, 3)).isEmpty();
            store.close();
            int runs = database.execute("UPDATE mandate_model_history_run SET level = level");
            int rows = database.execute("UPDATE mandate_model_element_version SET revision = revision");
            assertThat(asRuns ? rows : runs).as("rows left after a start with runs %s", asRuns).isZero();
            assertThat(asRuns ? runs : rows).isPositive();
        }
        store = null;
    }

    /** VPC's owner and whether APP exists, at revisions 1 to 3. */
    private static Map<String, List<Object>> history(ModelStoreImpl store) {
        Map<String, List<Object>> history = new LinkedHashMap<>();
        for (long revision = 1; revision <= 3; revision++) {
            history.computeIfAbsent("vpc", key -> new java.util.ArrayList<>())
                    .add(store.elementAt(VPC, revision).orElseThrow().owner());
            history.computeIfAbsent("app", key -> new java.util.ArrayList<>())
                    .add(store.elementAt(APP, revision).isPresent());
        }
        return history;
    }

    @Test
    void aRelationMayPointToAnElementUpsertedInTheSameChangeSet() {
        store = started(TestDatabase.inMemory("model-" + UUID.randomUUID()));
        store.commit(running(List.of(element(VPC, null, Map.of())), List.of(), List.of()));

        CommitResult result = store.commit(running(List.of(element(DB, null, Map.of())), List.of(),
                List.of(Relation.of(RelationType.CONTAINS, VPC, DB))));

        assertThat(result.rejected()).isEmpty();
        assertThat(store.current().outgoing(VPC)).hasSize(1);
    }

    @Test
    void observationsCannotWriteTheIntendedLayerButIntentCan() {
        store = started(TestDatabase.inMemory("model-" + UUID.randomUUID()));
        ChangeSet fromConnector = new ChangeSet("aws-prod", Layer.INTENDED, List.of(element(VPC, null, Map.of())),
                List.of(), List.of(), List.of());

        assertThatThrownBy(() -> store.commit(fromConnector)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("observations cannot write the intended layer");
        assertThat(store.current().revision()).isZero();

        CommitResult fromIntent = store.commit(new ChangeSet("intent:prod-data-store", Layer.INTENDED,
                List.of(element(VPC, null, Map.of())), List.of(), List.of(), List.of()));
        assertThat(fromIntent.revision()).isEqualTo(1);
    }

    @Test
    void intentBindingAnObservedElementKeepsItsOwnerEnvironmentZoneAndLabels() {
        store = started(TestDatabase.inMemory("model-" + UUID.randomUUID()));
        store.commit(running(List.of(element(DB, "team-payments", Map.of("size", "running"))), List.of(), List.of()));

        store.commit(new ChangeSet("intent:baseline@1.0.0", Layer.INTENDED, List.of(new Element(DB, null, null, null,
                null, null, Map.of(), Map.of("mandate:binding", Map.of("blueprints", List.of("baseline@1.0.0"))),
                Map.of())), List.of(), List.of(), List.of()));

        Element db = store.current().element(DB).orElseThrow();
        assertThat(db.layers()).containsOnlyKeys(Layer.INTENDED, Layer.RUNNING);
        assertThat(db.owner()).isEqualTo("team-payments");
        assertThat(db.environment()).isEqualTo("prod");
        assertThat(db.trustZone()).isEqualTo("eu-internal");
        assertThat(db.labels()).containsEntry("team", "x");
        assertThat(db.attributes()).containsEntry("size", "running");
    }

    @Test
    void layersMergeAndTheEffectiveViewPrefersRunningThenBuiltThenIntended() {
        store = started(TestDatabase.inMemory("model-" + UUID.randomUUID()));
        store.commit(new ChangeSet("intent:base", Layer.INTENDED, List.of(element(DB, null, Map.of("size", "intended"))),
                List.of(), List.of(), List.of()));
        store.commit(new ChangeSet("terraform:prod", Layer.BUILT, List.of(element(DB, null, Map.of("size", "built"))),
                List.of(), List.of(), List.of()));
        assertThat(store.current().element(DB).orElseThrow().attributes()).containsEntry("size", "built");
        store.commit(running(List.of(element(DB, "team-payments", Map.of("size", "running")),
                element(APP, null, Map.of())), List.of(), List.of(Relation.of(RelationType.DEPENDS_ON, APP, DB))));

        Element db = store.current().element(DB).orElseThrow();
        assertThat(db.layers()).containsOnlyKeys(Layer.INTENDED, Layer.BUILT, Layer.RUNNING);
        assertThat(db.attributes()).containsEntry("size", "running");
        assertThat(db.owner()).isEqualTo("team-payments");
        assertThat(db.layers().get(Layer.BUILT).source()).isEqualTo("terraform:prod");

        store.commit(running(List.of(), List.of(DB), List.of()));
        db = store.current().element(DB).orElseThrow();
        assertThat(db.layers()).containsOnlyKeys(Layer.INTENDED, Layer.BUILT);
        assertThat(db.attributes()).containsEntry("size", "built");
        assertThat(store.current().incoming(DB)).hasSize(1);

        store.commit(new ChangeSet("terraform:prod", Layer.BUILT, List.of(), List.of(DB), List.of(), List.of()));
        store.commit(new ChangeSet("intent:base", Layer.INTENDED, List.of(), List.of(DB), List.of(), List.of()));
        assertThat(store.current().element(DB)).isEmpty();
        assertThat(store.current().outgoing(APP)).isEmpty();
        assertThat(store.current().revision()).isEqualTo(6);
    }

    @Test
    void theContentHashIsTheSha256OfTheCanonicalAttributes() throws Exception {
        store = started(TestDatabase.inMemory("model-" + UUID.randomUUID()));
        Map<String, Object> unordered = new LinkedHashMap<>();
        unordered.put("zone", "b");
        unordered.put("attached", Map.of("y", 2, "x", List.of(1, "two")));
        store.commit(running(List.of(element(VPC, null, unordered)), List.of(), List.of()));

        String expected = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest("{\"attached\":{\"x\":[1,\"two\"],\"y\":2},\"zone\":\"b\"}".getBytes(StandardCharsets.UTF_8)));
        assertThat(store.current().element(VPC).orElseThrow().layers().get(Layer.RUNNING).contentHash())
                .isEqualTo(expected);
    }

    @Test
    void relationsAtAnswersWhichRelationsAnElementHadAtEachRevision(@TempDir Path folder) {
        String url = "jdbc:h2:file:" + folder.resolve("mandate").toAbsolutePath();
        store = started(new TestDatabase(url));
        Relation contains = new Relation(RelationType.CONTAINS, VPC, DB, Map.of("via", "subnet-a"));
        Relation dependsOn = Relation.of(RelationType.DEPENDS_ON, APP, DB);
        store.commit(running(List.of(element(VPC, null, Map.of()), element(DB, null, Map.of()),
                element(APP, null, Map.of())), List.of(), List.of(contains)));
        Relation moved = new Relation(RelationType.CONTAINS, VPC, DB, Map.of("via", "subnet-b"));
        store.commit(running(List.of(), List.of(), List.of(moved, dependsOn)));
        store.commit(new ChangeSet("aws-prod", Layer.RUNNING, List.of(), List.of(), List.of(), List.of(moved)));
        store.commit(running(List.of(), List.of(APP), List.of()));
        store.close();

        store = started(new TestDatabase(url));
        assertThat(store.current().revision()).isEqualTo(4);
        assertThat(store.relationsAt(DB, 1)).containsExactly(contains);
        assertThat(store.relationsAt(VPC, 1)).containsExactly(contains);
        assertThat(store.relationsAt(DB, 2)).containsExactly(moved, dependsOn);
        assertThat(store.relationsAt(APP, 2)).containsExactly(dependsOn);
        assertThat(store.relationsAt(DB, 3)).containsExactly(dependsOn);
        assertThat(store.relationsAt(DB, 4)).isEmpty();
        assertThat(store.relationsAt(APP, 4)).isEmpty();
        assertThatThrownBy(() -> store.relationsAt(DB, 5)).isInstanceOf(UnknownRevisionException.class);
        assertThatThrownBy(() -> store.relationsAt(DB, 0)).isInstanceOf(UnknownRevisionException.class);
    }

    @Test
    void aNewStoreOverTheSameDatabaseLoadsTheSameModel(@TempDir Path folder) {
        String url = "jdbc:h2:file:" + folder.resolve("mandate").toAbsolutePath();
        store = started(new TestDatabase(url));
        store.commit(running(List.of(element(VPC, "team-platform", Map.of("cidr", "10.0.0.0/16", "n", 3)),
                element(DB, null, Map.of("tags", List.of("a", "b")))), List.of(),
                List.of(new Relation(RelationType.CONTAINS, VPC, DB, Map.of("via", "subnet")))));
        store.commit(new ChangeSet("terraform:prod", Layer.BUILT, List.of(element(DB, null, Map.of("engine", "pg"))),
                List.of(), List.of(), List.of()));
        ModelSnapshot before = store.current();
        store.close();

        store = started(new TestDatabase(url));
        ModelSnapshot after = store.current();

        assertThat(after.revision()).isEqualTo(before.revision()).isEqualTo(2);
        assertThat(after.size()).isEqualTo(2);
        assertThat(after.element(VPC)).isEqualTo(before.element(VPC));
        assertThat(after.element(DB)).isEqualTo(before.element(DB));
        assertThat(after.outgoing(VPC)).isEqualTo(before.outgoing(VPC));
        assertThat(after.incoming(DB)).isEqualTo(before.incoming(DB));
        assertThat(store.commit(running(List.of(element(APP, null, Map.of())), List.of(), List.of())).revision())
                .isEqualTo(3);
    }

    @Test
    void whenTheDatabaseIsDownACommitFailsAndNothingIsPublished() {
        TestDatabase database = TestDatabase.inMemory("model-" + UUID.randomUUID());
        store = started(database);
        store.commit(running(List.of(element(VPC, null, Map.of())), List.of(), List.of()));
        ModelSnapshot before = store.current();

        database.goDown();
        assertThatThrownBy(() -> store.commit(running(List.of(element(DB, null, Map.of())), List.of(), List.of())))
                .isInstanceOf(ModelUnavailableException.class)
                .hasMessageStartingWith("model database cannot be written");

        assertThat(store.current()).isSameAs(before);
        assertThat(store.current().element(DB)).isEmpty();
        database.comeBack();
        assertThat(store.commit(running(List.of(element(DB, null, Map.of())), List.of(), List.of())).revision())
                .isEqualTo(2);
    }

    @Test
    void aFailedWriteInTheMiddleOfTheTransactionLeavesTheDatabaseAsItWas(@TempDir Path folder) throws SQLException {
        String url = "jdbc:h2:file:" + folder.resolve("mandate").toAbsolutePath();
        TestDatabase database = new TestDatabase(url);
        store = started(database);
        store.commit(running(List.of(element(VPC, null, Map.of())), List.of(), List.of()));
        // the revision row of the next commit already exists: the element rows written before it must roll back
        database.execute("INSERT INTO mandate_model_revision VALUES (2, CURRENT_TIMESTAMP, 'x', 'RUNNING', 0, 0, 0, 0, 0)");

        assertThatThrownBy(() -> store.commit(running(List.of(element(DB, null, Map.of())), List.of(), List.of())))
                .isInstanceOf(ModelUnavailableException.class);
        store.close();
        database.execute("DELETE FROM mandate_model_revision WHERE revision = 2");

        store = started(new TestDatabase(url));
        assertThat(store.current().revision()).isEqualTo(1);
        assertThat(store.current().element(DB)).isEmpty();
        assertThat(store.current().element(VPC)).isPresent();
    }

    @Test
    void aStoreWhoseDatabaseCannotBeReachedStaysUnavailable() {
        store = new ModelStoreImpl(new TestDatabase("jdbc:h2:tcp://localhost:1/nothing"), CLOCK, 0);

        TestDatabase.await(() -> {
            try {
                store.current();
                return false;
            } catch (ModelUnavailableException e) {
                return e.getMessage().startsWith("model cannot be loaded");
            }
        }, Duration.ofSeconds(20), "the load has failed");
        assertThatThrownBy(() -> store.commit(running(List.of(element(VPC, null, Map.of())), List.of(), List.of())))
                .isInstanceOf(ModelUnavailableException.class).hasMessageStartingWith("model cannot be loaded");
    }

    @Test
    void untilTheLoadHasFinishedTheModelIsUnavailable() {
        TestDatabase database = TestDatabase.inMemory("model-" + UUID.randomUUID());
        CountDownLatch release = new CountDownLatch(1);
        store = new ModelStoreImpl(new HeldDataSource(database, release), CLOCK, 0);

        assertThatThrownBy(() -> store.current()).isInstanceOf(ModelUnavailableException.class)
                .hasMessage("model is loading");
        release.countDown();
        TestDatabase.await(() -> isReady(store), Duration.ofSeconds(10), "the model has loaded");
        assertThat(store.current().revision()).isZero();
    }

    @Test
    void aRetryLoadsTheModelOnceTheDatabaseIsBack() {
        TestDatabase database = TestDatabase.inMemory("model-" + UUID.randomUUID());
        database.goDown();
        store = new ModelStoreImpl(database, CLOCK, 1);
        TestDatabase.await(() -> {
            try {
                store.current();
                return false;
            } catch (ModelUnavailableException e) {
                return e.getMessage().startsWith("model cannot be loaded");
            }
        }, Duration.ofSeconds(10), "the first load has failed");

        database.comeBack();

        TestDatabase.await(() -> isReady(store), Duration.ofSeconds(10), "the retry has loaded the model");
    }

    @Test
    void migrationsCutShortAreAppliedAgainAtTheNextStart() throws SQLException {
        TestDatabase database = TestDatabase.inMemory("model-" + UUID.randomUUID());
        store = started(database);
        store.commit(running(List.of(element(DB, "team-payments", Map.of("engine", "postgres"))), List.of(), List.of()));
        store.close();
        // H2 commits DDL as it goes: a load stopped inside V2 to V7 leaves their work without their version rows
        assertThat(database.execute("DELETE FROM mandate_model_schema_version WHERE version > 1")).isEqualTo(6);

        store = started(database);

        assertThat(store.current().revision()).isEqualTo(1);
        assertThat(store.current().element(DB).orElseThrow().attributes()).containsEntry("engine", "postgres");
    }

    @Test
    void relationsClosedBeforeV6AreListedByTargetWhenV6IsAppliedAlsoAgain() throws Exception {
        TestDatabase database = TestDatabase.inMemory("model-" + UUID.randomUUID());
        store = rows(database);
        Relation contains = new Relation(RelationType.CONTAINS, VPC, DB, Map.of("via", "subnet"));
        store.commit(running(List.of(element(VPC, null, Map.of()), element(DB, null, Map.of())), List.of(),
                List.of(contains)));
        store.commit(new ChangeSet("aws-prod", Layer.RUNNING, List.of(), List.of(), List.of(), List.of(contains)));
        assertThat(store.awaitHistoryWritten(Duration.ofSeconds(10))).isTrue();
        store.close();
        // the database as V5 left it: no list of closed relations by target, an index on the target instead
        database.execute("DROP TABLE mandate_model_relation_closed");
        database.execute("CREATE INDEX ix_mandate_model_relation_version_to ON mandate_model_relation_version (to_hash)");
        database.execute("DELETE FROM mandate_model_schema_version WHERE version >= 6");

        for (int start = 1; start <= 2; start++) {
            store = rows(database);
            assertThat(store.relationsAt(DB, 1)).containsExactly(contains);
            assertThat(store.relationsAt(VPC, 1)).containsExactly(contains);
            assertThat(store.relationsAt(DB, 2)).isEmpty();
            store.close();
            // a start cut short inside V6 applies it again
            database.execute("DELETE FROM mandate_model_schema_version WHERE version >= 6");
        }
        assertThat(database.execute("DELETE FROM mandate_model_relation_closed WHERE to_hash = " + IdHash.of(DB)))
                .isEqualTo(1);
    }

    @Test
    void theRowsOfTheV3SchemaAreCarriedOverToOneRowPerElementVersion() throws SQLException {
        TestDatabase database = TestDatabase.inMemory("model-" + UUID.randomUUID());
        new SchemaMigrator("mandate_model_schema_version", ModelRepository.class.getClassLoader(), "db/migration/model",
                List.of("V1__create_model_tables.sql", "V2__keep_history.sql", "V3__relation_history_by_element.sql"))
                .migrate(database);
        // revision 1: VPC and DB, VPC contains DB; revision 2: DB observed again with a new size, the relation removed
        database.execute("INSERT INTO mandate_model_revision VALUES"
                + " (1, TIMESTAMP '2026-11-26 04:00:00', 'aws-prod', 'RUNNING', 2, 0, 1, 0, 0),"
                + " (2, TIMESTAMP '2026-11-26 04:00:00', 'aws-prod', 'RUNNING', 1, 0, 0, 1, 0)");
        database.execute("INSERT INTO mandate_model_element (id, kind, provider, environment, trust_zone, owner_team,"
                + " labels, revision, valid_to) VALUES"
                + " ('" + VPC + "', 'aws:ec2:vpc', 'aws', 'prod', 'eu-internal', 'team-platform', '{}', 1, NULL),"
                + " ('" + DB + "', 'aws:rds:db-instance', 'aws', 'prod', 'eu-internal', NULL, '{\"team\":\"x\"}', 1, 2),"
                + " ('" + DB + "', 'aws:rds:db-instance', 'aws', 'prod', 'eu-internal', NULL, '{\"team\":\"x\"}', 2, NULL)");
        database.execute("INSERT INTO mandate_model_layer (element_id, layer_name, source, observed_at, content_hash,"
                + " attributes, revision, valid_to) VALUES"
                + " ('" + VPC + "', 'RUNNING', 'aws-prod', TIMESTAMP '2026-11-26 03:59:00', 'sha256:a', '{}', 1, NULL),"
                + " ('" + DB + "', 'RUNNING', 'aws-prod', TIMESTAMP '2026-11-26 03:59:00', 'sha256:b', '{\"size\":100}', 1, 2),"
                + " ('" + DB + "', 'RUNNING', 'aws-prod', TIMESTAMP '2026-11-26 04:00:00', 'sha256:c', '{\"size\":200}', 2, NULL),"
                + " ('" + DB + "', 'INTENDED', 'intent:prod', TIMESTAMP '2026-11-26 04:00:00', 'sha256:d', '{\"size\":200}', 2, NULL)");
        database.execute("INSERT INTO mandate_model_relation (rel_type, from_id, to_id, properties, revision, valid_to)"
                + " VALUES ('CONTAINS', '" + VPC + "', '" + DB + "', '{\"via\":\"subnet\"}', 1, 2)");

        for (int start = 1; start <= 2; start++) {
            store = started(database);
            ModelSnapshot now = store.current();
            assertThat(now.revision()).isEqualTo(2);
            assertThat(now.size()).isEqualTo(2);
            Element db = now.element(DB).orElseThrow();
            assertThat(db.layers()).containsOnlyKeys(Layer.RUNNING, Layer.INTENDED);
            assertThat(db.layers().get(Layer.RUNNING).observedAt()).isEqualTo(Instant.parse("2026-11-26T04:00:00Z"));
            assertThat(db.attributes()).containsEntry("size", 200);
            assertThat(db.labels()).containsEntry("team", "x");
            assertThat(now.element(VPC).orElseThrow().owner()).isEqualTo("team-platform");
            assertThat(now.incoming(DB)).isEmpty();
            Element before = store.elementAt(DB, 1).orElseThrow();
            assertThat(before.layers()).containsOnlyKeys(Layer.RUNNING);
            assertThat(before.layers().get(Layer.RUNNING).contentHash()).isEqualTo("sha256:b");
            assertThat(before.attributes()).containsEntry("size", 100);
            assertThat(store.relationsAt(DB, 1)).containsExactly(
                    new Relation(RelationType.CONTAINS, VPC, DB, Map.of("via", "subnet")));
            assertThat(store.relationsAt(VPC, 2)).isEmpty();
            store.close();
        }
        assertThat(database.execute("DELETE FROM mandate_model_element")).isZero();
        assertThat(database.execute("DELETE FROM mandate_model_layer")).isZero();
        assertThat(database.execute("DELETE FROM mandate_model_relation")).isZero();
    }

    @Test
    void twoStoresStartingAtOnceOnOneDatabaseBothLoad() {
        TestDatabase database = TestDatabase.inMemory("model-" + UUID.randomUUID());
        CountDownLatch release = new CountDownLatch(1);
        ModelStoreImpl other = new ModelStoreImpl(new HeldDataSource(database, release), CLOCK, 0);
        try {
            store = new ModelStoreImpl(new HeldDataSource(database, release), CLOCK, 0);
            release.countDown();
            TestDatabase.await(() -> isReady(store) && isReady(other), Duration.ofSeconds(10), "both stores have loaded");
        } finally {
            other.close();
        }
    }
}
