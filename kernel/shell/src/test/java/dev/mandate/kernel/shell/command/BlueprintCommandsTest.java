package dev.mandate.kernel.shell.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.mandate.api.decision.Action;
import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Actor;
import dev.mandate.api.decision.ActorKind;
import dev.mandate.api.intent.EvaluationContext;
import dev.mandate.api.model.BlastRadius;
import dev.mandate.api.model.Element;
import dev.mandate.kernel.intent.BlueprintCatalog;
import dev.mandate.kernel.intent.BlueprintValidator;
import dev.mandate.kernel.intent.internal.IntentRegistry;
import dev.mandate.kernel.intent.internal.IntentSource;

/**
 * The blueprint commands against the real intent registry (the kernel's loader and CEL compiler,
 * no Karaf): what an operator reads in the console.
 */
class BlueprintCommandsTest {

    private static final String TEAM = """
            apiVersion: mandate.dev/v1
            kind: Team
            metadata: {name: team-platform, version: 1.0.0}
            spec: {displayName: Platform, groups: [grp-platform]}
            """;

    private static final String STORES = """
            apiVersion: mandate.dev/v1
            kind: Blueprint
            metadata: {name: prod-data-store, version: %s, owner: team-platform, description: Production data stores}
            spec:
              %s
              appliesTo: {kinds: [aws:rds:db-instance], environments: [prod]}
              constraints:
                - id: no-ai-delete
                  when: 'request.action == "delete" && actor.kind == "AI"'
                  effect: %s
                  severity: critical
                  message: AI agents may not delete ${element.id}
                - id: dependents
                  when: request.action == "delete" && blastRadius.count > 0
                  effect: require-approval
                  enforcement: warn
                  message: others depend on it
            """;

    private static final Element DATABASE = new Element("aws:rds:db-instance:eu-west-1:111122223333:orders",
            "aws:rds:db-instance", "aws", "prod", "eu-internal", "team-payments", Map.of(), Map.of(), Map.of());

    @TempDir
    Path folder;

    private final IntentRegistry registry = new IntentRegistry((type, payload) -> { });

    /** What IntentServiceImpl offers to the commands, here straight from the registry. */
    private final BlueprintCatalog catalog = registry;
    private final BlueprintValidator validator = registry;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
    private final PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);

    @Test
    void blueprintsListsEveryBlueprintInForceWithVersionOwnerConstraintsAndOrigin() {
        load("pack", Map.of("blueprints/team.yaml", TEAM, "blueprints/stores.yaml", stores("1.2.0", "", "deny")));
        load("other", Map.of("blueprints/other.yaml", stores("0.1.0", "", "deny").replace("prod-data-store",
                "archive-store")));

        BlueprintsCommand command = new BlueprintsCommand();
        command.intent = registry;
        command.execute(outStream);

        List<String> lines = out().lines().toList();
        assertThat(lines.get(0)).contains("Name", "Version", "Owner", "Constraints", "Origin");
        assertThat(lines).filteredOn(line -> line.contains("prod-data-store")).singleElement().asString()
                .contains("1.2.0", "team-platform", " 2 ", "bundle:pack/blueprints/stores.yaml");
        assertThat(lines).filteredOn(line -> line.contains("archive-store")).singleElement().asString()
                .contains("0.1.0", "bundle:other/blueprints/other.yaml");
        // sorted by name
        assertThat(out().indexOf("archive-store")).isLessThan(out().indexOf("prod-data-store"));
    }

    @Test
    void blueprintShowsOneBlueprintInFullAndSaysWhenThereIsNone() {
        load("pack", Map.of("blueprints/team.yaml", TEAM, "blueprints/stores.yaml", stores("1.2.0", "", "deny")));

        BlueprintCommand command = new BlueprintCommand();
        command.catalog = catalog;
        command.name = "prod-data-store";
        command.execute(outStream, errStream);

        String shown = out();
        for (String expected : List.of("Name         prod-data-store", "Version      1.2.0", "Owner        team-platform",
                "Description  Production data stores", "Hash         sha256:",
                "Source       bundle:pack/blueprints/stores.yaml", "Mode         enforce", "Fallback     owner-approval",
                "Shadow       none", "Applies to   kinds aws:rds:db-instance; providers any; environments prod",
                "Governs      unknown (no model)", "Constraints  2")) {
            assertThat(shown).contains(expected);
        }
        assertThat(shown.lines().filter(line -> line.contains("no-ai-delete")).findFirst().orElseThrow())
                .contains("deny", "enforce", "critical");
        assertThat(shown.lines().filter(line -> line.contains("dependents")).findFirst().orElseThrow())
                .contains("require-approval", "warn", "medium");
        assertThat(err()).isEmpty();

        BlueprintCommand missing = new BlueprintCommand();
        missing.catalog = catalog;
        missing.name = "nothing-here";
        ByteArrayOutputStream none = new ByteArrayOutputStream();
        missing.execute(new PrintStream(none, true, StandardCharsets.UTF_8), errStream);
        assertThat(none.size()).isZero();
        assertThat(err()).isEqualTo("no blueprint 'nothing-here' is in force\n");
    }

    @Test
    void validateSaysValidOrListsEveryProblemWithFileLineAndColumnAndLoadsNothing() throws IOException {
        load("pack", Map.of("blueprints/team.yaml", TEAM));
        Path good = Files.writeString(folder.resolve("stores.yaml"), stores("1.0.0", "", "deny"));
        Path bad = Files.writeString(folder.resolve("broken.yaml"), stores("1.0.0", "", "block")
                .replace("actor.kind", "actr.kind"));
        Path orphan = Files.writeString(folder.resolve("orphan.yaml"), stores("1.0.0", "", "deny")
                .replace("owner: team-platform", "owner: team-nobody"));

        ValidateCommand command = new ValidateCommand();
        command.validator = validator;
        command.file = good.toString();
        command.execute(outStream, errStream);
        assertThat(out()).isEqualTo("stores.yaml: valid\n");

        out.reset();
        command.file = bad.toString();
        assertThatThrownBy(() -> command.execute(outStream, errStream)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'broken.yaml' has 2 problems");
        assertThat(out().lines().toList()).containsExactly(
                "broken.yaml:9:44: constraint 'no-ai-delete': undeclared reference to 'actr'",
                "broken.yaml:10:15: constraint 'no-ai-delete': unknown effect 'block' (known: allow, deny, require-approval)");

        // the owner is checked against the teams in force
        out.reset();
        command.file = orphan.toString();
        assertThatThrownBy(() -> command.execute(outStream, errStream)).hasMessage("'orphan.yaml' has 1 problem");
        assertThat(out().lines().toList()).singleElement().asString().startsWith("orphan.yaml:3:")
                .endsWith(": blueprint 'prod-data-store': owner 'team-nobody' is not a known team");
        assertThat(registry.blueprints()).isEmpty();

        command.file = folder.resolve("missing.yaml").toString();
        assertThatThrownBy(() -> command.execute(outStream, errStream)).isInstanceOf(IllegalArgumentException.class);
        assertThat(err()).startsWith("cannot read '" + folder.resolve("missing.yaml") + "': ");
    }

    @Test
    void shadowReportListsTheDecisionsThatWouldChangeAndPromotePutsTheShadowInForce() {
        load("pack", Map.of("blueprints/team.yaml", TEAM, "blueprints/stores.yaml",
                stores("1.0.0", "", "require-approval"), "blueprints/stores-next.yaml", stores("2.0.0", "rollout: shadow",
                        "deny")));
        registry.evaluate(delete("agent-7"));
        registry.evaluate(delete("agent-8"));

        BlueprintShadowReportCommand report = new BlueprintShadowReportCommand();
        report.intent = registry;
        report.name = "prod-data-store";
        report.execute(outStream, errStream);
        String shown = out();
        assertThat(shown).startsWith("prod-data-store: in force 1.0.0, shadow 2.0.0, 2 evaluations, 2 would change");
        assertThat(shown.lines().filter(line -> line.contains("agent-7")).findFirst().orElseThrow())
                .contains(DATABASE.id(), "delete", "require-approval", "deny");
        assertThat(shown).contains("agent-8");

        out.reset();
        BlueprintPromoteCommand promote = new BlueprintPromoteCommand();
        promote.intent = registry;
        promote.name = "prod-data-store";
        promote.execute(outStream, errStream);
        assertThat(out()).startsWith("blueprint 'prod-data-store' version 2.0.0 is in force (sha256:");
        assertThat(registry.blueprint("prod-data-store").orElseThrow().version()).isEqualTo("2.0.0");
        assertThat(err()).isEmpty();

        // nothing left to report or promote
        report.execute(outStream, errStream);
        promote.execute(outStream, errStream);
        assertThat(err().lines().toList()).containsExactly("blueprint 'prod-data-store' has no shadow version",
                "blueprint 'prod-data-store' has no shadow version");
    }

    @Test
    void rejectionsListEveryRejectedSourceWithItsProblemsOrSayThereAreNone() {
        BlueprintRejectionsCommand command = new BlueprintRejectionsCommand();
        command.catalog = catalog;
        command.execute(outStream);
        assertThat(out()).isEqualTo("no rejected intent sources\n");

        load("pack", Map.of("blueprints/team.yaml", TEAM, "blueprints/stores.yaml",
                stores("1.0.0", "", "deny").replace("request.action", "requested.action")));
        out.reset();
        command.execute(outStream);
        assertThat(out().lines().toList()).containsExactly(
                "bundle:pack rejected; what was in force before stays in force:",
                "  blueprints/stores.yaml:9:14: constraint 'no-ai-delete': undeclared reference to 'requested'",
                "  blueprints/stores.yaml:14:13: constraint 'dependents': undeclared reference to 'requested'");
    }

    private void load(String bundle, Map<String, String> files) {
        List<IntentSource.File> list = new java.util.ArrayList<>();
        new java.util.TreeMap<>(files).forEach((name, text) -> list.add(new IntentSource.File(name,
                "bundle:" + bundle + "/" + name, text)));
        registry.load(new IntentSource("bundle:" + bundle, list));
    }

    private static String stores(String version, String rollout, String effect) {
        return STORES.formatted(version, rollout.isEmpty() ? "fallback: owner-approval" : rollout, effect);
    }

    private static EvaluationContext delete(String agent) {
        Actor actor = new Actor(agent, ActorKind.AI, "team-payments", List.of(), null, null);
        return new EvaluationContext(DATABASE, new ActionRequest(actor, Action.DELETE, DATABASE.id(), "cleanup",
                Map.of(), Map.of(), Map.of()), BlastRadius.none("team-payments", "prod", "eu-internal"),
                Instant.parse("2026-11-26T10:00:00Z"));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
