package dev.mandate.enforce.terraform.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Decision;
import dev.mandate.api.enforcement.EnforcementAdapter;
import dev.mandate.api.enforcement.EnforcementPoint;
import dev.mandate.api.enforcement.EnforcementResult;
import dev.mandate.api.enforcement.InvalidChangeException;

/**
 * An enforcement point that decides each request the real adapter makes of its input as a test's script
 * says (given the decision id {@code d0}, {@code d1} … and the request), records what it was asked, and
 * names the given evidence; the decision point itself is tested in kernel/decision.
 */
final class ScriptedEnforcementPoint implements EnforcementPoint {
    final List<ActionRequest> seen = new ArrayList<>();
    private final BiFunction<String, ActionRequest, Decision> script;
    private final String evidence;

    ScriptedEnforcementPoint(String evidence, BiFunction<String, ActionRequest, Decision> script) {
        this.evidence = evidence;
        this.script = script;
    }

    @Override
    public <I, O> EnforcementResult<O> enforce(EnforcementAdapter<I, O> adapter, I input) throws InvalidChangeException {
        List<ActionRequest> requests = adapter.toRequests(input);
        seen.addAll(requests);
        List<Decision> decisions = new ArrayList<>();
        for (ActionRequest request : requests) {
            decisions.add(script.apply("d" + decisions.size(), request));
        }
        return new EnforcementResult<>(adapter.toResponse(input, decisions), TerraformPlanAdapter.combined(decisions),
                decisions, evidence);
    }
}
