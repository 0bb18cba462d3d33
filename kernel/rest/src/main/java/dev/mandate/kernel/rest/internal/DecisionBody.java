package dev.mandate.kernel.rest.internal;

import java.util.List;
import java.util.Map;

import dev.mandate.api.decision.Action;
import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Actor;

/**
 * The body of {@code POST /mandate/v1/decisions}: one action request ({@code action}, {@code target}
 * …), or a plan whose {@code changes} are decided as one, each change inheriting the plan's actor,
 * justification and context.
 */
public record DecisionBody(Actor actor, Action action, String target, String justification,
        Map<String, Object> before, Map<String, Object> after, Map<String, Object> context, List<Change> changes) {

    /** One change of a plan. */
    public record Change(Action action, String target, String justification, Map<String, Object> before,
            Map<String, Object> after, Map<String, Object> context) {
    }

    public DecisionBody {
        changes = changes == null ? null : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(changes));
    }

    boolean isPlan() {
        return changes != null;
    }

    ActionRequest request() {
        return new ActionRequest(actor, action, target, justification, before, after, context);
    }
}
