package dev.mandate.blueprints.pcisegmentation;

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
 * Loads the pack through the real loader, beside the baseline pack's team-platform (the owner of
 * every landing-zone blueprint), and evaluates requests against it.
 */
final class PackHarness {

    static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

    final List<String> evidence = new ArrayList<>();
    final IntentRegistry registry = new IntentRegistry((type, payload) -> evidence.add(type + " " + payload.get("name")));

    PackHarness(String bundle) throws IOException {
        Path team = Path.of("../baseline/src/main/resources/blueprints/team-platform.yaml");
        assertThat(registry.load(new IntentSource("bundle:dev.mandate.blueprints.baseline", List.of(
                new IntentSource.File("blueprints/team-platform.yaml", "bundle:dev.mandate.blueprints.baseline/"
                        + "blueprints/team-platform.yaml", Files.readString(team, StandardCharsets.UTF_8)))))
                .problems()).isEmpty();
        List<IntentSource.File> files = new ArrayList<>();
        try (Stream<Path> paths = Files.list(Path.of("src/main/resources/blueprints"))) {
            for (Path path : paths.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                String name = "blueprints/" + path.getFileName();
                files.add(new IntentSource.File(name, "bundle:" + bundle + "/" + name,
                        Files.readString(path, StandardCharsets.UTF_8)));
            }
        }
        IntentRegistry.LoadResult result = registry.load(new IntentSource("bundle:" + bundle, files));
        assertThat(result.problems()).isEmpty();
        assertThat(result.outcome()).isEqualTo(IntentRegistry.Outcome.LOADED);
    }

    static Element element(String id, String environment, String trustZone, Map<String, String> labels,
            Map<String, Object> attributes) {
        String[] parts = id.split(":");
        return new Element(id, parts[0] + ":" + parts[1] + ":" + parts[2], parts[0], environment, trustZone,
                "team-platform", labels, attributes, Map.of());
    }

    static Actor human(String id) {
        return new Actor(id, ActorKind.HUMAN, "team-platform", List.of("grp-platform-engineers"), null, "mfa");
    }

    static Actor agent(String id) {
        return new Actor(id, ActorKind.AI, "team-platform", List.of(), new AgentInfo("gpt-x",
                "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"), "workload-identity");
    }

    Evaluation evaluate(Element target, Actor actor, Action action, Map<String, Object> after,
            Map<String, Object> context) {
        Evaluation evaluation = registry.evaluate(new EvaluationContext(target, new ActionRequest(actor, action,
                target.id(), "pack test", Map.of(), after, context),
                BlastRadius.none(target.owner(), target.environment(), target.trustZone()), NOW));
        assertThat(evaluation.errors()).isEmpty();
        return evaluation;
    }

    /** A create: the element is as the request's after attributes make it. */
    Evaluation create(Element proposed, Map<String, Object> context) {
        return evaluate(proposed, human("alice"), Action.CREATE, proposed.attributes(), context);
    }

    static RuleMatch fired(Evaluation evaluation, String source) {
        assertThat(evaluation.matches()).extracting(RuleMatch::source).contains(source);
        return evaluation.matches().stream().filter(m -> m.source().equals(source)).findFirst().orElseThrow();
    }

    static void notFired(Evaluation evaluation, String source) {
        assertThat(evaluation.matches()).extracting(RuleMatch::source).doesNotContain(source);
    }
}
