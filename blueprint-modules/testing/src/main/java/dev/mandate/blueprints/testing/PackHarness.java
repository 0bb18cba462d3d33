package dev.mandate.blueprints.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
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
 * Loads a blueprint pack through the kernel's real loader (YAML, CEL type checks, owners, versions:
 * what Karaf would do with the bundle) and evaluates example requests against it, so that a pack's
 * tests show each rule fire and not fire. Run from the pack module's directory: the pack's documents
 * are read from {@code src/main/resources/blueprints}. Documents of other packs it relies on (the
 * team that owns it, say) are loaded first as their own sources.
 *
 * <p>Not thread-safe; one per test.
 */
public final class PackHarness {

    /** The time every evaluation runs at. */
    public static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

    /** The folder of a pack module that holds its documents (the {@code Mandate-Blueprints} folder). */
    public static final Path DOCUMENTS = Path.of("src/main/resources/blueprints");

    /** {@code <type> <name>} of every evidence record the loader wrote, in order. */
    public final List<String> evidence = Collections.synchronizedList(new ArrayList<>());

    /** The loader, with the pack in force. */
    public final IntentRegistry registry = new IntentRegistry(
            (type, payload) -> evidence.add(type + " " + payload.get("name")));

    /**
     * Loads the documents it relies on, then the pack, and asserts that every document loaded.
     *
     * @param bundle  the pack's bundle symbolic name (its artifactId)
     * @param relies  sources loaded first, e.g. {@link #documents(String, Path...)} of the team that owns the pack
     */
    public PackHarness(String bundle, IntentSource... relies) {
        for (IntentSource source : relies) {
            IntentRegistry.LoadResult result = registry.load(source);
            assertThat(result.problems()).as("documents of %s", source.key()).isEmpty();
        }
        IntentRegistry.LoadResult result = registry.load(documents(bundle, DOCUMENTS));
        assertThat(result.problems()).as("documents of the pack %s", bundle).isEmpty();
        assertThat(result.outcome()).isEqualTo(IntentRegistry.Outcome.LOADED);
    }

    /**
     * The YAML documents of a bundle as the extender would read them: each path a file, or a folder
     * whose {@code *.yaml} and {@code *.yml} files are read in name order. Each file is named
     * {@code blueprints/<file name>} inside the bundle.
     */
    public static IntentSource documents(String bundle, Path... paths) {
        List<IntentSource.File> files = new ArrayList<>();
        for (Path path : paths) {
            for (Path file : yamlFiles(path)) {
                String name = "blueprints/" + file.getFileName();
                try {
                    files.add(new IntentSource.File(name, "bundle:" + bundle + "/" + name,
                            Files.readString(file, StandardCharsets.UTF_8)));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read '" + file + "'", e);
                }
            }
        }
        return new IntentSource("bundle:" + bundle, files);
    }

    private static List<Path> yamlFiles(Path path) {
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        try (Stream<Path> paths = Files.list(path)) {
            return paths.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list '" + path + "'", e);
        }
    }

    /** An element whose kind and provider come from its id ({@code provider:service:type:…}), owned by team-platform. */
    public static Element element(String id, String environment, String trustZone, Map<String, String> labels,
            Map<String, Object> attributes) {
        return element(id, environment, trustZone, "team-platform", labels, attributes);
    }

    /** An element whose kind and provider come from its id ({@code provider:service:type:…}). */
    public static Element element(String id, String environment, String trustZone, String owner,
            Map<String, String> labels, Map<String, Object> attributes) {
        String[] parts = id.split(":");
        return new Element(id, parts[0] + ":" + parts[1] + ":" + parts[2], parts[0], environment, trustZone, owner,
                labels, attributes, Map.of());
    }

    /** A person of team-platform, signed in with MFA. */
    public static Actor human(String id) {
        return human(id, "team-platform");
    }

    /** A person of this team (in group {@code grp-<team>}), signed in with MFA. */
    public static Actor human(String id, String team) {
        return new Actor(id, ActorKind.HUMAN, team, List.of("grp-" + team.replaceFirst("^team-", "") + "-engineers"),
                null, "mfa");
    }

    /** An AI agent of team-platform with a declared model and prompt hash. */
    public static Actor agent(String id) {
        return agent(id, "team-platform");
    }

    /** An AI agent of this team with a declared model and prompt hash. */
    public static Actor agent(String id, String team) {
        return new Actor(id, ActorKind.AI, team, List.of(), new AgentInfo("gpt-x",
                "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"), "workload-identity");
    }

    /** Evaluates a request against the pack (no dependents) and asserts that no constraint errored. */
    public Evaluation evaluate(Element target, Actor actor, Action action, Map<String, Object> after,
            Map<String, Object> context) {
        Evaluation evaluation = registry.evaluate(new EvaluationContext(target, new ActionRequest(actor, action,
                target.id(), "pack test", Map.of(), after, context),
                BlastRadius.none(target.owner(), target.environment(), target.trustZone()), NOW));
        assertThat(evaluation.errors()).isEmpty();
        return evaluation;
    }

    /** A create by a person of team-platform: the element is as the request's after attributes make it. */
    public Evaluation create(Element proposed, Map<String, Object> context) {
        return evaluate(proposed, human("alice"), Action.CREATE, proposed.attributes(), context);
    }

    /** The sources of what matched ({@code <blueprint>@<version>#<rule>}), in order. */
    public static List<String> sources(Evaluation evaluation) {
        return evaluation.matches().stream().map(RuleMatch::source).toList();
    }

    /** Asserts that this rule matched and returns its match. */
    public static RuleMatch fired(Evaluation evaluation, String source) {
        assertThat(sources(evaluation)).contains(source);
        return evaluation.matches().stream().filter(m -> m.source().equals(source)).findFirst().orElseThrow();
    }

    /** Asserts that this rule did not match. */
    public static void notFired(Evaluation evaluation, String source) {
        assertThat(sources(evaluation)).doesNotContain(source);
    }
}
