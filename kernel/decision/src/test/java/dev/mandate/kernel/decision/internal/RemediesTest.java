package dev.mandate.kernel.decision.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import dev.mandate.api.decision.Action;
import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Decision;
import dev.mandate.api.decision.Outcome;
import dev.mandate.api.decision.Remedy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The values a remedy gives an agent to act on, found by trying the actor's levers against the real
 * intent (the decision table checks which remedies are offered; this checks what they say).
 */
class RemediesTest {

    private static DecisionWorld world;

    @BeforeAll
    static void buildTheWorld() {
        world = new DecisionWorld("remedies");
    }

    @AfterAll
    static void tearDown() {
        world.close();
    }

    @Test
    void aFreezeSaysWhenItEnds() {
        assertThat(remedy(decide("alice", Action.RESTART, "i-checkout", "patch", Map.of()), "wait-until").parameters())
                .containsEntry("at", "2026-12-01T00:00:00Z");
        assertThat(remedy(decide("lars", Action.RESTART, "i-routing", "patch", Map.of()), "wait-until").parameters())
                .containsEntry("at", "2026-11-30T00:00:00Z");
    }

    @Test
    void aWideBlastRadiusSaysHowSmallItMustBe() {
        Decision decision = decide("agent-9", Action.UPDATE, "vpc-core", "add route", Map.of());

        Remedy smaller = remedy(decision, "reduce-blast-radius");
        assertThat(smaller.parameters()).containsEntry("max", 25).containsEntry("now", 30);
        assertThat(smaller.clears()).containsExactly("baseline-ai-limits@1.0.0#ai-wide-blast-radius");
        assertThat(smaller.sufficient()).isTrue();
        assertThat(remedy(decision, "request-approval").parameters()).containsEntry("approvers", List.of("team-logistics"));
    }

    @Test
    void aWeakSignInIsAskedForTheConfiguredAssurance() {
        Remedy stronger = remedy(decide("alice-password", Action.UPDATE, "i-batch", "resize", Map.of()), "raise-assurance");

        assertThat(stronger.parameters()).containsEntry("assurance", "mfa");
        assertThat(stronger.message()).isEqualTo("authenticate with 'mfa' (now 'password')");
        assertThat(stronger.sufficient()).isTrue();
    }

    @Test
    void someoneOutsideTheOwningTeamLearnsWhoHoldsTheRight() {
        Remedy owner = remedy(decide("lars", Action.RESTART, "i-batch", "patch", Map.of()), "act-for-owner");

        assertThat(owner.parameters()).containsEntry("team", "team-payments").containsEntry("rights", List.of("operate", "approve-prod"))
                .containsEntry("groups", List.of("grp-payments"));
        assertThat(owner.clears()).containsExactly(EffectCombiner.NO_RIGHT);
    }

    @Test
    void aNewElementWithoutOwnerIsToldWhichTeamToName() {
        Remedy owner = remedy(decide("alice", Action.CREATE, "new:aws:sqs:queue:eu-west-1:111122223333:scratch-dev",
                "scratch", Map.of("environment", "dev")), "set-owner");

        assertThat(owner.parameters()).containsEntry("owner", "team-payments");
        assertThat(owner.sufficient()).isTrue();
    }

    @Test
    void anAttributeTheRulesForbidIsNamed() {
        Remedy attribute = remedy(decide("alice", Action.UPDATE, "orders-db", "cost", Map.of("storageEncrypted", false,
                "instanceClass", "db.r6g.large")), "change-attribute");

        assertThat(attribute.parameters()).containsEntry("attribute", "storageEncrypted").containsEntry("value", "false");
        assertThat(attribute.clears()).containsExactly("baseline-data-protection@1.0.0#encryption-at-rest");
    }

    @Test
    void anAgentIsPointedAtANonProductionTargetOrAPerson() {
        Decision decision = decide("agent-7", Action.DELETE, "sessions-cache", "rebuild", Map.of());

        assertThat(remedy(decision, "use-other-environment").parameters()).containsEntry("environment", "dev");
        assertThat(remedy(decision, "use-human-actor").sufficient()).isTrue();
    }

    @Test
    void anAllowHasNoRemedies() {
        assertThat(decide("alice", Action.RESTART, "i-batch", "patch", Map.of()).remedies()).isEmpty();
    }

    @Test
    void theApprovalRemedyNamesTheRequestThatWasOpened() {
        TestEstate.ApprovalQueueDouble queue = new TestEstate.ApprovalQueueDouble();
        world.decisionPoint.setApprovals(queue);
        try {
            Decision decision = world.decisionPoint.decide(ActionRequest.of(world.actor("lars"), Action.RESTART,
                    world.target("i-batch"), "patch"));

            assertThat(decision.approvalId()).isNotNull();
            assertThat(decision.outcome()).isEqualTo(Outcome.REQUIRE_APPROVAL);
            assertThat(remedy(decision, "request-approval").parameters()).containsEntry("approvalId",
                    decision.approvalId());
        } finally {
            world.decisionPoint.setApprovals(null);
        }
    }

    @Test
    void remediesCanBeSwitchedOff() {
        world.decisionPoint.explainDecisions(false);
        try {
            assertThat(decide("lars", Action.RESTART, "i-batch", "patch", Map.of()).remedies()).isEmpty();
        } finally {
            world.decisionPoint.explainDecisions(true);
        }
    }

    private static Decision decide(String actor, Action action, String target, String justification,
            Map<String, Object> after) {
        return world.decisionPoint.decide(new ActionRequest(world.actor(actor), action, world.target(target),
                justification, null, after, null), true);
    }

    private static Remedy remedy(Decision decision, String kind) {
        return decision.remedies().stream().filter(remedy -> remedy.kind().equals(kind)).findFirst()
                .orElseThrow(() -> new AssertionError("no remedy '" + kind + "' in " + decision.remedies()));
    }
}
