package dev.mandate.kernel.model.internal;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.mandate.api.model.ChangeSet;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.Layer;
import dev.mandate.api.model.Relation;
import dev.mandate.api.model.RelationType;
import dev.mandate.kernel.jdbc.testing.TestDatabase;

/**
 * The process {@link ModelCrashRecoveryTest} kills: commits bulk change sets to an H2 file as fast
 * as it can, printing {@code committing <n>} before the n-th commit and {@code committed <revision>}
 * once the store has returned it. The change sets are a pure function of their number, so the test
 * can replay them.
 */
public final class ModelWriterProcess {
    private ModelWriterProcess() {
    }

    public static void main(String[] args) throws Exception {
        TestDatabase database = new TestDatabase(args[0]);
        int size = Integer.parseInt(args[1]);
        // held open for the life of the process, as the distribution's connection pool does: otherwise
        // H2 closes (and flushes) the database whenever its last connection closes
        Connection pooled = database.getConnection();
        ModelStoreImpl store = new ModelStoreImpl(database, ModelStoreImplTest.CLOCK, 0);
        TestDatabase.await(() -> ModelStoreImplTest.isReady(store), Duration.ofSeconds(60), "the model has loaded");
        for (int number = 1; ; number++) {
            System.out.println("committing " + number);
            System.out.flush();
            long revision = store.commit(changeSet(number, size)).revision();
            System.out.println("committed " + revision);
            System.out.flush();
            if (pooled.isClosed()) {
                throw new IllegalStateException("the held connection was closed");
            }
        }
    }

    /**
     * The {@code number}-th change set: {@code size} new instances, each depending on one of the
     * previous set; a tenth of the previous set observed again with new attributes and another
     * owner; a twentieth of the set before that removed (with its relations).
     */
    static ChangeSet changeSet(int number, int size) {
        List<Element> upserts = new ArrayList<>();
        List<Relation> relations = new ArrayList<>();
        List<String> removals = new ArrayList<>();
        for (int n = 0; n < size; n++) {
            upserts.add(instance(number, n, "team-" + (n % 7), Map.of("name", "web-" + number + "-" + n, "size", n,
                    "tags", List.of("bulk", "set-" + number))));
            if (number > 1) {
                relations.add(new Relation(RelationType.DEPENDS_ON, id(number, n), id(number - 1, (n * 31) % size),
                        Map.of("port", 443, "protocol", "tcp")));
            }
        }
        if (number > 1) {
            for (int n = 0; n < size; n += 10) {
                upserts.add(instance(number - 1, n, "team-moved", Map.of("name", "web-" + (number - 1) + "-" + n,
                        "size", n + 1, "resizedBy", number)));
            }
        }
        if (number > 2) {
            for (int n = 5; n < size; n += 20) {
                removals.add(id(number - 2, n));
            }
        }
        return new ChangeSet("aws-prod", Layer.RUNNING, upserts, removals, relations, List.of());
    }

    private static Element instance(int number, int n, String owner, Map<String, Object> attributes) {
        return new Element(id(number, n), null, null, n % 2 == 0 ? "prod" : "dev", "eu-internal", owner,
                Map.of("set", Integer.toString(number)), attributes, Map.of());
    }

    private static String id(int number, int n) {
        return "aws:ec2:instance:eu-west-1:111122223333:i-" + number + "-" + n;
    }
}
