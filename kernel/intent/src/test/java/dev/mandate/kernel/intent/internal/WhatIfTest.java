package dev.mandate.kernel.intent.internal;

import static dev.mandate.kernel.intent.internal.Fixtures.DATA_STORES;
import static dev.mandate.kernel.intent.internal.Fixtures.TEAMS;
import static dev.mandate.kernel.intent.internal.Fixtures.ai;
import static dev.mandate.kernel.intent.internal.Fixtures.context;
import static dev.mandate.kernel.intent.internal.Fixtures.dependents;
import static dev.mandate.kernel.intent.internal.Fixtures.file;
import static dev.mandate.kernel.intent.internal.Fixtures.rds;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.mandate.api.decision.Action;
import dev.mandate.api.decision.Actor;
import dev.mandate.api.decision.ActorKind;
import dev.mandate.api.intent.Evaluation;
import dev.mandate.api.intent.EvaluationContext;
import dev.mandate.api.intent.RuleMatch;
import dev.mandate.api.model.Element;

/**
 * What-if evaluations ({@code IntentService#evaluateWhatIf}), as remedies probe them: a rule that reads none of
 * the changed inputs keeps what the decision's own evaluation found; anything else is evaluated again.
 *
 * <p>{@code prod-data-store#no-ai-delete} decides on the action and the actor's kind but names the actor's id in
 * its message, so a kept match still names the first actor while a fresh evaluation names the second: that is
 * how these tests tell keeping from evaluating.
 */
class WhatIfTest {

    private final IntentRegistry registry = new IntentRegistry(new Fixtures.Recorder());
    private final Element orders = rds("prod");

    @BeforeEach
    void load() {
        assertThat(registry.load(file("teams.yaml", TEAMS)).problems()).isEmpty();
        assertThat(registry.load(file("data.yaml", DATA_STORES)).problems()).isEmpty();
    }

    private EvaluationContext deleteBy(Actor actor, int dependents) {
        return context(orders, actor, Action.DELETE, Map.of(), Map.of(), dependents(dependents, "team-orders"));
    }

    @Test
    void aRuleThatReadsNoneOfTheChangedInputsKeepsWhatItFound() {
        Evaluation decided = registry.evaluate(deleteBy(ai("agent-7"), 3));

        Evaluation renamed = registry.evaluateWhatIf(deleteBy(ai("agent-8"), 3), decided, List.of("actor.id"));

        assertThat(renamed.matches()).isEqualTo(decided.matches());
        assertThat(renamed.matches().get(0).message()).contains("'agent-7'");
        assertThat(registry.evaluate(deleteBy(ai("agent-8"), 3)).matches().get(0).message()).contains("'agent-8'");
    }

    @Test
    void aRuleThatReadsAChangedInputIsEvaluatedAgainAndOthersKeepTheirOrder() {
        Evaluation decided = registry.evaluate(deleteBy(ai("agent-7"), 3));
        assertThat(decided.matches()).extracting(RuleMatch::source).containsExactly(
                "prod-data-store@1.0.0#no-ai-delete", "prod-data-store@1.0.0#dependents");

        Evaluation alone = registry.evaluateWhatIf(deleteBy(ai("agent-7"), 0), decided, List.of("blastRadius.count"));
        Actor person = new Actor("agent-7", ActorKind.HUMAN, "team-payments", List.of(),
                ai("agent-7").agent(), null);
        Evaluation human = registry.evaluateWhatIf(deleteBy(person, 3), decided, List.of("actor.kind"));

        assertThat(alone.matches()).extracting(RuleMatch::source).containsExactly("prod-data-store@1.0.0#no-ai-delete");
        assertThat(human.matches()).extracting(RuleMatch::source).containsExactly("prod-data-store@1.0.0#dependents");
        assertThat(human.matches().get(0)).isEqualTo(decided.matches().get(1));
        assertThat(alone.applicable()).isEqualTo(decided.applicable());
        assertThat(alone.fallback()).isEqualTo(decided.fallback());
    }

    @Test
    void withoutTheChangedInputsEveryRuleIsEvaluated() {
        Evaluation decided = registry.evaluate(deleteBy(ai("agent-7"), 3));

        Evaluation unknown = registry.evaluateWhatIf(deleteBy(ai("agent-8"), 3), decided, null);

        assertThat(unknown.matches().get(0).message()).contains("'agent-8'");
    }

    @Test
    void aWhatIfOfAnEvaluationMadeBeforeWhatIsInForceChangedEvaluatesEveryRule() {
        Evaluation decided = registry.evaluate(deleteBy(ai("agent-7"), 3));
        assertThat(registry.load(file("data.yaml", DATA_STORES.replace("version: 1.0.0", "version: 1.0.1")
                .replace("may not delete", "must not delete"))).problems()).isEmpty();

        Evaluation renamed = registry.evaluateWhatIf(deleteBy(ai("agent-8"), 3), decided, List.of("actor.id"));

        assertThat(renamed.matches().get(0).message()).isEqualTo(
                "AI agent 'agent-8' must not delete production data store " + orders.id());
    }

    @Test
    void aWhatIfOfAnEvaluationThisThreadDidNotMakeLastEvaluatesEveryRule() throws Exception {
        Evaluation decided = registry.evaluate(deleteBy(ai("agent-7"), 3));
        registry.evaluate(deleteBy(ai("agent-9"), 3));
        Evaluation renamed = registry.evaluateWhatIf(deleteBy(ai("agent-8"), 3), decided, List.of("actor.id"));
        Evaluation mine = registry.evaluate(deleteBy(ai("agent-7"), 3));
        Evaluation elsewhere = CompletableFuture.supplyAsync(() -> registry.evaluateWhatIf(deleteBy(ai("agent-8"), 3),
                mine, List.of("actor.id"))).get();

        assertThat(renamed.matches().get(0).message()).contains("'agent-8'");
        assertThat(elsewhere.matches().get(0).message()).contains("'agent-8'");
    }

    @Test
    void aWhatIfIsNeverComparedWithTheShadows() {
        assertThat(registry.load(file("data-v2.yaml", DATA_STORES.replace("version: 1.0.0", "version: 2.0.0")
                .replace("metadata: {", "metadata: {annotations: {mandate.dev/shadow: \"true\"}, ")
                .replace("blastRadius.count > 0", "blastRadius.count > 5"))).problems()).isEmpty();
        Evaluation decided = registry.evaluate(deleteBy(ai("agent-7"), 3));
        assertThat(registry.shadowReport("prod-data-store").orElseThrow().evaluations()).isEqualTo(1);

        registry.evaluateWhatIf(deleteBy(ai("agent-7"), 0), decided, List.of("blastRadius.count"));
        registry.evaluateWhatIf(deleteBy(ai("agent-7"), 9), null, null);

        assertThat(registry.shadowReport("prod-data-store").orElseThrow().evaluations()).isEqualTo(1);
        assertThat(registry.shadowReport("prod-data-store").orElseThrow().differences()).hasSize(1);
    }
}
