package dev.mandate.kernel.decision.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

import dev.mandate.api.decision.Action;
import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Actor;
import dev.mandate.api.decision.Decision;
import dev.mandate.api.intent.BlueprintInfo;
import dev.mandate.api.intent.Effect;
import dev.mandate.api.intent.ElementOwnership;
import dev.mandate.api.intent.Evaluation;
import dev.mandate.api.intent.EvaluationContext;
import dev.mandate.api.intent.Inputs;
import dev.mandate.api.intent.IntentService;
import dev.mandate.api.intent.Team;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.RelationType;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Remedies found with pruned levers (a lever is evaluated only when a blocking reason reads what it
 * changes) are the remedies found by evaluating every lever: over every row of the decision table,
 * and over every actor, action and target of its world with and without a justification, with the
 * attribute changes the table uses, and approved. The real model, intent engine, baseline pack and
 * organisation; fails on the first decision whose outcome, reasons or remedies differ.
 */
class PrunedRemediesTest {

    /** The actions whose attribute changes the intent reads (variations); the others are tried without. */
    private static final EnumSet<Action> CHANGING = EnumSet.of(Action.CREATE, Action.UPDATE, Action.REPLACE,
            Action.SCALE);

    private static DecisionWorld world;
    private static Counting intent;
    private static DecisionPointImpl pruned;
    private static DecisionPointImpl unpruned;

    @BeforeAll
    static void buildTheWorld() {
        world = new DecisionWorld("pruned-remedies");
        intent = new Counting(world.registry);
        pruned = decisionPoint(true);
        unpruned = decisionPoint(false);
    }

    private static DecisionPointImpl decisionPoint(boolean prune) {
        DecisionPointImpl point = new DecisionPointImpl(world.store, intent, world.ledger, world.grants,
                Clock.fixed(DecisionWorld.NOW, ZoneOffset.UTC), EnumSet.of(RelationType.DEPENDS_ON,
                        RelationType.CONTAINS, RelationType.HOSTED_ON, RelationType.BACKED_UP_BY), 10_000);
        point.setDrift(world.drift);
        point.pruneRemedies(prune);
        return point;
    }

    @AfterAll
    static void tearDown() {
        world.close();
    }

    @Test
    void everyRowOfTheDecisionTableGetsTheSameRemedies() throws IOException {
        int rows = 0;
        int withRemedies = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                PrunedRemediesTest.class.getResourceAsStream("/decision-table/cases.csv"), StandardCharsets.UTF_8))) {
            in.readLine();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split("\\|");
                ActionRequest request = new ActionRequest(world.actor(cells[1].trim()), Action.parse(cells[2].trim()),
                        world.target(cells[3].trim()), "-".equals(cells[4].trim()) ? null : cells[4].trim(), null,
                        DecisionTableTest.attributes(cells[5].trim()), null);
                String approval = cells[9].trim();
                Actor approver = "none".equals(approval) ? null
                        : world.actor(approval.substring("approved-by:".length()));
                withRemedies += same(request, approver) ? 1 : 0;
                rows++;
            }
        }
        assertThat(rows).isGreaterThanOrEqualTo(60);
        assertThat(withRemedies).as("rows whose decision offers remedies").isGreaterThan(20);
    }

    @Test
    void everyActorActionAndTargetGetsTheSameRemedies() {
        List<String> targets = new ArrayList<>(world.targetAliases());
        targets.add("new:aws:sqs:queue:eu-west-1:111122223333:orders-dlq-dev");
        targets.add("new:aws:rds:db-instance:eu-west-1:111122223333:orders-new");
        List<Map<String, Object>> changes = List.of(Map.of(), Map.of("storageEncrypted", false, "instanceType",
                "m7i.large"), Map.of("owner", "team-payments", "environment", "dev", "publiclyAccessible", true),
                Map.of("owner", "team-logistics", "environment", "prod", "storageEncrypted", false));
        long before = intent.evaluations.sum();
        int decisions = 0;
        int withRemedies = 0;
        for (String actor : world.actorAliases()) {
            for (Action action : Action.values()) {
                for (String target : targets) {
                    if (target.startsWith("new:") && action != Action.CREATE) {
                        continue; // only a create may name an element the model does not hold
                    }
                    for (String justification : new String[] {null, "planned change (CHG-7)"}) {
                        for (Map<String, Object> after : CHANGING.contains(action) ? changes : changes.subList(0, 1)) {
                            ActionRequest request = new ActionRequest(world.actor(actor), action, world.target(target),
                                    justification, null, after, null);
                            withRemedies += same(request, null) ? 1 : 0;
                            decisions++;
                            if (justification != null && after.isEmpty()) {
                                same(request, world.actor("paul"));
                                same(request, world.actor("priya"));
                                decisions += 2;
                            }
                        }
                    }
                }
            }
        }
        assertThat(decisions).isGreaterThan(9_000);
        assertThat(withRemedies).as("decisions that offer remedies").isGreaterThan(decisions / 4);
        assertThat(intent.evaluations.sum() - before).isPositive();
    }

    @Test
    void pruningLeavesOutEvaluationsThatCouldClearNothing() {
        // an AI agent's update of a network 30 subnets depend on: only the blast-radius rule and the
        // missing right block it, so adding a justification or a stronger sign-in is not evaluated
        ActionRequest request = new ActionRequest(world.actor("agent-9"), Action.UPDATE, world.target("vpc-core"),
                "add route", null, Map.of(), null);
        long start = intent.evaluations.sum();
        Decision withPruning = pruned.decide(request);
        long prunedEvaluations = intent.evaluations.sum() - start;
        start = intent.evaluations.sum();
        Decision without = unpruned.decide(request);
        long allEvaluations = intent.evaluations.sum() - start;

        assertThat(withPruning.remedies()).isEqualTo(without.remedies()).isNotEmpty();
        assertThat(prunedEvaluations).isLessThan(allEvaluations);
    }

    /** Decides with both; true when the decision offers remedies. */
    private static boolean same(ActionRequest request, Actor approver) {
        Decision expected = approver == null ? unpruned.decide(request)
                : unpruned.decideApproved(request, "ap-1", approver);
        Decision actual = approver == null ? pruned.decide(request) : pruned.decideApproved(request, "ap-1", approver);
        String what = request + (approver == null ? "" : " approved by " + approver.id());
        assertThat(actual.outcome()).as(what).isEqualTo(expected.outcome());
        assertThat(actual.reasons()).as(what).isEqualTo(expected.reasons());
        assertThat(actual.remedies()).as(what).isEqualTo(expected.remedies());
        return !expected.remedies().isEmpty();
    }

    /** The registry, counting its evaluations. */
    private static final class Counting implements IntentService {
        private final IntentService delegate;
        final LongAdder evaluations = new LongAdder();

        Counting(IntentService delegate) {
            this.delegate = delegate;
        }

        @Override
        public List<BlueprintInfo> blueprints() {
            return delegate.blueprints();
        }

        @Override
        public Optional<BlueprintInfo> blueprint(String name) {
            return delegate.blueprint(name);
        }

        @Override
        public List<Team> teams() {
            return delegate.teams();
        }

        @Override
        public Optional<Team> team(String id) {
            return delegate.team(id);
        }

        @Override
        public Evaluation evaluate(EvaluationContext context) {
            evaluations.increment();
            return delegate.evaluate(context);
        }

        @Override
        public Evaluation evaluateWhatIf(EvaluationContext context, Evaluation previous, Collection<String> changed) {
            evaluations.increment();
            return delegate.evaluateWhatIf(context, previous, changed);
        }

        @Override
        public long generation() {
            return delegate.generation();
        }

        @Override
        public Optional<ElementOwnership> ownership(Element element) {
            return delegate.ownership(element);
        }

        @Override
        public Inputs inputs(String source) {
            return delegate.inputs(source);
        }

        @Override
        public Inputs inputs(Effect effect) {
            return delegate.inputs(effect);
        }
    }
}
