package dev.mandate.kernel.intent.internal;

import static dev.mandate.kernel.intent.internal.Fixtures.TEAMS;
import static dev.mandate.kernel.intent.internal.Fixtures.file;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.mandate.api.intent.Effect;
import dev.mandate.api.intent.Inputs;

/** What the registry reports as deciding each rule in force ({@code IntentService#inputs}). */
class RuleInputsTest {

    private static final String PACK = """
            apiVersion: mandate.dev/v1
            kind: Team
            metadata: {name: team-payments, version: 1.0.0}
            spec: {displayName: Payments}
            ---
            apiVersion: mandate.dev/v1
            kind: Blueprint
            metadata: {name: data, version: 1.0.0, owner: team-platform}
            spec:
              appliesTo: {kinds: [aws:rds:db-instance], environments: [prod], match: 'element.labels.tier == "gold"'}
              constraints:
                - id: mfa
                  when: 'actor.kind == "HUMAN" && actor.assurance != "mfa"'
                  effect: require-approval
                  message: sign in with mfa
                - id: no-ai
                  when: 'actor.kind == "AI" && request.action == "delete"'
                  effect: deny
                  message: no ai deletes
                - id: readers
                  when: 'request.action == "read" && "readers" in actor.groups'
                  effect: allow
                  message: readers read
                - id: noted
                  when: 'request.justification == ""'
                  effect: deny
                  enforcement: warn
                  message: say why
              variations:
                attributes:
                  storageEncrypted: {equals: true}
              structure:
                requires: [{relation: BACKED_UP_BY, kind: aws:backup:plan}]
              dataFlows:
                - id: stays
                  from: {trustZones: ["eu-*"]}
                  to: {notTrustZones: ["eu-*"]}
                  effect: deny
                  message: stays in the eu
            ---
            apiVersion: mandate.dev/v1
            kind: Blueprint
            metadata: {name: everywhere, version: 2.0.0, owner: team-platform}
            spec:
              constraints:
                - id: big
                  when: 'blastRadius.count > 50 || drift.open > 0'
                  effect: require-approval
                  message: big
            ---
            apiVersion: mandate.dev/v1
            kind: Waiver
            metadata: {name: migration, version: 1.0.0, owner: team-payments}
            spec:
              selector: {trustZones: [eu-internal], labels: {app: orders}}
              constraints: [data#no-ai]
              approvedBy: carol
              reason: migration
              expiresAt: 2026-12-01T00:00:00Z
            ---
            apiVersion: mandate.dev/v1
            kind: FreezeWindow
            metadata: {name: year-end, version: 1.0.0, owner: team-platform}
            spec:
              selector: {environments: [prod], match: 'element.attributes.critical == true'}
              actions: [changes]
              effect: deny
              windows:
                - {from: 2026-12-20T00:00:00Z, to: 2027-01-04T00:00:00Z}
              message: year-end freeze
            """;

    private final IntentRegistry registry = new IntentRegistry(new Fixtures.Recorder());

    private void load() {
        assertThat(registry.load(file("teams.yaml", TEAMS)).problems()).isEmpty();
        assertThat(registry.load(file("pack.yaml", PACK)).problems()).isEmpty();
    }

    @Test
    void aConstraintIsDecidedByItsConditionAndWhetherItsBlueprintApplies() {
        load();
        assertThat(registry.inputs("data@1.0.0#mfa").paths()).containsExactly("actor.assurance", "actor.kind",
                "element.environment", "element.kind", "element.labels.tier");
        assertThat(registry.inputs("everywhere@2.0.0#big").paths()).containsExactly("blastRadius.count", "drift.open",
                "element.kind");
    }

    @Test
    void aWaiverThatNamesARuleAddsWhatDecidesTheWaiver() {
        load();
        assertThat(registry.inputs("data@1.0.0#no-ai").paths()).containsExactly("actor.kind", "element.environment",
                "element.kind", "element.labels.app", "element.labels.tier", "element.trustZone", "now",
                "request.action");
        // an allow match is never waived
        assertThat(registry.inputs("data@1.0.0#readers").paths()).containsExactly("actor.groups",
                "element.environment", "element.kind", "element.labels.tier", "request.action");
    }

    @Test
    void variationsStructureDataFlowsAndFreezeWindowsReadWhatTheEngineReadsForThem() {
        load();
        assertThat(registry.inputs("data@1.0.0#variation:storageEncrypted").paths()).containsExactly(
                "element.attributes", "element.environment", "element.kind", "element.labels.tier", "request.action",
                "request.after");
        assertThat(registry.inputs("data@1.0.0#structure:BACKED_UP_BY:aws:backup:plan").paths()).containsExactly(
                "element.environment", "element.id", "element.kind", "element.labels.tier", "now", "request.action",
                "request.context.relations");
        assertThat(registry.inputs("data@1.0.0#dataflow:stays").paths()).containsExactly("element.environment",
                "element.id", "element.kind", "element.labels.tier", "element.trustZone", "request.context.flow");
        assertThat(registry.inputs("freeze:year-end@1.0.0").paths()).containsExactly("element.attributes.critical",
                "element.environment", "now", "request.action");
    }

    @Test
    void perEffectTheEnforcedRulesOfThatEffectTogether() {
        load();
        Inputs deny = registry.inputs(Effect.DENY);
        // no-ai, the variation and structure (deny by default), the data flow and the freeze window; not the warning
        assertThat(deny.reads("actor.kind")).isTrue();
        assertThat(deny.reads("request.after.storageEncrypted")).isTrue();
        assertThat(deny.reads("request.context.flow")).isTrue();
        assertThat(deny.reads("element.attributes.critical")).isTrue();
        assertThat(deny.reads("request.justification")).isFalse();
        assertThat(deny.reads("actor.assurance")).isFalse();
        assertThat(registry.inputs(Effect.ALLOW).paths()).containsExactly("actor.groups", "element.environment",
                "element.kind", "element.labels.tier", "request.action");
        assertThat(registry.inputs(Effect.REQUIRE_APPROVAL).reads("blastRadius.count")).isTrue();
    }

    @Test
    void aSourceNotInForceReadsEverything() {
        load();
        assertThat(registry.inputs("data@0.9.0#mfa")).isEqualTo(Inputs.ALL);
        assertThat(registry.inputs("mandate#no-decision-right")).isEqualTo(Inputs.ALL);
    }

    @Test
    void aRuleWhoseConditionTheAnalysisCannotFollowReadsEverything() {
        // an unanalysed condition (no tree) reads everything, and so does its rule
        assertThat(InputPaths.of(null).with(Inputs.of("element.kind"))).isEqualTo(Inputs.ALL);
    }
}
