package dev.mandate.kernel.intent.internal;

import static dev.mandate.kernel.intent.internal.Fixtures.DATA_STORES;
import static dev.mandate.kernel.intent.internal.Fixtures.TEAMS;
import static dev.mandate.kernel.intent.internal.Fixtures.file;
import static dev.mandate.kernel.intent.internal.Fixtures.rds;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.mandate.api.model.Element;
import dev.mandate.kernel.intent.BlueprintDetail;
import dev.mandate.kernel.intent.Problem;
import dev.mandate.kernel.intent.Rejection;

/** What operators ask about the intent in force: governance, a blueprint in full, rejections, promotions kept. */
class BlueprintCatalogTest {

    private static final String EVERY_BUCKET = """
            apiVersion: mandate.dev/v1
            kind: Blueprint
            metadata: {name: buckets, version: 1.0.0, owner: team-platform}
            spec:
              enforcement: warn
              appliesTo: {kinds: [aws:s3:bucket], providers: [aws]}
              variations:
                attributes:
                  encryption.enabled: {equals: true}
              constraints:
                - {id: no-delete, when: 'request.action == "delete"', effect: require-approval, enforcement: audit,
                   message: buckets are not deleted}
            """;

    private static final String EVERYTHING = """
            apiVersion: mandate.dev/v1
            kind: Blueprint
            metadata: {name: everything, version: 1.0.0, owner: team-platform}
            spec:
              appliesTo: {environments: [prod]}
              constraints:
                - {id: no-ai, when: 'actor.kind == "AI"', effect: deny, message: no AI in prod}
            """;

    private final Fixtures.Recorder evidence = new Fixtures.Recorder();
    private final IntentRegistry registry = new IntentRegistry(evidence);

    private void loadAll() {
        assertThat(registry.load(file("teams.yaml", TEAMS)).problems()).isEmpty();
        assertThat(registry.load(file("data.yaml", DATA_STORES)).problems()).isEmpty();
        assertThat(registry.load(file("buckets.yaml", EVERY_BUCKET)).problems()).isEmpty();
        assertThat(registry.load(file("everything.yaml", EVERYTHING)).problems()).isEmpty();
    }

    private static Element bucket(String environment) {
        return Fixtures.element("aws:s3:bucket:eu-west-1:111122223333:logs-" + environment, environment,
                "team-platform", Map.of());
    }

    @Test
    void anElementIsGovernedByTheBlueprintsWhoseAppliesToSelectsIt() {
        loadAll();

        assertThat(registry.governing(rds("prod"))).containsExactly("everything@1.0.0", "prod-data-store@1.0.0");
        assertThat(registry.governing(rds("dev"))).isEmpty();
        assertThat(registry.governed(rds("dev"))).isFalse();
        assertThat(registry.governing(bucket("dev"))).containsExactly("buckets@1.0.0");
        assertThat(registry.governing(bucket("prod"))).containsExactly("buckets@1.0.0", "everything@1.0.0");
        Element azure = new Element("azure:storage:account:sub:rg:logs", "azure:storage:account", "azure", "dev",
                "eu-internal", "team-platform", Map.of(), Map.of(), Map.of());
        assertThat(registry.governing(azure)).isEmpty();
        assertThat(registry.governed(bucket("dev"))).isTrue();
    }

    @Test
    void governanceFollowsWhatIsInForce() {
        loadAll();
        assertThat(registry.governing(bucket("dev"))).containsExactly("buckets@1.0.0");

        registry.withdraw("file:/etc/mandate/blueprints/buckets.yaml");

        assertThat(registry.governing(bucket("dev"))).isEmpty();
        assertThat(registry.governing(bucket("prod"))).containsExactly("everything@1.0.0");
    }

    @Test
    void aConditionThatErrorsDoesNotSelect() {
        assertThat(registry.load(file("teams.yaml", TEAMS)).problems()).isEmpty();
        assertThat(registry.load(file("tiers.yaml", """
                apiVersion: mandate.dev/v1
                kind: Blueprint
                metadata: {name: tiers, version: 1.0.0, owner: team-platform}
                spec:
                  appliesTo: {match: 'element.attributes.tier.level > 2'}
                  constraints:
                    - {id: no-ai, when: 'actor.kind == "AI"', effect: deny, message: no AI on tiered elements}
                """)).problems()).isEmpty();

        assertThat(registry.governing(rds("prod"))).isEmpty();
        assertThat(registry.governing(Fixtures.element("aws:rds:db-instance:eu-west-1:111122223333:tiered", "prod",
                "team-payments", Map.of("tier", Map.of("level", 3))))).containsExactly("tiers@1.0.0");
    }

    @Test
    void showsABlueprintInFull() {
        loadAll();

        BlueprintDetail data = registry.detail("prod-data-store").orElseThrow();
        assertThat(data.info().version()).isEqualTo("1.0.0");
        assertThat(data.mode()).isEqualTo("enforce");
        assertThat(data.promoted()).isFalse();
        assertThat(data.shadowVersion()).isNull();
        assertThat(data.appliesTo().kinds()).containsExactly("aws:rds:db-instance");
        assertThat(data.appliesTo().providers()).isEmpty();
        assertThat(data.appliesTo().match()).isEqualTo("element.environment == \"prod\"");
        assertThat(data.constraints()).extracting(BlueprintDetail.Constraint::toString).containsExactly(
                "Constraint[id=no-ai-delete, effect=deny, mode=enforce, severity=critical]",
                "Constraint[id=dependents, effect=require-approval, mode=enforce, severity=medium]");

        BlueprintDetail buckets = registry.detail("buckets").orElseThrow();
        assertThat(buckets.mode()).isEqualTo("warn");
        assertThat(buckets.appliesTo().providers()).containsExactly("aws");
        assertThat(buckets.appliesTo().match()).isNull();
        assertThat(buckets.variations()).containsExactly("encryption.enabled");
        assertThat(buckets.constraints()).singleElement().satisfies(c -> assertThat(c.mode()).isEqualTo("audit"));
        assertThat(registry.detail("nothing")).isEmpty();
    }

    @Test
    void listsRejectedSourcesWithLocatedProblemsUntilTheyLoad() {
        assertThat(registry.load(file("teams.yaml", TEAMS)).problems()).isEmpty();
        String broken = DATA_STORES.replace("request.action == \"delete\" && actor", "request.action == \"delete\" && actr");
        registry.load(file("data.yaml", broken));

        List<Rejection> rejections = registry.rejections();
        assertThat(rejections).singleElement().satisfies(rejection -> {
            assertThat(rejection.source()).isEqualTo("file:/etc/mandate/blueprints/data.yaml");
            assertThat(rejection.problems()).extracting(Problem::toString)
                    .containsExactly("data.yaml:9:44: constraint 'no-ai-delete': undeclared reference to 'actr'");
        });

        registry.load(file("data.yaml", DATA_STORES));
        assertThat(registry.rejections()).isEmpty();
    }

    @Test
    void promotionsArePersistedAndRestored(@TempDir Path folder) {
        PromotionFile promotions = new PromotionFile(folder.resolve("promotions.properties"));
        registry.onPromotion(promotions::write);
        loadAll();
        String shadow = DATA_STORES.replace("version: 1.0.0", "version: 1.1.0").replace("spec:\n", "spec:\n  rollout: shadow\n");
        assertThat(registry.load(file("data-v2.yaml", shadow)).problems()).isEmpty();
        assertThat(registry.detail("prod-data-store").orElseThrow().shadowVersion()).isEqualTo("1.1.0");

        registry.promote("prod-data-store");
        String hash = registry.detail("prod-data-store").orElseThrow().info().contentHash();
        assertThat(promotions.read()).containsExactly(Map.entry("prod-data-store", hash));

        // a restart: a new registry, the promotions restored, then the same sources loaded
        IntentRegistry restarted = new IntentRegistry(new Fixtures.Recorder());
        restarted.restorePromotions(promotions.read());
        restarted.load(file("teams.yaml", TEAMS));
        restarted.load(file("data.yaml", DATA_STORES));
        assertThat(restarted.detail("prod-data-store").orElseThrow().info().version()).isEqualTo("1.0.0");
        restarted.load(file("data-v2.yaml", shadow));
        BlueprintDetail inForce = restarted.detail("prod-data-store").orElseThrow();
        assertThat(inForce.info().version()).isEqualTo("1.1.0");
        assertThat(inForce.promoted()).isTrue();

        // a changed shadow document is not what was promoted: it stays in shadow
        IntentRegistry changed = new IntentRegistry(new Fixtures.Recorder());
        changed.restorePromotions(promotions.read());
        changed.load(file("teams.yaml", TEAMS));
        changed.load(file("data.yaml", DATA_STORES));
        changed.load(file("data-v2.yaml", shadow.replace("severity: critical", "severity: high")));
        assertThat(changed.detail("prod-data-store").orElseThrow().info().version()).isEqualTo("1.0.0");
    }
}
