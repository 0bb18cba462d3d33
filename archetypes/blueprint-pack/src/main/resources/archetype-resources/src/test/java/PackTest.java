package ${package};

import static dev.mandate.blueprints.testing.PackHarness.agent;
import static dev.mandate.blueprints.testing.PackHarness.element;
import static dev.mandate.blueprints.testing.PackHarness.fired;
import static dev.mandate.blueprints.testing.PackHarness.human;
import static dev.mandate.blueprints.testing.PackHarness.notFired;
import static dev.mandate.blueprints.testing.PackHarness.sources;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.mandate.api.decision.Action;
import dev.mandate.api.model.Element;
import dev.mandate.blueprints.testing.PackHarness;

/**
 * Loads every document of the pack through the kernel's loader (YAML, CEL type checks, owners,
 * versions: what Karaf would do), then runs example requests: for each rule one that fires it and
 * one close to it that does not.
 */
class PackTest {

    private static final String TEAM = "${team}";

    private PackHarness pack;

    @BeforeEach
    void loadThePack() {
        pack = new PackHarness("${artifactId}");
    }

    @Test
    void agentsMayNotDeleteProductionDatabases() {
        Element db = database("prod", true);
        fired(pack.evaluate(db, agent("agent-7", TEAM), Action.DELETE, Map.of(), Map.of()),
                "${packName}-prod-databases@1.0.0#no-ai-delete");
        notFired(pack.evaluate(db, human("alice", TEAM), Action.DELETE, Map.of(), Map.of()),
                "${packName}-prod-databases@1.0.0#no-ai-delete");
        assertThat(sources(pack.evaluate(database("dev", true), agent("agent-7", TEAM), Action.DELETE, Map.of(),
                Map.of()))).isEmpty();
    }

    @Test
    void encryptionStaysOn() {
        Element db = database("prod", true);
        assertThat(sources(pack.evaluate(db, human("alice", TEAM), Action.UPDATE, Map.of("storageEncrypted", false),
                Map.of()))).containsExactly("${packName}-prod-databases@1.0.0#variation:storageEncrypted");
        assertThat(sources(pack.evaluate(db, human("alice", TEAM), Action.UPDATE,
                Map.of("instanceClass", "db.r6g.large"), Map.of()))).isEmpty();
    }

    private static Element database(String environment, boolean encrypted) {
        return element("aws:rds:db-instance:eu-west-1:111122223333:orders-" + environment, environment,
                "eu-internal", TEAM, Map.of(), Map.of("storageEncrypted", encrypted));
    }
}
