package dev.mandate.blueprints.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.jar.Manifest;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.mandate.api.decision.Action;
import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Actor;
import dev.mandate.api.decision.ActorKind;
import dev.mandate.api.decision.AgentInfo;
import dev.mandate.api.intent.BlueprintInfo;
import dev.mandate.api.intent.Effect;
import dev.mandate.api.intent.Evaluation;
import dev.mandate.api.intent.EvaluationContext;
import dev.mandate.api.intent.RuleMatch;
import dev.mandate.api.intent.TargetDrift;
import dev.mandate.api.model.BlastRadius;
import dev.mandate.api.model.Element;
import dev.mandate.blueprints.testing.PackHarness;
import dev.mandate.kernel.intent.internal.IntentRegistry;

/**
 * Loads every document of the pack through the real loader (YAML, CEL, the all-or-nothing rules),
 * then shows for each rule a request that fires it and a close one that does not.
 */
class BaselinePackTest {

    private static final String BUNDLE = "dev.mandate.blueprints.baseline";
    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

    private static final Element ORDERS_DB = element("aws:rds:db-instance:eu-west-1:111122223333:orders-prod", "prod",
            "team-payments", Map.of(), Map.of("engine", "postgres", "storageEncrypted", true));
    private static final Element ORDERS_DB_DEV = element("aws:rds:db-instance:eu-west-1:111122223333:orders-dev", "dev",
            "team-payments", Map.of(), Map.of("engine", "postgres"));
    private static final Element WEB_VM = element("aws:ec2:instance:eu-west-1:111122223333:i-0abc", "prod", "team-web",
            Map.of(), Map.of());

    private List<String> evidence;
    private IntentRegistry registry;

    @BeforeEach
    void loadThePack() {
        PackHarness pack = new PackHarness(BUNDLE);
        registry = pack.registry;
        evidence = pack.evidence;
    }

    @Test
    void thePackDeclaresItsTeamAndBlueprints() {
        assertThat(registry.teams()).singleElement().satisfies(team -> {
            assertThat(team.id()).isEqualTo("team-platform");
            assertThat(team.groups()).containsExactly("grp-platform-engineers");
        });
        assertThat(registry.blueprints()).extracting(BlueprintInfo::ref).containsExactly(
                "baseline-ai-limits@1.0.0", "baseline-data-protection@1.0.0", "baseline-dependents@1.0.0",
                "baseline-drift@1.0.0", "baseline-ownership@1.1.0");
        assertThat(registry.blueprints()).allSatisfy(info -> {
            assertThat(info.owner()).isEqualTo("team-platform");
            assertThat(info.description()).isNotBlank();
        });
        assertThat(evidence).containsExactlyInAnyOrder("blueprint.loaded baseline-ai-limits",
                "blueprint.loaded baseline-data-protection", "blueprint.loaded baseline-dependents",
                "blueprint.loaded baseline-drift", "blueprint.loaded baseline-ownership");
    }

    @Test
    void theBundleCarriesTheExtenderHeader() throws IOException {
        Path manifest = Path.of("target/classes/META-INF/MANIFEST.MF");
        try (InputStream in = Files.newInputStream(manifest)) {
            assertThat(new Manifest(in).getMainAttributes().getValue("Mandate-Blueprints")).isEqualTo("blueprints");
        }
    }

    // --- baseline-ai-limits ---

    @Test
    void anAgentThatDoesNotDeclareItselfIsDenied() {
        Actor anonymous = new Actor("agent-x", ActorKind.AI, "team-payments", List.of(), new AgentInfo("gpt-x", ""),
                null);

        assertThat(fired(request(ORDERS_DB, anonymous, Action.RESTART), "baseline-ai-limits@1.0.0#declare-agent"))
                .satisfies(match -> {
                    assertThat(match.effect()).isEqualTo(Effect.DENY);
                    assertThat(match.message()).contains("agent-x").contains("'gpt-x'");
                });
        assertNotFired(request(ORDERS_DB, agent("agent-7"), Action.RESTART), "baseline-ai-limits@1.0.0#declare-agent");
    }

    @Test
    void anAgentMayNotDeleteAProductionDataStore() {
        RuleMatch match = fired(request(ORDERS_DB, agent("agent-7"), Action.DELETE),
                "baseline-ai-limits@1.0.0#no-ai-delete-prod-data");

        assertThat(match.effect()).isEqualTo(Effect.DENY);
        assertThat(match.severity()).isEqualTo("critical");
        assertThat(match.message()).isEqualTo("AI agent 'agent-7' may not delete production data store "
                + ORDERS_DB.id() + " (aws:rds:db-instance); a human must make this change");
        assertNotFired(request(ORDERS_DB, human("alice"), Action.DELETE),
                "baseline-ai-limits@1.0.0#no-ai-delete-prod-data");
        assertNotFired(request(ORDERS_DB_DEV, agent("agent-7"), Action.DELETE),
                "baseline-ai-limits@1.0.0#no-ai-delete-prod-data");
        assertNotFired(request(WEB_VM, agent("agent-7"), Action.DELETE),
                "baseline-ai-limits@1.0.0#no-ai-delete-prod-data");
    }

    @Test
    void anAgentTouchingAWideBlastRadiusNeedsApproval() {
        RuleMatch match = fired(request(WEB_VM, agent("agent-7"), Action.UPDATE, Map.of(), Map.of(),
                radius(26, "team-orders", "team-web")), "baseline-ai-limits@1.0.0#ai-wide-blast-radius");

        assertThat(match.effect()).isEqualTo(Effect.REQUIRE_APPROVAL);
        assertThat(match.message()).contains("which 26 elements depend on").contains("team-orders, team-web");
        assertThat(match.obligations()).containsExactly("human-review");
        assertNotFired(request(WEB_VM, agent("agent-7"), Action.UPDATE, Map.of(), Map.of(), radius(25, "team-web")),
                "baseline-ai-limits@1.0.0#ai-wide-blast-radius");
        assertNotFired(request(WEB_VM, human("alice"), Action.UPDATE, Map.of(), Map.of(), radius(80, "team-web")),
                "baseline-ai-limits@1.0.0#ai-wide-blast-radius");
    }

    @Test
    void anAgentMayNotGrantAccessToItself() {
        Element role = element("aws:iam:role:global:111122223333:deployer", "prod", "team-platform", Map.of(),
                Map.of());

        RuleMatch match = fired(request(role, agent("agent-7"), Action.ACCESS_GRANT, Map.of(),
                Map.of("grantee", "agent-7"), radius(0)), "baseline-ai-limits@1.0.0#no-ai-self-grant");

        assertThat(match.effect()).isEqualTo(Effect.DENY);
        assertThat(match.message()).isEqualTo("AI agent 'agent-7' may not grant access to itself (on " + role.id()
                + ")");
        assertNotFired(request(role, agent("agent-7"), Action.ACCESS_GRANT, Map.of(), Map.of("grantee", "alice"),
                radius(0)), "baseline-ai-limits@1.0.0#no-ai-self-grant");
    }

    // --- baseline-dependents ---

    @Test
    void deletingWhatOthersDependOnNeedsApprovalNamingCountAndOwners() {
        RuleMatch match = fired(request(ORDERS_DB, human("alice"), Action.DELETE, Map.of(), Map.of(),
                radius(3, "team-orders", "team-payments")), "baseline-dependents@1.0.0#protect-dependents");

        assertThat(match.effect()).isEqualTo(Effect.REQUIRE_APPROVAL);
        assertThat(match.message()).isEqualTo("3 elements depend on " + ORDERS_DB.id()
                + " (owners: team-orders, team-payments; environments: prod); it cannot be deleted without approval");
        assertThat(match.obligations()).containsExactly("notify-dependent-owners");
        assertNotFired(request(ORDERS_DB, human("alice"), Action.DELETE, Map.of(), Map.of(), radius(0)),
                "baseline-dependents@1.0.0#protect-dependents");
        assertNotFired(request(ORDERS_DB, human("alice"), Action.UPDATE, Map.of(), Map.of(), radius(3, "team-a")),
                "baseline-dependents@1.0.0#protect-dependents");
    }

    @Test
    void replacingWhatOthersDependOnNeedsApprovalToo() {
        RuleMatch match = fired(request(ORDERS_DB, human("alice"), Action.REPLACE, Map.of(), Map.of(),
                radius(1, "team-orders")), "baseline-dependents@1.0.0#protect-dependents");

        assertThat(match.message()).endsWith("it cannot be replaced without approval");
    }

    // --- baseline-ownership ---

    @Test
    void creatingAnElementWithoutOwnerIsDenied() {
        Element unowned = element("aws:s3:bucket:eu-west-1:111122223333:new-bucket", "dev", null, Map.of(), Map.of());
        Element owned = element("aws:s3:bucket:eu-west-1:111122223333:new-bucket", "dev", "team-data", Map.of(),
                Map.of());

        RuleMatch match = fired(request(unowned, human("alice"), Action.CREATE, Map.of("versioning", true), Map.of(),
                radius(0)), "baseline-ownership@1.1.0#owner-on-create");

        assertThat(match.effect()).isEqualTo(Effect.DENY);
        assertThat(match.message()).isEqualTo("new aws:s3:bucket " + unowned.id()
                + " has no owner: name the owning team (owner) when creating it");
        assertNotFired(request(unowned, human("alice"), Action.CREATE, Map.of("owner", "team-data"), Map.of(),
                radius(0)), "baseline-ownership@1.1.0#owner-on-create");
        assertNotFired(request(owned, human("alice"), Action.CREATE, Map.of(), Map.of(), radius(0)),
                "baseline-ownership@1.1.0#owner-on-create");
    }

    @Test
    void changingAnUnownedElementIsDeniedUntilATeamClaimsIt() {
        Element legacy = element("vsphere:compute:vm:dc1:cluster-a:vm-1234", "prod", null, Map.of(), Map.of());

        RuleMatch match = fired(request(legacy, human("alice"), Action.RESTART),
                "baseline-ownership@1.1.0#unowned-change");

        assertThat(match.effect()).isEqualTo(Effect.DENY);
        assertThat(match.message()).isEqualTo(legacy.id() + " has no accountable owner, so no team holds a decision "
                + "right to restart it and nobody can approve it; it stays denied until a team claims it (an "
                + "Ownership rule naming it)");
        assertThat(match.obligations()).containsExactly("assign-owner");
        assertNotFired(request(legacy, human("alice"), Action.READ), "baseline-ownership@1.1.0#unowned-change");
        assertNotFired(request(WEB_VM, human("alice"), Action.RESTART), "baseline-ownership@1.1.0#unowned-change");
    }

    // --- baseline-data-protection ---

    @Test
    void switchingEncryptionAtRestOffIsDenied() {
        RuleMatch match = fired(request(ORDERS_DB, human("alice"), Action.UPDATE, Map.of("storageEncrypted", false),
                Map.of(), radius(0)), "baseline-data-protection@1.0.0#encryption-at-rest");

        assertThat(match.effect()).isEqualTo(Effect.DENY);
        assertThat(match.message()).isEqualTo("update of aws:rds:db-instance " + ORDERS_DB.id()
                + " would store data unencrypted (storageEncrypted: false, encrypted: -, encryption: -);"
                + " encryption at rest stays on");
        Element bucket = element("aws:s3:bucket:eu-west-1:111122223333:exports", "prod", "team-data", Map.of(),
                Map.of());
        fired(request(bucket, human("alice"), Action.CREATE, Map.of("owner", "team-data", "encryption", false),
                Map.of(), radius(0)), "baseline-data-protection@1.0.0#encryption-at-rest");
        assertNotFired(request(ORDERS_DB, human("alice"), Action.UPDATE, Map.of("storageEncrypted", true), Map.of(),
                radius(0)), "baseline-data-protection@1.0.0#encryption-at-rest");
        assertNotFired(request(ORDERS_DB, human("alice"), Action.UPDATE, Map.of("instanceClass", "db.r6g.large"),
                Map.of(), radius(0)), "baseline-data-protection@1.0.0#encryption-at-rest");
    }

    @Test
    void restrictedDataIsNeverMadePublic() {
        Element customers = element("azure:sql:database:0000-1111:rg-crm:crm-sql/customers", "prod", "team-data",
                Map.of(), Map.of("dataClassification", "Restricted"));

        RuleMatch match = fired(request(customers, human("alice"), Action.UPDATE,
                Map.of("publicNetworkAccess", "Enabled"), Map.of(), radius(0)),
                "baseline-data-protection@1.0.0#no-public-restricted-data");

        assertThat(match.effect()).isEqualTo(Effect.DENY);
        assertThat(match.severity()).isEqualTo("critical");
        assertThat(match.message()).isEqualTo(customers.id()
                + " holds Restricted data; this update would make it publicly accessible");
        fired(request(ORDERS_DB, human("alice"), Action.UPDATE,
                Map.of("publiclyAccessible", true, "dataClassification", "confidential"), Map.of(), radius(0)),
                "baseline-data-protection@1.0.0#no-public-restricted-data");
        assertNotFired(request(customers, human("alice"), Action.UPDATE, Map.of("publicNetworkAccess", "Disabled"),
                Map.of(), radius(0)), "baseline-data-protection@1.0.0#no-public-restricted-data");
        Element website = element("aws:s3:bucket:eu-west-1:111122223333:www", "prod", "team-web", Map.of(),
                Map.of("dataClassification", "public"));
        assertNotFired(request(website, human("alice"), Action.UPDATE, Map.of("public", true), Map.of(), radius(0)),
                "baseline-data-protection@1.0.0#no-public-restricted-data");
    }

    @Test
    void anOrdinaryChangeByItsOwnerMeetsNoBaselineRule() {
        Evaluation evaluation = registry.evaluate(request(WEB_VM, human("alice"), Action.RESTART));

        assertThat(evaluation.errors()).isEmpty();
        assertThat(evaluation.matches()).isEmpty();
        assertThat(evaluation.applicable()).hasSize(5);
    }

    // --- baseline-drift ---

    @Test
    void changingAnElementWithUnauthorizedOrDivergedDriftNeedsApproval() {
        TargetDrift drift = new TargetDrift(7, List.of(
                new TargetDrift.Finding("unauthorized:" + WEB_VM.id(), "unauthorized", "high", "changed without a grant"),
                new TargetDrift.Finding("unmanaged:" + WEB_VM.id(), "unmanaged", "low", "not built by iac")), 0);

        RuleMatch match = fired(withDrift(request(WEB_VM, human("alice"), Action.RESTART), drift),
                "baseline-drift@1.0.0#change-on-drifted-target");

        assertThat(match.effect()).isEqualTo(Effect.REQUIRE_APPROVAL);
        assertThat(match.message()).isEqualTo(WEB_VM.id() + " has open drift (unauthorized:" + WEB_VM.id()
                + "): its running state is not what was built, intended or granted, so a restart needs approval "
                + "until the drift is reconciled");
        assertThat(match.obligations()).containsExactly("reconcile-drift");
        TargetDrift diverged = new TargetDrift(7, List.of(new TargetDrift.Finding("diverged:" + WEB_VM.id() + "#size",
                "diverged", "medium", "size differs")), 0);
        fired(withDrift(request(WEB_VM, human("alice"), Action.UPDATE), diverged),
                "baseline-drift@1.0.0#change-on-drifted-target");
    }

    @Test
    void readsCleanTargetsAndOtherKindsOfDriftAreNotHeldUp() {
        TargetDrift unauthorized = new TargetDrift(7, List.of(new TargetDrift.Finding("unauthorized:" + WEB_VM.id(),
                "unauthorized", "high", "changed without a grant")), 0);
        TargetDrift unmanaged = new TargetDrift(7, List.of(new TargetDrift.Finding("unmanaged:" + WEB_VM.id(),
                "unmanaged", "low", "not built by iac")), 3);

        assertNotFired(withDrift(request(WEB_VM, human("alice"), Action.READ), unauthorized),
                "baseline-drift@1.0.0#change-on-drifted-target");
        assertNotFired(withDrift(request(WEB_VM, human("alice"), Action.RESTART), unmanaged),
                "baseline-drift@1.0.0#change-on-drifted-target");
        assertNotFired(withDrift(request(WEB_VM, human("alice"), Action.RESTART), TargetDrift.clean(7)),
                "baseline-drift@1.0.0#change-on-drifted-target");
        assertNotFired(request(WEB_VM, human("alice"), Action.RESTART), "baseline-drift@1.0.0#change-on-drifted-target");
    }

    // --- helpers ---

    private RuleMatch fired(EvaluationContext context, String source) {
        Evaluation evaluation = registry.evaluate(context);
        assertThat(evaluation.errors()).isEmpty();
        assertThat(evaluation.matches()).extracting(RuleMatch::source).contains(source);
        return evaluation.matches().stream().filter(match -> match.source().equals(source)).findFirst().orElseThrow();
    }

    private void assertNotFired(EvaluationContext context, String source) {
        Evaluation evaluation = registry.evaluate(context);
        assertThat(evaluation.errors()).isEmpty();
        assertThat(evaluation.matches()).extracting(RuleMatch::source).doesNotContain(source);
    }

    private static Element element(String id, String environment, String owner, Map<String, String> labels,
            Map<String, Object> attributes) {
        String[] parts = id.split(":");
        return new Element(id, parts[0] + ":" + parts[1] + ":" + parts[2], parts[0], environment, "eu-internal", owner,
                labels, attributes, Map.of());
    }

    private static Actor agent(String id) {
        return new Actor(id, ActorKind.AI, "team-payments", List.of(), new AgentInfo("gpt-x",
                "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"), "workload-identity");
    }

    private static Actor human(String id) {
        return new Actor(id, ActorKind.HUMAN, "team-payments", List.of("grp-payments-engineers"), null, "mfa");
    }

    private static BlastRadius radius(int count, String... owners) {
        return new BlastRadius(count, count == 0 ? 0 : 2, List.of(owners), count == 0 ? List.of() : List.of("prod"),
                List.of(), List.of(), false);
    }

    private static EvaluationContext withDrift(EvaluationContext context, TargetDrift drift) {
        return new EvaluationContext(context.target(), context.request(), context.blastRadius(), context.now(),
                context.model(), drift);
    }

    private static EvaluationContext request(Element target, Actor actor, Action action) {
        return request(target, actor, action, Map.of(), Map.of(), radius(0));
    }

    private static EvaluationContext request(Element target, Actor actor, Action action, Map<String, Object> after,
            Map<String, Object> context, BlastRadius blastRadius) {
        return new EvaluationContext(target, new ActionRequest(actor, action, target.id(), "baseline test", Map.of(),
                after, context), blastRadius, NOW);
    }
}
