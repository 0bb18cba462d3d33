package dev.mandate.kernel.intent.internal;

import java.util.ArrayList;
import java.util.List;

import dev.mandate.api.decision.Action;
import dev.mandate.api.decision.ActorKind;

/**
 * The constraints of one blueprint whose guard admits each action and actor kind, in document
 * order, worked out when the blueprint is compiled: an evaluation walks only the constraints that
 * can hold for its request instead of asking every guard ({@link Guard#admits}) each time. A request
 * without an action or actor kind is indexed as the guard reads it (the empty text). Immutable.
 */
final class ConstraintIndex {

    private static final Action[] ACTIONS = Action.values();
    private static final ActorKind[] KINDS = ActorKind.values();
    private static final int KIND_SLOTS = KINDS.length + 1;

    private final CompiledConstraint[][] admitted;

    private ConstraintIndex(CompiledConstraint[][] admitted) {
        this.admitted = admitted;
    }

    static ConstraintIndex of(List<CompiledConstraint> constraints) {
        CompiledConstraint[][] admitted = new CompiledConstraint[(ACTIONS.length + 1) * KIND_SLOTS][];
        for (int action = 0; action <= ACTIONS.length; action++) {
            String actionName = action == 0 ? "" : ACTIONS[action - 1].wireName();
            for (int kind = 0; kind < KIND_SLOTS; kind++) {
                String kindName = kind == 0 ? "" : KINDS[kind - 1].name();
                List<CompiledConstraint> slot = new ArrayList<>();
                for (CompiledConstraint constraint : constraints) {
                    if (constraint.guard().admits(actionName, kindName)) {
                        slot.add(constraint);
                    }
                }
                admitted[action * KIND_SLOTS + kind] = slot.toArray(new CompiledConstraint[0]);
            }
        }
        return new ConstraintIndex(admitted);
    }

    /** The constraints whose guard admits this action and actor kind ({@code null}: none given), in document order. */
    CompiledConstraint[] admitting(Action action, ActorKind kind) {
        int actionSlot = action == null ? 0 : action.ordinal() + 1;
        int kindSlot = kind == null ? 0 : kind.ordinal() + 1;
        return admitted[actionSlot * KIND_SLOTS + kindSlot];
    }
}
