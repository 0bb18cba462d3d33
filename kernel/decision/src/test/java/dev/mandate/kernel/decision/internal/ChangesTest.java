package dev.mandate.kernel.decision.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.mandate.api.decision.Action;
import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Actor;
import dev.mandate.api.decision.ActorKind;
import dev.mandate.api.decision.AgentInfo;
import dev.mandate.api.intent.TargetDrift;
import dev.mandate.api.model.BlastRadius;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.ModelSnapshot;
import dev.mandate.kernel.model.internal.ModelIndex;

class ChangesTest {

    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
    private static final ModelSnapshot MODEL = ModelIndex.EMPTY;
    private static final String ID = "aws:ec2:instance:eu-west-1:111122223333:i-1";

    private final Actor agent = new Actor("agent-7", ActorKind.AI, "team-a", List.of("grp-a"),
            new AgentInfo("model", "ab".repeat(32)), "workload-identity", Map.of("clearance", 2L));
    private final ActionRequest request = new ActionRequest(agent, Action.UPDATE, ID, null, Map.of(),
            Map.of("size", "large", "public", true), Map.of("ticket", "CHG-1"));
    private final Element target = new Element(ID, "aws:ec2:instance", "aws", "prod", "eu", "team-a", Map.of("app", "x"),
            Map.of("size", "small"), Map.of());
    private final BlastRadius radius = new BlastRadius(3, 2, List.of("team-a"), List.of("prod"), List.of("eu"),
            List.of("a", "b", "c"), false);
    private final RemedyFinder.Situation situation = new RemedyFinder.Situation(request, target, radius, NOW, MODEL,
            null, new TargetDrift(4, List.of(new TargetDrift.Finding("d-1", "diverged", "high", "changed")), 1));

    private RemedyFinder.Situation with(ActionRequest changed) {
        return situation.with(changed);
    }

    private ActionRequest as(Actor actor) {
        return new ActionRequest(actor, request.action(), request.target(), request.justification(), request.before(),
                request.after(), request.context());
    }

    @Test
    void anEqualSituationChangesNothing() {
        assertThat(Changes.between(situation, situation)).isEmpty();
        ActionRequest copy = new ActionRequest(as(agent).actor(), Action.UPDATE, ID, null, Map.of(),
                Map.of("public", true, "size", "large"), Map.of("ticket", "CHG-1"));
        assertThat(Changes.between(situation, with(copy))).isEmpty();
    }

    @Test
    void eachLeverChangesTheInputsItTouches() {
        Actor stronger = new Actor(agent.id(), agent.kind(), agent.team(), agent.groups(), agent.agent(), "mfa",
                agent.attributes());
        assertThat(Changes.between(situation, with(as(stronger)))).containsExactly("actor.assurance");

        Actor person = new Actor(agent.id(), ActorKind.HUMAN, agent.team(), agent.groups(), null, "mfa",
                agent.attributes());
        assertThat(Changes.between(situation, with(as(person)))).containsExactly("actor.kind", "actor.agent",
                "actor.assurance");

        ActionRequest justified = new ActionRequest(agent, Action.UPDATE, ID, "because", Map.of(), request.after(),
                request.context());
        assertThat(Changes.between(situation, with(justified))).containsExactly("request.justification");

        ActionRequest without = new ActionRequest(agent, Action.UPDATE, ID, null, Map.of(), Map.of("size", "large"),
                request.context());
        assertThat(Changes.between(situation, with(without))).containsExactly("request.after.public");

        BlastRadius none = new BlastRadius(0, 0, radius.owners(), radius.environments(), radius.trustZones(), List.of(),
                false);
        assertThat(Changes.between(situation, situation.with(none))).containsExactly("blastRadius.count",
                "blastRadius.depth", "blastRadius.elements");

        RemedyFinder.Situation later = new RemedyFinder.Situation(request, target, radius, NOW.plusSeconds(60), MODEL,
                null, situation.drift());
        assertThat(Changes.between(situation, later)).containsExactly("now");

        RemedyFinder.Situation reconciled = new RemedyFinder.Situation(request, target, radius, NOW, MODEL, null,
                TargetDrift.clean(4));
        assertThat(Changes.between(situation, reconciled)).containsExactly("drift.open", "drift.kinds",
                "drift.findings", "drift.inBlastRadius");
    }

    @Test
    void aChangedTargetIsComparedFieldByFieldAndKeyByKey() {
        Element moved = new Element(ID, target.kind(), target.provider(), "staging", target.trustZone(), "team-b",
                Map.of("app", "x", "tier", "1"), Map.of(), Map.of());
        RemedyFinder.Situation changed = new RemedyFinder.Situation(request, moved, radius, NOW, MODEL, null,
                situation.drift());

        assertThat(Changes.between(situation, changed)).containsExactly("element.environment", "element.owner",
                "element.labels.tier", "element.attributes.size");
    }

    @Test
    void anotherModelOrApprovalMayChangeAnything() {
        RemedyFinder.Situation approved = new RemedyFinder.Situation(request, target, radius, NOW, MODEL,
                new EffectCombiner.Approval("ap-1", "carol"), situation.drift());
        assertThat(Changes.between(situation, approved)).isNull();
        RemedyFinder.Situation otherModel = new RemedyFinder.Situation(request, target, radius, NOW,
                ModelIndex.EMPTY.toBuilder().build(2), null, situation.drift());
        assertThat(Changes.between(situation, otherModel)).isNull();
    }
}
