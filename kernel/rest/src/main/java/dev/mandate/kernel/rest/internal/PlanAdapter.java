package dev.mandate.kernel.rest.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Decision;
import dev.mandate.api.enforcement.EnforcementAdapter;
import dev.mandate.api.enforcement.InvalidChangeException;

/**
 * A plan sent to {@code POST /mandate/v1/decisions} as the enforcement point's input: each change
 * becomes an action request of the plan's actor, with the plan's justification and context unless
 * the change says otherwise. The enforcement point decides them and records the plan as one.
 */
final class PlanAdapter implements EnforcementAdapter<DecisionBody, List<Decision>> {

    static final String ID = "plan";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<ActionRequest> toRequests(DecisionBody plan) throws InvalidChangeException {
        if (plan.changes().isEmpty()) {
            throw new InvalidChangeException("/changes", "a plan needs at least one change");
        }
        List<ActionRequest> requests = new ArrayList<>(plan.changes().size());
        for (int i = 0; i < plan.changes().size(); i++) {
            DecisionBody.Change change = plan.changes().get(i);
            if (change == null) {
                throw new InvalidChangeException("/changes/" + i, "change " + i + " is empty");
            }
            if (change.action() == null) {
                throw new InvalidChangeException("/changes/" + i + "/action", "change " + i + " has no action");
            }
            if (change.target() == null || change.target().isBlank()) {
                throw new InvalidChangeException("/changes/" + i + "/target", "change " + i + " has no target");
            }
            Map<String, Object> context = new LinkedHashMap<>(plan.context() == null ? Map.of() : plan.context());
            if (change.context() != null) {
                context.putAll(change.context());
            }
            context.put("plan", Map.of("change", i, "changes", plan.changes().size()));
            requests.add(new ActionRequest(plan.actor(), change.action(), change.target(),
                    change.justification() != null ? change.justification() : plan.justification(), change.before(),
                    change.after(), context));
        }
        return requests;
    }

    @Override
    public List<Decision> toResponse(DecisionBody plan, List<Decision> decisions) {
        return decisions;
    }
}
