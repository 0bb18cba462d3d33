package dev.mandate.api.intent;

import java.util.List;

/**
 * The result of evaluating every applicable constraint for one request.
 *
 * @param matches    the constraints whose condition held, in blueprint then constraint order
 * @param errors     constraints that failed to evaluate ({@code source: message}); the decision
 *                   point fails closed on any
 * @param fallback   the strictest fallback of the blueprints that apply
 * @param applicable the blueprints that apply to the target ({@code name@version})
 */
public record Evaluation(List<RuleMatch> matches, List<String> errors, Fallback fallback, List<String> applicable) {
    public Evaluation {
        matches = matches == null ? List.of() : List.copyOf(matches);
        errors = errors == null ? List.of() : List.copyOf(errors);
        applicable = applicable == null ? List.of() : List.copyOf(applicable);
    }
}
