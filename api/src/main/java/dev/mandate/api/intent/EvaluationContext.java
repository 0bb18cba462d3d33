package dev.mandate.api.intent;

import java.time.Instant;

import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.model.BlastRadius;
import dev.mandate.api.model.Element;

/**
 * What constraints are evaluated against: the CEL variables {@code element}, {@code actor},
 * {@code request}, {@code blastRadius} and {@code now}.
 *
 * @param target      the element the request is on (for a create, the element as it would be)
 * @param request     the request
 * @param blastRadius the target's blast radius
 * @param now         the decision time
 */
public record EvaluationContext(Element target, ActionRequest request, BlastRadius blastRadius, Instant now) {
}
