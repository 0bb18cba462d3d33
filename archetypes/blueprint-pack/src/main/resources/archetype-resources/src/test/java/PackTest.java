package ${package};

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.mandate.api.decision.Action;
import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Actor;
import dev.mandate.api.decision.ActorKind;
import dev.mandate.api.decision.AgentInfo;
import dev.mandate.api.intent.Evaluation;
import dev.mandate.api.intent.EvaluationContext;
import dev.mandate.api.intent.RuleMatch;
import dev.mandate.api.model.BlastRadius;
import dev.mandate.api.model.Element;
import dev.mandate.kernel.intent.internal.IntentRegistry;
import dev.mandate.kernel.intent.internal.IntentSource;

/**
 * Loads every document of the pack through the kernel's loader (YAML, CEL type checks, owners,
 * versions: what Karaf would do), then runs example requests: for each rule one that fires it and
 * one close to it that does not.
 */
class PackTest {

    private static final String BUNDLE = "${artifactId}";
    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

    private IntentRegistry registry;

    @BeforeEach
    void loadThePack() throws IOException {
        registry = new IntentRegistry((type, payload) -> { });
        List<IntentSource.File> files = new ArrayList<>();
        try (Stream<Path> paths = Files.list(Path.of("src/main/resources/blueprints"))) {
            for (Path path : paths.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                String name = "blueprints/" + path.getFileName();
                files.add(new IntentSource.File(name, "bundle:" + BUNDLE + "/" + name,
                        Files.readString(path, StandardCharsets.UTF_8)));
            }
        }
        IntentRegistry.LoadResult result = registry.load(new IntentSource("bundle:" + BUNDLE, files));
        assertThat(result.problems()).isEmpty();
        assertThat(result.outcome()).isEqualTo(IntentRegistry.Outcome.LOADED);
    }

    @Test
    void agentsMayNotDeleteProductionDatabases() {
        Element db = database("prod", true);
        assertThat(sources(evaluate(db, agent(), Action.DELETE, Map.of())))
                .contains("${packName}-prod-databases@1.0.0#no-ai-delete");
        assertThat(sources(evaluate(db, human(), Action.DELETE, Map.of())))
                .doesNotContain("${packName}-prod-databases@1.0.0#no-ai-delete");
        assertThat(sources(evaluate(database("dev", true), agent(), Action.DELETE, Map.of()))).isEmpty();
    }

    @Test
    void encryptionStaysOn() {
        Element db = database("prod", true);
        assertThat(sources(evaluate(db, human(), Action.UPDATE, Map.of("storageEncrypted", false))))
                .containsExactly("${packName}-prod-databases@1.0.0#variation:storageEncrypted");
        assertThat(sources(evaluate(db, human(), Action.UPDATE, Map.of("instanceClass", "db.r6g.large")))).isEmpty();
    }

    private Evaluation evaluate(Element target, Actor actor, Action action, Map<String, Object> after) {
        Evaluation evaluation = registry.evaluate(new EvaluationContext(target, new ActionRequest(actor, action,
                target.id(), "pack test", Map.of(), after, Map.of()),
                BlastRadius.none(target.owner(), target.environment(), target.trustZone()), NOW));
        assertThat(evaluation.errors()).isEmpty();
        return evaluation;
    }

    private static List<String> sources(Evaluation evaluation) {
        return evaluation.matches().stream().map(RuleMatch::source).toList();
    }

    private static Element database(String environment, boolean encrypted) {
        String id = "aws:rds:db-instance:eu-west-1:111122223333:orders-" + environment;
        return new Element(id, "aws:rds:db-instance", "aws", environment, "eu-internal", "${team}", Map.of(),
                Map.of("storageEncrypted", encrypted), Map.of());
    }

    private static Actor human() {
        return new Actor("alice", ActorKind.HUMAN, "${team}", List.of("grp-${team}"), null, "mfa");
    }

    private static Actor agent() {
        return new Actor("agent-7", ActorKind.AI, "${team}", List.of(), new AgentInfo("model-x",
                "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"), "workload-identity");
    }
}
