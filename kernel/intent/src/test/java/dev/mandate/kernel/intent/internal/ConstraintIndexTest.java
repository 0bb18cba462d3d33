package dev.mandate.kernel.intent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.mandate.api.decision.Action;
import dev.mandate.api.decision.ActorKind;
import dev.mandate.api.intent.Effect;

class ConstraintIndexTest {

    private final CelEnvironment environment = CelEnvironment.create(List.of(), message -> {
    });

    private CompiledConstraint constraint(String id, String when) {
        CelEnvironment.Compiled compiled = environment.compileWhen(when);
        assertThat(compiled.problems()).isEmpty();
        return new CompiledConstraint(id, "b@1.0.0#" + id, Effect.DENY, "high", CompiledExpression.condition(compiled),
                Guard.of(compiled.ast()), MessageTemplate.literal(id), List.of(), Mode.ENFORCE,
                InputPaths.of(compiled.ast()));
    }

    @Test
    void eachSlotHoldsTheConstraintsWhoseGuardAdmitsIt() {
        List<CompiledConstraint> constraints = List.of(
                constraint("ai-delete", "actor.kind == \"AI\" && request.action == \"delete\""),
                constraint("any", "blastRadius.count > 5"),
                constraint("writes", "request.action in [\"create\", \"update\"]"),
                constraint("not-ai", "actor.kind != \"AI\" && request.action == \"update\""));
        ConstraintIndex index = ConstraintIndex.of(constraints);

        assertThat(ids(index.admitting(Action.DELETE, ActorKind.AI))).containsExactly("ai-delete", "any");
        assertThat(ids(index.admitting(Action.UPDATE, ActorKind.AI))).containsExactly("any", "writes", "not-ai");
        assertThat(ids(index.admitting(Action.UPDATE, ActorKind.HUMAN))).containsExactly("any", "writes", "not-ai");
        // without an action or actor kind, as the guard reads them: the empty text
        assertThat(ids(index.admitting(null, null))).containsExactly("any");
        // every slot is what asking every guard gives, in document order
        for (Action action : new Action[] {null, Action.CREATE, Action.READ, Action.ACCESS_GRANT}) {
            for (ActorKind kind : new ActorKind[] {null, ActorKind.HUMAN, ActorKind.SYSTEM, ActorKind.AI}) {
                List<String> asked = new ArrayList<>();
                for (CompiledConstraint constraint : constraints) {
                    if (constraint.guard().admits(action == null ? "" : action.wireName(),
                            kind == null ? "" : kind.name())) {
                        asked.add(constraint.id());
                    }
                }
                assertThat(ids(index.admitting(action, kind))).as(action + " " + kind).isEqualTo(asked);
            }
        }
    }

    private static List<String> ids(CompiledConstraint[] constraints) {
        List<String> ids = new ArrayList<>();
        for (CompiledConstraint constraint : constraints) {
            ids.add(constraint.id());
        }
        return ids;
    }
}
