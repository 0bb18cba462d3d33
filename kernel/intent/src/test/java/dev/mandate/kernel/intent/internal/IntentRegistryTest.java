package dev.mandate.kernel.intent.internal;

import static dev.mandate.kernel.intent.internal.Fixtures.DATA_STORES;
import static dev.mandate.kernel.intent.internal.Fixtures.TEAMS;
import static dev.mandate.kernel.intent.internal.Fixtures.ai;
import static dev.mandate.kernel.intent.internal.Fixtures.context;
import static dev.mandate.kernel.intent.internal.Fixtures.dependents;
import static dev.mandate.kernel.intent.internal.Fixtures.file;
import static dev.mandate.kernel.intent.internal.Fixtures.human;
import static dev.mandate.kernel.intent.internal.Fixtures.rds;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.mandate.api.decision.Action;
import dev.mandate.api.intent.ConstraintFunction;
import dev.mandate.api.intent.Effect;
import dev.mandate.api.intent.Evaluation;
import dev.mandate.api.intent.Fallback;
import dev.mandate.api.intent.RuleMatch;
import dev.mandate.api.intent.ValueType;
import dev.mandate.api.model.Element;
import dev.mandate.kernel.intent.Problem;

class IntentRegistryTest {

    private final Fixtures.Recorder evidence = new Fixtures.Recorder();
    private final IntentRegistry registry = new IntentRegistry(evidence);

    private IntentRegistry.LoadResult loadPack() {
        return registry.load(Fixtures.bundle("dev.example.pack",
                Map.of("blueprints/a-teams.yaml", TEAMS, "blueprints/b-data.yaml", DATA_STORES)));
    }

    @Test
    void loadsAPackAndEvaluatesWhatFires() {
        assertThat(loadPack().outcome()).isEqualTo(IntentRegistry.Outcome.LOADED);
        assertThat(registry.policy().blueprints()).containsOnlyKeys("prod-data-store");
        assertThat(registry.policy().teams()).containsOnlyKeys("team-platform");
        var info = registry.policy().blueprints().get("prod-data-store").info();
        assertThat(info.origin()).isEqualTo("bundle:dev.example.pack/blueprints/b-data.yaml");
        assertThat(info.contentHash()).matches("sha256:[0-9a-f]{64}");
        assertThat(info.constraints()).containsExactly("no-ai-delete", "dependents");
        assertThat(info.fallback()).isEqualTo(Fallback.DENY);

        Evaluation evaluation = registry.evaluate(context(rds("prod"), ai("agent-7"), Action.DELETE, Map.of(), Map.of(),
                dependents(3, "team-orders", "team-web")));

        assertThat(evaluation.errors()).isEmpty();
        assertThat(evaluation.applicable()).containsExactly("prod-data-store@1.0.0");
        assertThat(evaluation.fallback()).isEqualTo(Fallback.DENY);
        assertThat(evaluation.matches()).extracting(RuleMatch::source)
                .containsExactly("prod-data-store@1.0.0#no-ai-delete", "prod-data-store@1.0.0#dependents");
        RuleMatch deny = evaluation.matches().get(0);
        assertThat(deny.effect()).isEqualTo(Effect.DENY);
        assertThat(deny.severity()).isEqualTo("critical");
        assertThat(deny.message()).isEqualTo("AI agent 'agent-7' may not delete production data store "
                + "aws:rds:db-instance:eu-west-1:111122223333:orders-prod");
        RuleMatch approval = evaluation.matches().get(1);
        assertThat(approval.effect()).isEqualTo(Effect.REQUIRE_APPROVAL);
        assertThat(approval.severity()).isEqualTo("medium");
        assertThat(approval.message()).isEqualTo("3 elements owned by team-orders, team-web depend on it");
        assertThat(approval.obligations()).containsExactly("notify-dependents");
        assertThat(evidence.types()).containsExactly(IntentRegistry.LOADED);
        assertThat(evidence.last()).containsEntry("name", "prod-data-store").containsEntry("version", "1.0.0")
                .containsEntry("owner", "team-platform").containsEntry("contentHash", info.contentHash());
    }

    @Test
    void doesNotFireWhenTheConditionDoesNotHoldOrTheBlueprintDoesNotApply() {
        loadPack();

        Evaluation human = registry.evaluate(context(rds("prod"), human("alice"), Action.DELETE));
        assertThat(human.errors()).isEmpty();
        assertThat(human.applicable()).containsExactly("prod-data-store@1.0.0");
        assertThat(human.matches()).isEmpty();

        Evaluation dev = registry.evaluate(context(rds("dev"), ai("agent-7"), Action.DELETE));
        assertThat(dev.applicable()).isEmpty();
        assertThat(dev.matches()).isEmpty();
        assertThat(dev.fallback()).isEqualTo(Fallback.OWNER_APPROVAL);

        Element bucket = Fixtures.element("aws:s3:bucket:eu-west-1:111122223333:logs", "prod", "team-platform",
                Map.of());
        Evaluation otherKind = registry.evaluate(context(bucket, ai("agent-7"), Action.DELETE));
        assertThat(otherKind.applicable()).isEmpty();
        assertThat(otherKind.matches()).isEmpty();
    }

    @Test
    void malformedYamlIsRejectedWithLineAndColumn() {
        registry.load(file("teams.yaml", TEAMS));
        String broken = """
                apiVersion: mandate.dev/v1
                kind: Blueprint
                metadata: {name: broken, version: 1.0.0, owner: team-platform}
                spec:
                  constraints: [{id: a, when: 'true'
                  effect: deny
                """;

        IntentRegistry.LoadResult result = registry.load(file("broken.yaml", broken));

        assertThat(result.outcome()).isEqualTo(IntentRegistry.Outcome.REJECTED);
        assertThat(result.problems()).hasSize(1);
        Problem problem = result.problems().get(0);
        assertThat(problem.file()).isEqualTo("broken.yaml");
        assertThat(problem.line()).isEqualTo(5);
        assertThat(problem.column()).isEqualTo(37);
        assertThat(problem.message()).startsWith("yaml syntax: ");
        assertThat(registry.policy().blueprints()).doesNotContainKey("broken");
        assertThat(evidence.types()).containsExactly(IntentRegistry.REJECTED);
        assertThat(evidence.last()).containsEntry("origin", "file:/etc/mandate/blueprints/broken.yaml");
        assertThat((List<?>) evidence.last().get("errors")).singleElement().asString()
                .startsWith("broken.yaml:5:37: yaml syntax: ");
    }

    @Test
    void celErrorsAreReportedWhereTheyAreWrittenInTheFile() {
        registry.load(file("teams.yaml", TEAMS));
        String text = """
                apiVersion: mandate.dev/v1
                kind: Blueprint
                metadata: {name: typo, version: 1.0.0, owner: team-platform}
                spec:
                  constraints:
                    - id: no-ai-delete
                      when: 'request.action == "delete" && actr.kind == "AI"'
                      effect: deny
                      message: no
                    - id: type-error
                      when: |
                        request.action == "delete" &&
                          blastRadius.count + "x" > 1
                      effect: deny
                      message: no
                """;

        IntentRegistry.LoadResult result = registry.load(file("typo.yaml", text));

        assertThat(result.outcome()).isEqualTo(IntentRegistry.Outcome.REJECTED);
        // quoted: the column counts from the opening quote; literal block: from the block's indentation
        assertThat(result.problems()).extracting(Problem::toString).hasSize(2);
        assertThat(result.problems().get(0).toString())
                .isEqualTo("typo.yaml:7:44: constraint 'no-ai-delete': undeclared reference to 'actr'");
        assertThat(result.problems().get(1).toString()).startsWith("typo.yaml:13:35: constraint 'type-error': "
                + "found no matching overload for '_>_' applied to '(string, int)'");
    }

    @Test
    void invalidDocumentsAreRejectedWithEveryReason() {
        registry.load(file("teams.yaml", TEAMS));
        String text = """
                apiVersion: mandate.dev/v2
                kind: Blueprint
                metadata: {name: Bad_Name, version: "1.0", owner: team-platform}
                spec:
                  fallback: maybe
                  constraints:
                    - {id: a, when: 'true', effect: block, message: x}
                    - {id: a, when: 'true', effect: deny, message: x, severity: huge}
                    - {id: c, when: '"text"', effect: deny, message: x}
                ---
                apiVersion: mandate.dev/v1
                kind: Policy
                metadata: {name: other, version: 1.0.0}
                """;

        List<Problem> problems = registry.load(file("bad.yaml", text)).problems();

        assertThat(problems).extracting(Problem::toString).contains(
                "bad.yaml:1:13: apiVersion 'mandate.dev/v2' is not supported (expected 'mandate.dev/v1')",
                "bad.yaml:3:18: blueprint name 'Bad_Name' is not a valid name (lowercase letters, digits and '-', at most 63)",
                "bad.yaml:3:37: version '1.0' is not a semantic version (major.minor.patch, such as 1.0.0)",
                "bad.yaml:5:13: unknown fallback 'maybe' (known: owner-approval, deny)",
                "bad.yaml:7:37: constraint 'a': unknown effect 'block' (known: allow, deny, require-approval)",
                "bad.yaml:8:12: constraint id 'a' is used twice in this blueprint",
                "bad.yaml:8:65: constraint 'a': unknown severity 'huge' (known: low, medium, high, critical)",
                "bad.yaml:9:22: constraint 'c': expected type 'bool' but found 'string'",
                "bad.yaml:12:7: unknown kind 'Policy' (known: Team, Blueprint, Ownership, Waiver, FreezeWindow)");
    }

    @Test
    void aBlueprintWhoseOwnerIsNoKnownTeamIsRejected() {
        String text = DATA_STORES.replace("owner: team-platform", "owner: team-nobody");

        IntentRegistry.LoadResult result = registry.load(file("data.yaml", text));

        assertThat(result.outcome()).isEqualTo(IntentRegistry.Outcome.REJECTED);
        assertThat(result.problems()).extracting(Problem::toString).containsExactly(
                "data.yaml:3:58: blueprint 'prod-data-store': owner 'team-nobody' is not a known team");
        assertThat(registry.policy().blueprints()).isEmpty();
    }

    @Test
    void aRejectedSourceLoadsOnceItsOwnerTeamArrivesFromAnotherSource() {
        assertThat(registry.load(file("data.yaml", DATA_STORES)).outcome())
                .isEqualTo(IntentRegistry.Outcome.REJECTED);

        registry.load(file("teams.yaml", TEAMS));

        assertThat(registry.policy().blueprints()).containsOnlyKeys("prod-data-store");
        assertThat(registry.rejectedSources()).isEmpty();
    }

    @Test
    void theSameBlueprintFromAnotherSourceIsAConflict() {
        loadPack();
        long generation = registry.generation();

        IntentRegistry.LoadResult result = registry.load(file("copy.yaml", DATA_STORES));

        assertThat(result.outcome()).isEqualTo(IntentRegistry.Outcome.REJECTED);
        assertThat(result.problems()).extracting(Problem::toString).containsExactly(
                "copy.yaml:3:18: blueprint 'prod-data-store' conflicts with the blueprint of that name already "
                        + "loaded from 'bundle:dev.example.pack/blueprints/b-data.yaml'");
        assertThat(registry.policy().blueprints().get("prod-data-store").info().origin())
                .startsWith("bundle:dev.example.pack");
        assertThat(registry.generation()).isEqualTo(generation);
    }

    @Test
    void aHigherVersionFromTheSameSourceReplacesTheBlueprint() {
        registry.load(file("teams.yaml", TEAMS));
        registry.load(file("data.yaml", DATA_STORES));
        String hashBefore = registry.policy().blueprints().get("prod-data-store").info().contentHash();
        long generation = registry.generation();

        String upgrade = DATA_STORES.replace("version: 1.0.0", "version: 1.1.0")
                .replace("severity: critical", "severity: high");
        IntentRegistry.LoadResult result = registry.load(file("data.yaml", upgrade));

        assertThat(result.outcome()).isEqualTo(IntentRegistry.Outcome.LOADED);
        var info = registry.policy().blueprints().get("prod-data-store").info();
        assertThat(info.version()).isEqualTo("1.1.0");
        assertThat(info.contentHash()).isNotEqualTo(hashBefore);
        assertThat(registry.generation()).isGreaterThan(generation);
        assertThat(evidence.last()).containsEntry("type", IntentRegistry.REPLACED)
                .containsEntry("version", "1.1.0").containsEntry("previousVersion", "1.0.0");
        Evaluation evaluation = registry.evaluate(context(rds("prod"), ai("a"), Action.DELETE));
        assertThat(evaluation.matches()).extracting(RuleMatch::source, RuleMatch::severity)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("prod-data-store@1.1.0#no-ai-delete", "high"));
    }

    @Test
    void reloadingTheSameContentChangesNothing() {
        registry.load(file("teams.yaml", TEAMS));
        registry.load(file("data.yaml", DATA_STORES));
        long generation = registry.generation();
        int records = evidence.records.size();

        IntentRegistry.LoadResult result = registry.load(file("data.yaml", "# a comment\n" + DATA_STORES));

        assertThat(result.outcome()).isEqualTo(IntentRegistry.Outcome.UNCHANGED);
        assertThat(registry.generation()).isEqualTo(generation);
        assertThat(evidence.records).hasSize(records);
    }

    @Test
    void aChangedBlueprintWithoutAHigherVersionIsRejected() {
        registry.load(file("teams.yaml", TEAMS));
        registry.load(file("data.yaml", DATA_STORES));

        IntentRegistry.LoadResult result = registry.load(file("data.yaml",
                DATA_STORES.replace("severity: critical", "severity: low")));

        assertThat(result.problems()).extracting(Problem::message).containsExactly(
                "blueprint 'prod-data-store' changed but its version '1.0.0' is not higher than '1.0.0' in force");
        assertThat(registry.evaluate(context(rds("prod"), ai("a"), Action.DELETE)).matches().get(0).severity())
                .isEqualTo("critical");
    }

    @Test
    void aBrokenUpgradeKeepsTheVersionInForce() {
        registry.load(file("teams.yaml", TEAMS));
        registry.load(file("data.yaml", DATA_STORES));
        long generation = registry.generation();

        String broken = DATA_STORES.replace("version: 1.0.0", "version: 2.0.0")
                .replace("actor.kind == \"AI\"", "actor.kind == AI");
        IntentRegistry.LoadResult result = registry.load(file("data.yaml", broken));

        assertThat(result.outcome()).isEqualTo(IntentRegistry.Outcome.REJECTED);
        assertThat(result.problems()).extracting(Problem::message)
                .containsExactly("constraint 'no-ai-delete': undeclared reference to 'AI'");
        assertThat(registry.policy().blueprints().get("prod-data-store").info().version()).isEqualTo("1.0.0");
        assertThat(registry.generation()).isEqualTo(generation);
        assertThat(registry.evaluate(context(rds("prod"), ai("a"), Action.DELETE)).matches()).isNotEmpty();
        assertThat(evidence.last()).containsEntry("type", IntentRegistry.REJECTED);
    }

    @Test
    void aRejectionRecordNamesTheBlueprintItRejectsWithFileLineColumnAndReason() {
        registry.load(file("teams.yaml", TEAMS));
        registry.load(file("data.yaml", DATA_STORES));

        // the CEL does not compile, so no blueprint is built: the record still names it, as written
        String broken = DATA_STORES.replace("version: 1.0.0", "version: 2.0.0")
                .replace("actor.kind == \"AI\"", "actor.kind == AI");
        registry.load(file("data.yaml", broken));

        Map<String, Object> record = evidence.last();
        assertThat(record).containsEntry("type", IntentRegistry.REJECTED).containsEntry("name", "prod-data-store")
                .containsEntry("version", "2.0.0").containsEntry("source", "file:/etc/mandate/blueprints/data.yaml")
                .containsEntry("rejectedBlueprints", List.of("prod-data-store@2.0.0"));
        assertThat((List<?>) record.get("problems")).singleElement().isEqualTo(Map.of("file", "data.yaml",
                "line", 9, "column", 58, "reason", "constraint 'no-ai-delete': undeclared reference to 'AI'",
                "kind", "Blueprint", "name", "prod-data-store", "version", "2.0.0"));
        assertThat(registry.policy().blueprints().get("prod-data-store").info().version()).isEqualTo("1.0.0");
    }

    @Test
    void aRejectionOfSeveralBlueprintsNamesEachProblemsBlueprintAndAYamlErrorNamesNone() {
        registry.load(file("teams.yaml", TEAMS));
        String two = DATA_STORES.replace("actor.kind == \"AI\"", "actor.kind == AI") + "---\n"
                + DATA_STORES.replace("name: prod-data-store", "name: other-store")
                        .replace("owner: team-platform", "owner: team-nobody");
        registry.load(file("two.yaml", two));

        Map<String, Object> record = evidence.last();
        assertThat(record).containsEntry("type", IntentRegistry.REJECTED).doesNotContainKey("name")
                .containsEntry("rejectedBlueprints", List.of("prod-data-store@1.0.0", "other-store@1.0.0"));
        assertThat(problems(record)).hasSize(2).extracting(problem -> problem.get("name"))
                .containsExactly("prod-data-store", "other-store");
        assertThat(problems(record)).extracting(problem -> problem.get("reason")).containsExactly("constraint 'no-ai-delete': undeclared reference to 'AI'",
                        "blueprint 'other-store': owner 'team-nobody' is not a known team");

        registry.load(file("syntax.yaml", "kind: [Blueprint\n"));
        Map<String, Object> syntax = evidence.last();
        assertThat(syntax).doesNotContainKey("name").containsEntry("rejectedBlueprints", List.of());
        assertThat(problems(syntax)).singleElement().satisfies(problem -> assertThat(problem)
                .containsEntry("file", "syntax.yaml").containsKeys("line", "column", "reason").doesNotContainKey("name"));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> problems(Map<String, Object> record) {
        return (List<Map<String, Object>>) record.get("problems");
    }

    @Test
    void aLargePackIsCompiledOnSeveralThreadsWithItsFilesAndProblemsInOrder() {
        java.util.Map<String, String> files = new java.util.LinkedHashMap<>();
        files.put("blueprints/000-teams.yaml", TEAMS);
        for (int i = 1; i <= IntentRegistry.PARALLEL_FILES + 4; i++) {
            files.put("blueprints/%03d.yaml".formatted(i), DATA_STORES.replace("prod-data-store", "store-" + i));
        }
        IntentSource pack = Fixtures.bundle("dev.example.large", files);

        assertThat(registry.load(pack).outcome()).isEqualTo(IntentRegistry.Outcome.LOADED);
        assertThat(registry.blueprints()).hasSize(IntentRegistry.PARALLEL_FILES + 4);

        // two broken files far apart: the whole pack is rejected, the problems come in file order
        files.put("blueprints/003.yaml", files.get("blueprints/003.yaml").replace("version: 1.0.0", "version: 1.0.1")
                .replace("actor.kind", "actr.kind"));
        files.put("blueprints/017.yaml", files.get("blueprints/017.yaml").replace("version: 1.0.0", "version: 1.0.1")
                .replace("blastRadius.count", "blastRadius.count + \"x\""));
        IntentRegistry.LoadResult result = registry.load(Fixtures.bundle("dev.example.large", files));
        assertThat(result.outcome()).isEqualTo(IntentRegistry.Outcome.REJECTED);
        assertThat(result.problems()).extracting(Problem::file).containsExactly("blueprints/003.yaml",
                "blueprints/017.yaml");
        assertThat(registry.blueprint("store-3").orElseThrow().version()).isEqualTo("1.0.0");
    }

    @Test
    void withdrawingASourceRemovesWhatItBrought() {
        loadPack();

        assertThat(registry.withdraw("bundle:dev.example.pack")).isTrue();

        assertThat(registry.policy().blueprints()).isEmpty();
        assertThat(registry.policy().teams()).isEmpty();
        assertThat(registry.evaluate(context(rds("prod"), ai("a"), Action.DELETE)).matches()).isEmpty();
        assertThat(evidence.types()).containsExactly(IntentRegistry.LOADED, IntentRegistry.WITHDRAWN);
        assertThat(registry.withdraw("bundle:dev.example.pack")).isFalse();
    }

    @Test
    void aBlueprintDroppedFromItsSourceIsWithdrawn() {
        registry.load(file("teams.yaml", TEAMS));
        registry.load(file("data.yaml", DATA_STORES));

        registry.load(file("data.yaml", "# nothing left\n"));

        assertThat(registry.policy().blueprints()).isEmpty();
        assertThat(evidence.last()).containsEntry("type", IntentRegistry.WITHDRAWN)
                .containsEntry("name", "prod-data-store");
    }

    @Test
    void aContributedFunctionCanBeCalledByConstraints() {
        registry.load(file("teams.yaml", TEAMS));
        String text = """
                apiVersion: mandate.dev/v1
                kind: Blueprint
                metadata: {name: cidr-guard, version: 1.0.0, owner: team-platform}
                spec:
                  appliesTo: {kinds: [aws:ec2:security-group]}
                  constraints:
                    - id: no-open-ingress
                      when: request.action == "update" && isPublicCidr(request.after.cidr)
                      effect: deny
                      message: ingress from ${request.after.cidr} opens the group to the internet
                """;

        IntentRegistry.LoadResult before = registry.load(file("cidr.yaml", text));
        assertThat(before.problems()).extracting(Problem::message)
                .containsExactly("constraint 'no-open-ingress': undeclared reference to 'isPublicCidr'");

        registry.useFunctions(List.of(new IsPublicCidr()));

        assertThat(registry.policy().blueprints()).containsKey("cidr-guard");
        Element group = Fixtures.element("aws:ec2:security-group:eu-west-1:111122223333:sg-1", "prod",
                "team-platform", Map.of());
        Evaluation open = registry.evaluate(context(group, human("bob"), Action.UPDATE, Map.of("cidr", "0.0.0.0/0"),
                Map.of(), dependents(0)));
        assertThat(open.errors()).isEmpty();
        assertThat(open.matches()).extracting(RuleMatch::message)
                .containsExactly("ingress from 0.0.0.0/0 opens the group to the internet");
        Evaluation closed = registry.evaluate(context(group, human("bob"), Action.UPDATE, Map.of("cidr", "10.0.0.0/8"),
                Map.of(), dependents(0)));
        assertThat(closed.matches()).isEmpty();

        // the function goes away: the constraint cannot be evaluated and says so
        registry.useFunctions(List.of());
        Evaluation gone = registry.evaluate(context(group, human("bob"), Action.UPDATE, Map.of("cidr", "0.0.0.0/0"),
                Map.of(), dependents(0)));
        assertThat(gone.matches()).isEmpty();
        assertThat(gone.errors()).singleElement().asString().startsWith("cidr-guard@1.0.0#no-open-ingress: ")
                .contains("isPublicCidr");
    }

    @Test
    void aBundleWaitingForItsOwnFunctionIsNotRecordedAsRejectedWhileItSettles() {
        String text = TEAMS + """
                ---
                apiVersion: mandate.dev/v1
                kind: Blueprint
                metadata: {name: cidr-guard, version: 1.0.0, owner: team-platform}
                spec:
                  constraints:
                    - {id: open, when: 'isPublicCidr(request.after.cidr)', effect: deny, message: open to the internet}
                """;
        IntentSource pack = Fixtures.bundle("dev.example.cidr", Map.of("blueprints/cidr.yaml", text));

        assertThat(registry.loadSettling(pack).outcome()).isEqualTo(IntentRegistry.Outcome.REJECTED);
        assertThat(evidence.types()).isEmpty();
        registry.useFunctions(List.of(new IsPublicCidr()));
        assertThat(evidence.types()).containsExactly(IntentRegistry.LOADED);
        registry.settled(pack.key());
        assertThat(evidence.types()).containsExactly(IntentRegistry.LOADED);

        IntentSource other = Fixtures.bundle("dev.example.other", Map.of("blueprints/x.yaml",
                text.replace("cidr-guard", "other-guard").replace("isPublicCidr", "isPrivateCidr")
                        .replace("name: team-platform", "name: team-other").replace("owner: team-platform",
                                "owner: team-other")));
        assertThat(registry.loadSettling(other).outcome()).isEqualTo(IntentRegistry.Outcome.REJECTED);
        registry.settled(other.key());
        assertThat(evidence.types()).containsExactly(IntentRegistry.LOADED, IntentRegistry.REJECTED);
    }

    @Test
    void evaluationErrorsAreReportedNotSkipped() {
        registry.load(file("teams.yaml", TEAMS));
        String text = """
                apiVersion: mandate.dev/v1
                kind: Blueprint
                metadata: {name: needs-ticket, version: 1.0.0, owner: team-platform}
                spec:
                  constraints:
                    - id: ticket
                      when: request.context.ticket == ""
                      effect: require-approval
                      message: a change needs a ticket
                """;
        registry.load(file("ticket.yaml", text));

        Evaluation evaluation = registry.evaluate(context(rds("prod"), human("alice"), Action.UPDATE));

        assertThat(evaluation.applicable()).containsExactly("needs-ticket@1.0.0");
        assertThat(evaluation.matches()).isEmpty();
        assertThat(evaluation.errors()).containsExactly(
                "needs-ticket@1.0.0#ticket: key 'ticket' is not present in map");
    }

    @Test
    void providerAndEnvironmentSelectorsNarrowABlueprintForEveryKind() {
        registry.load(file("teams.yaml", TEAMS));
        String text = """
                apiVersion: mandate.dev/v1
                kind: Blueprint
                metadata: {name: azure-prod, version: 1.0.0, owner: team-platform}
                spec:
                  appliesTo: {providers: [azure], environments: [prod]}
                  constraints:
                    - {id: any, when: 'true', effect: require-approval, message: every azure prod change is reviewed}
                """;
        registry.load(file("azure.yaml", text));
        Element sql = Fixtures.element("azure:sql:database:sub-1:rg-1:srv/db", "prod", "team-data", Map.of());
        Element devSql = Fixtures.element("azure:sql:database:sub-1:rg-1:srv/dev", "dev", "team-data", Map.of());

        assertThat(registry.evaluate(context(sql, human("a"), Action.UPDATE)).matches()).hasSize(1);
        assertThat(registry.evaluate(context(devSql, human("a"), Action.UPDATE)).matches()).isEmpty();
        assertThat(registry.evaluate(context(rds("prod"), human("a"), Action.UPDATE)).matches()).isEmpty();
    }

    @Test
    void validateReportsProblemsWithoutLoading() {
        registry.load(file("teams.yaml", TEAMS));

        assertThat(registry.validate("data.yaml", DATA_STORES)).isEmpty();
        assertThat(registry.validate("data.yaml", DATA_STORES.replace("owner: team-platform", "owner: team-x")))
                .extracting(Problem::message)
                .containsExactly("blueprint 'prod-data-store': owner 'team-x' is not a known team");
        assertThat(registry.policy().blueprints()).isEmpty();
        assertThat(evidence.types()).isEmpty();
    }

    @Test
    void aMalformedWaiverRejectsItsFileWithEveryProblem() {
        registry.load(file("teams.yaml", TEAMS));
        String text = DATA_STORES + """
                ---
                apiVersion: mandate.dev/v1
                kind: Waiver
                metadata: {name: w, version: 1.0.0}
                spec: {anything: goes}
                """;

        IntentRegistry.LoadResult result = registry.load(file("data.yaml", text));

        assertThat(result.outcome()).isEqualTo(IntentRegistry.Outcome.REJECTED);
        assertThat(result.problems()).extracting(Problem::message).contains(
                "waiver 'w': metadata.owner is missing: every document has an owning team",
                "unknown field 'anything' in a waiver spec (known: approvedBy, constraints, expiresAt, reason, selector)",
                "waiver 'w': expiresAt is missing: every waiver expires",
                "waiver 'w': approvedBy is missing: a waiver is approved by someone");
        assertThat(registry.policy().blueprints()).isEmpty();
    }

    @Test
    void nullAttributesReadAsAbsent() {
        registry.load(file("teams.yaml", TEAMS));
        String text = """
                apiVersion: mandate.dev/v1
                kind: Blueprint
                metadata: {name: owners, version: 1.0.0, owner: team-platform}
                spec:
                  constraints:
                    - id: owner
                      when: request.action == "create" && (!has(request.after.owner) || request.after.owner == "")
                      effect: deny
                      message: a new element needs an owner
                """;
        registry.load(file("owners.yaml", text));
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("owner", null);
        after.put("size", 3);

        Evaluation evaluation = registry.evaluate(context(rds("prod"), human("a"), Action.CREATE, after, Map.of(),
                dependents(0)));

        assertThat(evaluation.errors()).isEmpty();
        assertThat(evaluation.matches()).hasSize(1);
    }

    @Test
    void evaluationCostIsBounded() {
        registry.load(file("teams.yaml", TEAMS));
        String text = """
                apiVersion: mandate.dev/v1
                kind: Blueprint
                metadata: {name: costly, version: 1.0.0, owner: team-platform}
                spec:
                  constraints:
                    - id: scan
                      when: request.context.items.exists(x, request.context.items.exists(y, x + y < 0))
                      effect: deny
                      message: negative pair
                """;
        registry.load(file("costly.yaml", text));
        List<Long> items = java.util.stream.LongStream.range(0, 1_000).boxed().toList();

        Evaluation evaluation = registry.evaluate(context(rds("prod"), human("a"), Action.UPDATE, Map.of(),
                Map.of("items", items), dependents(0)));

        assertThat(evaluation.matches()).isEmpty();
        assertThat(evaluation.errors()).singleElement().asString().startsWith("costly@1.0.0#scan: ")
                .containsIgnoringCase("iteration");
    }

    /** {@code isPublicCidr(cidr)}: whether a CIDR is 0.0.0.0/0 or ::/0. */
    private static final class IsPublicCidr implements ConstraintFunction {
        @Override
        public String name() {
            return "isPublicCidr";
        }

        @Override
        public List<ValueType> parameters() {
            return List.of(ValueType.DYN);
        }

        @Override
        public ValueType result() {
            return ValueType.BOOL;
        }

        @Override
        public Object apply(List<Object> arguments) {
            Object cidr = arguments.get(0);
            return "0.0.0.0/0".equals(cidr) || "::/0".equals(cidr);
        }
    }
}
