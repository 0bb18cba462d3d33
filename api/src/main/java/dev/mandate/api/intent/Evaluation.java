package dev.mandate.api.intent;

import java.util.List;

/**
 * The result of evaluating every applicable constraint for one request.
 *
 * @param matches    the rules whose condition held and that count for the outcome (constraints in
 *                   {@code enforce} mode, freeze windows, variations, structure and data-flow rules),
 *                   in blueprint then rule order; waived matches are not among them
 * @param errors     constraints that failed to evaluate ({@code source: message}); the decision
 *                   point fails closed on any
 * @param fallback   the strictest fallback of the blueprints that apply
 * @param applicable the blueprints that apply to the target ({@code name@version})
 * @param notices    matches set aside (waived, warn, audit); they never change the outcome (since 1.1)
 */
public record Evaluation(List<RuleMatch> matches, List<String> errors, Fallback fallback, List<String> applicable,
        List<Notice> notices) {
    public Evaluation {
        matches = matches == null ? List.of() : List.copyOf(matches);
        errors = errors == null ? List.of() : List.copyOf(errors);
        applicable = applicable == null ? List.of() : List.copyOf(applicable);
        notices = notices == null ? List.of() : List.copyOf(notices);
    }

    /** An evaluation without notices, as version 1.0 built it. */
    public Evaluation(List<RuleMatch> matches, List<String> errors, Fallback fallback, List<String> applicable) {
        this(matches, errors, fallback, applicable, List.of());
    }
}
