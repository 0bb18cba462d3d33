package dev.mandate.kernel.intent.internal;

import static dev.mandate.kernel.intent.internal.Fixtures.DATA_STORES;
import static dev.mandate.kernel.intent.internal.Fixtures.TEAMS;
import static dev.mandate.kernel.intent.internal.Fixtures.ai;
import static dev.mandate.kernel.intent.internal.Fixtures.file;
import static dev.mandate.kernel.intent.internal.Fixtures.human;
import static dev.mandate.kernel.intent.internal.Fixtures.rds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.mandate.api.decision.Action;
import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Actor;
import dev.mandate.api.intent.Effect;
import dev.mandate.api.intent.ElementOwnership;
import dev.mandate.api.intent.Evaluation;
import dev.mandate.api.intent.EvaluationContext;
import dev.mandate.api.intent.Notice;
import dev.mandate.api.intent.RuleMatch;
import dev.mandate.api.intent.ShadowReport;
import dev.mandate.api.model.BlastRadius;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.ElementPage;
import dev.mandate.api.model.ElementQuery;
import dev.mandate.api.model.ModelSnapshot;
import dev.mandate.api.model.Relation;
import dev.mandate.api.model.RelationType;
import dev.mandate.kernel.intent.Problem;

/** Waivers, freeze windows, ownership, variations, structure, data flows, enforcement modes and shadow versions. */
class GovernanceTest {

    private static final String TEAMS_MORE = """
            apiVersion: mandate.dev/v1
            kind: Team
            metadata: {name: team-payments, version: 1.0.0}
            spec: {displayName: Payments, groups: [grp-payments-engineers]}
            ---
            apiVersion: mandate.dev/v1
            kind: Team
            metadata: {name: team-security, version: 1.0.0}
            spec: {displayName: Security}
            """;

    private final Fixtures.Recorder evidence = new Fixtures.Recorder();
    private final IntentRegistry registry = new IntentRegistry(evidence);

    private void load(String name, String text) {
        IntentRegistry.LoadResult result = registry.load(file(name, text));
        assertThat(result.problems()).isEmpty();
    }

    private static EvaluationContext at(Element target, Actor actor, Action action, Map<String, Object> after,
            Map<String, Object> context, Instant now) {
        return new EvaluationContext(target, new ActionRequest(actor, action, target.id(), "test", Map.of(), after,
                context), BlastRadius.none(target.owner(), target.environment(), target.trustZone()), now);
    }

    private static EvaluationContext at(Element target, Actor actor, Action action, Instant now) {
        return at(target, actor, action, Map.of(), Map.of(), now);
    }

    // ---- waivers

    private static final String WAIVER = """
            apiVersion: mandate.dev/v1
            kind: Waiver
            metadata: {name: orders-migration, version: 1.0.0, owner: team-payments}
            spec:
              selector: {ids: ["aws:rds:db-instance:eu-west-1:111122223333:orders-prod"]}
              constraints: [prod-data-store#no-ai-delete]
              approvedBy: carol
              reason: migration agent retires the old instance (CHG-1234)
              expiresAt: 2026-12-01T00:00:00Z
            """;

    @Test
    void aLiveWaiverSetsItsMatchAsideAndSaysSo() {
        load("teams.yaml", TEAMS + "---\n" + TEAMS_MORE);
        load("data.yaml", DATA_STORES);
        load("waiver.yaml", WAIVER);

        Evaluation waived = registry.evaluate(at(rds("prod"), ai("agent-7"), Action.DELETE, Fixtures.NOW));

        assertThat(waived.matches()).extracting(RuleMatch::source).doesNotContain("prod-data-store@1.0.0#no-ai-delete");
        assertThat(waived.notices()).singleElement().satisfies(notice -> {
            assertThat(notice.kind()).isEqualTo(Notice.Kind.WAIVED);
            assertThat(notice.kind().toString()).isEqualTo("waived");
            assertThat(notice.source()).isEqualTo("waiver:orders-migration@1.0.0");
            assertThat(notice.match().source()).isEqualTo("prod-data-store@1.0.0#no-ai-delete");
            assertThat(notice.message()).contains("approved by 'carol'", "2026-12-01T00:00:00Z", "CHG-1234");
        });
        assertThat(evidence.types()).contains(IntentRegistry.DOCUMENT_LOADED);
    }

    @Test
    void anExpiredWaiverOrAnotherElementIsNotWaived() {
        load("teams.yaml", TEAMS + "---\n" + TEAMS_MORE);
        load("data.yaml", DATA_STORES);
        load("waiver.yaml", WAIVER);

        Evaluation expired = registry.evaluate(at(rds("prod"), ai("agent-7"), Action.DELETE,
                Instant.parse("2026-12-01T00:00:00Z")));
        assertThat(expired.matches()).extracting(RuleMatch::source).contains("prod-data-store@1.0.0#no-ai-delete");
        assertThat(expired.notices()).isEmpty();

        Element other = Fixtures.element("aws:rds:db-instance:eu-west-1:111122223333:billing-prod", "prod",
                "team-payments", Map.of());
        Evaluation elsewhere = registry.evaluate(at(other, ai("agent-7"), Action.DELETE, Fixtures.NOW));
        assertThat(elsewhere.matches()).extracting(RuleMatch::source).contains("prod-data-store@1.0.0#no-ai-delete");
    }

    @Test
    void aWaiverNeedsAKnownOwnerAndWellFormedRuleReferences() {
        load("teams.yaml", TEAMS);
        List<Problem> problems = registry.validate("waiver.yaml", WAIVER.replace("[prod-data-store#no-ai-delete]",
                "[prod-data-store]"));
        assertThat(problems).extracting(Problem::message).containsExactly(
                "waiver 'orders-migration': 'prod-data-store' is not a rule reference (<blueprint>#<constraint>, "
                        + "<blueprint>#* or freeze:<name>)");
        assertThat(registry.validate("waiver.yaml", WAIVER)).extracting(Problem::message).containsExactly(
                "waiver 'orders-migration': owner 'team-payments' is not a known team");
    }

    // ---- freeze windows

    private static final String FREEZE = """
            apiVersion: mandate.dev/v1
            kind: FreezeWindow
            metadata: {name: year-end, version: 1.0.0, owner: team-platform}
            spec:
              selector: {environments: [prod]}
              actions: [changes]
              effect: deny
              windows:
                - {from: 2026-12-20T00:00:00Z, to: 2027-01-04T00:00:00Z}
                - weekly: {days: [fri], from: "16:00", to: "08:00", timeZone: Europe/Berlin}
              message: year-end and weekend change freeze
            """;

    @Test
    void aFreezeWindowDeniesWhileOpen() {
        load("teams.yaml", TEAMS);
        load("freeze.yaml", FREEZE);

        Evaluation holiday = registry.evaluate(at(rds("prod"), human("alice"), Action.UPDATE,
                Instant.parse("2026-12-24T12:00:00Z")));
        assertThat(holiday.matches()).singleElement().satisfies(match -> {
            assertThat(match.source()).isEqualTo("freeze:year-end@1.0.0");
            assertThat(match.effect()).isEqualTo(Effect.DENY);
            assertThat(match.message()).contains("from 2026-12-20T00:00:00Z to 2027-01-04T00:00:00Z",
                    "year-end and weekend change freeze");
        });
        // Friday 2026-11-27 17:00 in Berlin (16:00 UTC), and the early hours of Saturday
        assertThat(registry.evaluate(at(rds("prod"), human("alice"), Action.RESTART,
                Instant.parse("2026-11-27T16:00:00Z"))).matches()).extracting(RuleMatch::source)
                .containsExactly("freeze:year-end@1.0.0");
        assertThat(registry.evaluate(at(rds("prod"), human("alice"), Action.RESTART,
                Instant.parse("2026-11-28T06:00:00Z"))).matches()).hasSize(1);
    }

    @Test
    void aFreezeWindowDoesNotFireWhenClosedOnOtherEnvironmentsOrForReads() {
        load("teams.yaml", TEAMS);
        load("freeze.yaml", FREEZE);

        assertThat(registry.evaluate(at(rds("prod"), human("alice"), Action.UPDATE,
                Instant.parse("2026-11-27T14:00:00Z"))).matches()).isEmpty();
        assertThat(registry.evaluate(at(rds("prod"), human("alice"), Action.UPDATE,
                Instant.parse("2026-11-28T07:30:00Z"))).matches()).isEmpty();
        assertThat(registry.evaluate(at(rds("dev"), human("alice"), Action.UPDATE,
                Instant.parse("2026-12-24T12:00:00Z"))).matches()).isEmpty();
        assertThat(registry.evaluate(at(rds("prod"), human("alice"), Action.READ,
                Instant.parse("2026-12-24T12:00:00Z"))).matches()).isEmpty();
    }

    @Test
    void aWaiverCanLiftAFreezeForOneElement() {
        load("teams.yaml", TEAMS + "---\n" + TEAMS_MORE);
        load("freeze.yaml", FREEZE);
        load("waiver.yaml", WAIVER.replace("[prod-data-store#no-ai-delete]", "[\"freeze:year-end\"]")
                .replace("2026-12-01", "2027-01-01"));

        Evaluation evaluation = registry.evaluate(at(rds("prod"), human("alice"), Action.UPDATE,
                Instant.parse("2026-12-24T12:00:00Z")));

        assertThat(evaluation.matches()).isEmpty();
        assertThat(evaluation.notices()).extracting(Notice::source).containsExactly("waiver:orders-migration@1.0.0");
    }

    // ---- ownership

    private static final String OWNERSHIP = """
            apiVersion: mandate.dev/v1
            kind: Ownership
            metadata: {name: org-ownership, version: 1.2.0, owner: team-platform}
            spec:
              rules:
                - id: payments-prod-data
                  selector: {providers: [aws], accounts: ["111122223333"], kinds: ["aws:rds:*"], labels: {cost-center: payments}}
                  accountable: team-payments
                  responsible: [team-platform]
                  consulted: [team-security]
                - id: prod-account
                  selector: {accounts: ["111122223333"]}
                  accountable: team-platform
            """;

    @Test
    void ownershipRulesNameTheAccountableTeamAndTheRuleThatMatched() {
        load("teams.yaml", TEAMS + "---\n" + TEAMS_MORE);
        load("ownership.yaml", OWNERSHIP);
        Element labelled = new Element("aws:rds:db-instance:eu-west-1:111122223333:orders-prod", "aws:rds:db-instance",
                "aws", "prod", "eu-internal", "team-web", Map.of("cost-center", "payments"), Map.of(), Map.of());
        Element plain = new Element("aws:ec2:instance:eu-west-1:111122223333:i-1", "aws:ec2:instance", "aws", "prod",
                "eu-internal", null, Map.of(), Map.of(), Map.of());
        Element elsewhere = new Element("aws:ec2:instance:eu-west-1:444455556666:i-2", "aws:ec2:instance", "aws",
                "dev", "eu-internal", null, Map.of(), Map.of(), Map.of());

        assertThat(registry.ownership(labelled)).contains(new ElementOwnership("team-payments", List.of("team-platform"),
                List.of("team-security"), "ownership:org-ownership@1.2.0#payments-prod-data"));
        assertThat(registry.ownership(plain)).map(ElementOwnership::accountable).contains("team-platform");
        assertThat(registry.ownership(elsewhere)).isEmpty();
    }

    @Test
    void ownershipRulesNamingUnknownTeamsAreRejected() {
        load("teams.yaml", TEAMS);
        IntentRegistry.LoadResult result = registry.load(file("ownership.yaml", OWNERSHIP));
        assertThat(result.outcome()).isEqualTo(IntentRegistry.Outcome.REJECTED);
        assertThat(result.problems()).extracting(Problem::message).contains(
                "ownership 'org-ownership': rule 'payments-prod-data' names 'team-payments', which is not a known team");
    }

    // ---- variations and structure

    private static final String SHAPED = """
            apiVersion: mandate.dev/v1
            kind: Blueprint
            metadata: {name: shaped-db, version: 1.0.0, owner: team-platform}
            spec:
              appliesTo: {kinds: [aws:rds:db-instance], environments: [prod]}
              variations:
                onViolation: require-approval
                attributes:
                  storageEncrypted: {equals: true}
                  instanceClass: {oneOf: [db.r6g.large, db.r6g.xlarge]}
                  allocatedStorage: {range: {min: 20, max: 1000}, optional: true}
                  engine: {pattern: "postgres|aurora-postgresql"}
              structure:
                requires: [{relation: BACKED_UP_BY, kind: aws:backup:plan}]
            """;

    @Test
    void aChangeOutsideTheVariationsIsCaughtWithAttributeAllowedAndProposed() {
        load("teams.yaml", TEAMS);
        load("shaped.yaml", SHAPED);

        Evaluation update = registry.evaluate(at(rds("prod"), human("alice"), Action.UPDATE,
                Map.of("instanceClass", "db.t3.micro", "allocatedStorage", 5000), Map.of(), Fixtures.NOW));

        assertThat(update.matches()).extracting(RuleMatch::source).containsExactly(
                "shaped-db@1.0.0#variation:instanceClass", "shaped-db@1.0.0#variation:allocatedStorage");
        assertThat(update.matches().get(0).effect()).isEqualTo(Effect.REQUIRE_APPROVAL);
        assertThat(update.matches().get(0).message()).isEqualTo("attribute 'instanceClass' would be 'db.t3.micro' "
                + "but shaped-db@1.0.0 allows one of db.r6g.large, db.r6g.xlarge");
        assertThat(update.matches().get(1).message()).contains("'5000'", "between 20 and 1000");
    }

    @Test
    void aChangeWithinTheVariationsOrNotTouchingThemPasses() {
        load("teams.yaml", TEAMS);
        load("shaped.yaml", SHAPED);

        assertThat(registry.evaluate(at(rds("prod"), human("alice"), Action.UPDATE,
                Map.of("instanceClass", "db.r6g.xlarge", "allocatedStorage", 200), Map.of(), Fixtures.NOW))
                .matches()).isEmpty();
        // the element itself is not encrypted-checked on an update that does not touch it
        assertThat(registry.evaluate(at(rds("prod"), human("alice"), Action.UPDATE, Map.of("tags", Map.of("a", "b")),
                Map.of(), Fixtures.NOW)).matches()).isEmpty();
    }

    @Test
    void aCreateIsCheckedOnEverythingAndMustDeclareItsRequiredRelations() {
        load("teams.yaml", TEAMS);
        load("shaped.yaml", SHAPED);
        Map<String, Object> attributes = Map.of("storageEncrypted", false, "instanceClass", "db.r6g.large",
                "engine", "mysql");
        Element proposed = Fixtures.element("aws:rds:db-instance:eu-west-1:111122223333:new-prod", "prod",
                "team-payments", attributes);

        Evaluation bare = registry.evaluate(at(proposed, human("alice"), Action.CREATE, attributes, Map.of(),
                Fixtures.NOW));
        assertThat(bare.matches()).extracting(RuleMatch::source).containsExactly(
                "shaped-db@1.0.0#variation:storageEncrypted", "shaped-db@1.0.0#variation:engine",
                "shaped-db@1.0.0#structure:BACKED_UP_BY:aws:backup:plan");

        Map<String, Object> good = Map.of("storageEncrypted", true, "instanceClass", "db.r6g.large",
                "engine", "postgres");
        Element fine = Fixtures.element(proposed.id(), "prod", "team-payments", good);
        Evaluation declared = registry.evaluate(at(fine, human("alice"), Action.CREATE, good,
                Map.of("relations", List.of(Map.of("type", "BACKED_UP_BY",
                        "to", "aws:backup:plan:eu-west-1:111122223333:daily"))), Fixtures.NOW));
        assertThat(declared.matches()).isEmpty();
    }

    @Test
    void deletingTheOnlyRequiredNeighbourBreaksTheNeighboursBlueprint() {
        load("teams.yaml", TEAMS);
        load("shaped.yaml", SHAPED);
        Element db = rds("prod");
        Element plan = Fixtures.element("aws:backup:plan:eu-west-1:111122223333:daily", "prod", "team-platform",
                Map.of());
        Element second = Fixtures.element("aws:backup:plan:eu-west-1:111122223333:weekly", "prod", "team-platform",
                Map.of());
        FakeModel model = new FakeModel(List.of(db, plan, second),
                List.of(new Relation(RelationType.BACKED_UP_BY, db.id(), plan.id(), Map.of())));
        registry.useModel(() -> model);

        Evaluation delete = registry.evaluate(at(plan, human("alice"), Action.DELETE, Fixtures.NOW));
        assertThat(delete.matches()).singleElement().satisfies(match -> {
            assertThat(match.source()).isEqualTo("shaped-db@1.0.0#structure:BACKED_UP_BY:aws:backup:plan");
            assertThat(match.message()).isEqualTo("deleting '" + plan.id() + "' leaves '" + db.id()
                    + "' without a BACKED_UP_BY relation to a aws:backup:plan, which shaped-db@1.0.0 requires");
        });

        model.relations.add(new Relation(RelationType.BACKED_UP_BY, db.id(), second.id(), Map.of()));
        assertThat(registry.evaluate(at(plan, human("alice"), Action.DELETE, Fixtures.NOW)).matches()).isEmpty();
    }

    @Test
    void theSnapshotInTheContextWinsOverTheCurrentModel() {
        load("teams.yaml", TEAMS);
        load("shaped.yaml", SHAPED);
        Element db = rds("prod");
        Element plan = Fixtures.element("aws:backup:plan:eu-west-1:111122223333:daily", "prod", "team-platform",
                Map.of());
        registry.useModel(() -> new FakeModel(List.of(db, plan), List.of()));
        FakeModel decisionRevision = new FakeModel(List.of(db, plan),
                List.of(new Relation(RelationType.BACKED_UP_BY, db.id(), plan.id(), Map.of())));

        EvaluationContext context = new EvaluationContext(plan, new ActionRequest(human("alice"), Action.DELETE,
                plan.id(), "test", Map.of(), Map.of(), Map.of()), BlastRadius.none(plan.owner(), "prod", "eu-internal"),
                Fixtures.NOW, decisionRevision);

        assertThat(registry.evaluate(context).matches()).extracting(RuleMatch::source)
                .containsExactly("shaped-db@1.0.0#structure:BACKED_UP_BY:aws:backup:plan");
    }

    // ---- data flows

    private static final String FLOWS = """
            apiVersion: mandate.dev/v1
            kind: Blueprint
            metadata: {name: residency, version: 1.0.0, owner: team-platform}
            spec:
              dataFlows:
                - id: eu-personal-stays
                  from: {trustZones: ["eu-*"]}
                  to: {notTrustZones: ["eu-*"]}
                  classifications: [personal]
                  effect: deny
                  message: EU personal data stays in EU trust zones
                - id: purpose-across-zones
                  from: {trustZones: ["eu-internal"]}
                  to: {notTrustZones: ["eu-internal"]}
                  requirePurpose: true
                  effect: require-approval
                  message: a flow across trust zones needs a declared purpose
            """;

    @Test
    void dataFlowsAcrossTrustZonesAreCaught() {
        load("teams.yaml", TEAMS);
        load("flows.yaml", FLOWS);
        Element db = rds("prod");

        Evaluation toUs = registry.evaluate(at(db, human("alice"), Action.UPDATE, Map.of(), Map.of("flow", Map.of(
                "type", "FLOWS_DATA_TO", "to", "aws:s3:bucket:us-east-1:111122223333:analytics",
                "toTrustZone", "us-internal", "classification", List.of("personal"))), Fixtures.NOW));
        assertThat(toUs.matches()).extracting(RuleMatch::source).containsExactly(
                "residency@1.0.0#dataflow:eu-personal-stays", "residency@1.0.0#dataflow:purpose-across-zones");
        assertThat(toUs.matches().get(0).message()).isEqualTo("EU personal data stays in EU trust zones: personal data "
                + "from '" + db.id() + "' (eu-internal) to 'aws:s3:bucket:us-east-1:111122223333:analytics' "
                + "(us-internal) with no declared purpose");
    }

    @Test
    void dataFlowsWithinTheZoneOrWithAPurposePassAndUnknownZonesFailClosed() {
        load("teams.yaml", TEAMS);
        load("flows.yaml", FLOWS);
        Element db = rds("prod");

        assertThat(registry.evaluate(at(db, human("alice"), Action.UPDATE, Map.of(), Map.of("flow", Map.of(
                "to", "x:y:z:a", "toTrustZone", "eu-restricted", "classification", "personal",
                "purpose", "fraud screening (DPA-77)")), Fixtures.NOW)).matches()).isEmpty();
        assertThat(registry.evaluate(at(db, human("alice"), Action.UPDATE, Map.of(), Map.of("flow", Map.of(
                "to", "x:y:z:a", "toTrustZone", "us-internal", "classification", "public",
                "purpose", "status page")), Fixtures.NOW)).matches()).isEmpty();
        Evaluation unknown = registry.evaluate(at(db, human("alice"), Action.UPDATE, Map.of(), Map.of("flow", Map.of(
                "to", "aws:s3:bucket:us-east-1:1:nowhere", "classification", "personal")), Fixtures.NOW));
        assertThat(unknown.errors()).singleElement().asString().contains("trust zone of 'aws:s3:bucket:us-east-1:1:nowhere'");
    }

    @Test
    void constraintsReadTheAttributesTheIdentityProviderAsserts() {
        load("teams.yaml", TEAMS);
        load("clearance.yaml", """
                apiVersion: mandate.dev/v1
                kind: Blueprint
                metadata: {name: clearance, version: 1.0.0, owner: team-platform}
                spec:
                  constraints:
                    - id: restricted-needs-clearance
                      when: request.action == "read" && (!has(actor.attributes.clearance) || actor.attributes.clearance < 3)
                      effect: deny
                      message: 'clearance ${has(actor.attributes.clearance) ? string(actor.attributes.clearance) : "none"} is below 3'
                """);
        Actor cleared = new Actor("bob", dev.mandate.api.decision.ActorKind.HUMAN, "team-payments", List.of(), null,
                "mfa", Map.of("clearance", 4));
        Actor low = new Actor("eve", dev.mandate.api.decision.ActorKind.HUMAN, "team-payments", List.of(), null,
                "mfa", Map.of("clearance", 1));

        assertThat(registry.evaluate(at(rds("prod"), cleared, Action.READ, Fixtures.NOW)).matches()).isEmpty();
        assertThat(registry.evaluate(at(rds("prod"), low, Action.READ, Fixtures.NOW)).matches())
                .extracting(RuleMatch::message).containsExactly("clearance 1 is below 3");
        assertThat(registry.evaluate(at(rds("prod"), human("alice"), Action.READ, Fixtures.NOW)).matches())
                .extracting(RuleMatch::message).containsExactly("clearance none is below 3");
    }

    // ---- enforcement modes

    @Test
    void warnAndAuditMatchesBecomeNoticesAndDoNotCount() {
        load("teams.yaml", TEAMS);
        load("data.yaml", DATA_STORES.replace("\n  constraints:", "\n  enforcement: audit\n  constraints:")
                .replace("      effect: deny\n", "      effect: deny\n      enforcement: warn\n"));

        Evaluation evaluation = registry.evaluate(Fixtures.context(rds("prod"), ai("agent-7"), Action.DELETE,
                Map.of(), Map.of(), Fixtures.dependents(2, "team-web")));

        assertThat(evaluation.matches()).isEmpty();
        assertThat(evaluation.notices()).extracting(Notice::kind).containsExactly(Notice.Kind.WARN, Notice.Kind.AUDIT);
        assertThat(evaluation.notices().get(0).obligations()).singleElement().asString().startsWith("warning: AI agent");
        assertThat(evaluation.notices().get(1).obligations()).isEmpty();
    }

    @Test
    void anUnknownEnforcementModeIsRejected() {
        load("teams.yaml", TEAMS);
        assertThat(registry.validate("d.yaml", DATA_STORES.replace("\n  constraints:",
                "\n  enforcement: loud\n  constraints:"))).extracting(Problem::message)
                .containsExactly("blueprint 'prod-data-store': unknown enforcement mode 'loud' (known: audit, warn, enforce)");
    }

    // ---- shadow versions

    private static String shadowV2() {
        return DATA_STORES.replace("version: 1.0.0", "version: 2.0.0")
                .replace("metadata: {", "metadata: {annotations: {mandate.dev/shadow: \"true\"}, ")
                .replace("actor.kind == \"AI\"", "actor.kind != \"SYSTEM\"");
    }

    @Test
    void aShadowVersionIsEvaluatedBesideTheOneInForceAndPromotedAtomically() {
        load("teams.yaml", TEAMS);
        load("data.yaml", DATA_STORES);
        load("data-v2.yaml", shadowV2());
        assertThat(registry.policy().blueprints().get("prod-data-store").info().version()).isEqualTo("1.0.0");
        assertThat(registry.policy().shadows()).containsOnlyKeys("prod-data-store");

        Evaluation human = registry.evaluate(at(rds("prod"), human("alice"), Action.DELETE, Fixtures.NOW));
        Evaluation agent = registry.evaluate(at(rds("prod"), ai("agent-7"), Action.DELETE, Fixtures.NOW));

        assertThat(human.matches()).isEmpty();
        assertThat(human.applicable()).containsExactly("prod-data-store@1.0.0");
        assertThat(agent.matches()).extracting(RuleMatch::source).containsExactly("prod-data-store@1.0.0#no-ai-delete");
        ShadowReport report = registry.shadowReport("prod-data-store").orElseThrow();
        assertThat(report.inForce()).isEqualTo("1.0.0");
        assertThat(report.shadow()).isEqualTo("2.0.0");
        assertThat(report.evaluations()).isEqualTo(2);
        assertThat(report.differences()).singleElement().satisfies(difference -> {
            assertThat(difference.actor()).isEqualTo("alice");
            assertThat(difference.inForceEffect()).isEqualTo("none");
            assertThat(difference.shadowEffect()).isEqualTo("deny");
            assertThat(difference.shadowMatches()).containsExactly("prod-data-store#no-ai-delete deny");
        });

        registry.promote("prod-data-store");

        assertThat(registry.policy().blueprints().get("prod-data-store").info().version()).isEqualTo("2.0.0");
        assertThat(registry.policy().shadows()).isEmpty();
        assertThat(registry.evaluate(at(rds("prod"), human("alice"), Action.DELETE, Fixtures.NOW)).matches())
                .extracting(RuleMatch::source).containsExactly("prod-data-store@2.0.0#no-ai-delete");
        assertThat(evidence.last()).containsEntry("type", IntentRegistry.PROMOTED).containsEntry("version", "2.0.0")
                .containsEntry("previousVersion", "1.0.0");
        assertThatThrownBy(() -> registry.promote("prod-data-store")).hasMessage(
                "blueprint 'prod-data-store' has no shadow version");
    }

    @Test
    void aPackMayCarryAShadowVersionBesideTheOneInForce() {
        load("teams.yaml", TEAMS);
        IntentRegistry.LoadResult result = registry.load(Fixtures.bundle("dev.example.pack", Map.of(
                "blueprints/data.yaml", DATA_STORES, "blueprints/data-v2.yaml", shadowV2()
                        .replace("annotations: {mandate.dev/shadow: \"true\"}, ", "")
                        .replace("spec:\n", "spec:\n  rollout: shadow\n"))));

        assertThat(result.problems()).isEmpty();
        assertThat(registry.policy().blueprints().get("prod-data-store").info().version()).isEqualTo("1.0.0");
        assertThat(registry.policy().shadows().get("prod-data-store").info().version()).isEqualTo("2.0.0");
        assertThat(evidence.records).filteredOn(record -> Boolean.TRUE.equals(record.get("shadow")))
                .extracting(record -> record.get("version")).containsExactly("2.0.0");
    }

    @Test
    void aShadowVersionMustBeHigherThanTheOneInForce() {
        load("teams.yaml", TEAMS);
        load("data.yaml", DATA_STORES);
        IntentRegistry.LoadResult result = registry.load(file("data-v0.yaml",
                shadowV2().replace("version: 2.0.0", "version: 0.9.0")));
        assertThat(result.outcome()).isEqualTo(IntentRegistry.Outcome.REJECTED);
        assertThat(result.problems()).extracting(Problem::message).containsExactly(
                "shadow version '0.9.0' of blueprint 'prod-data-store' is not higher than the version '1.0.0' in force");
        assertThat(registry.shadowReport("prod-data-store")).isEmpty();
    }

    /** A model of a few elements and relations. */
    private static final class FakeModel implements ModelSnapshot {
        final List<Element> elements;
        final List<Relation> relations;

        FakeModel(List<Element> elements, List<Relation> relations) {
            this.elements = elements;
            this.relations = new ArrayList<>(relations);
        }

        @Override
        public long revision() {
            return 1;
        }

        @Override
        public int size() {
            return elements.size();
        }

        @Override
        public Optional<Element> element(String id) {
            return elements.stream().filter(e -> e.id().equals(id)).findFirst();
        }

        @Override
        public ElementPage query(ElementQuery query) {
            throw new UnsupportedOperationException("not used");
        }

        @Override
        public List<Relation> outgoing(String id) {
            return relations.stream().filter(r -> r.from().equals(id)).toList();
        }

        @Override
        public List<Relation> incoming(String id) {
            return relations.stream().filter(r -> r.to().equals(id)).toList();
        }

        @Override
        public BlastRadius blastRadius(String id, Set<RelationType> over, int cap) {
            throw new UnsupportedOperationException("not used");
        }
    }
}
