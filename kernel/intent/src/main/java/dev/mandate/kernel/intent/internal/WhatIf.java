package dev.mandate.kernel.intent.internal;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.mandate.api.intent.Evaluation;
import dev.mandate.api.intent.Inputs;
import dev.mandate.api.intent.Notice;
import dev.mandate.api.intent.RuleMatch;

/**
 * One what-if evaluation: the policy it runs on, and, when it varies an evaluation already made, what that
 * evaluation found for each rule and which inputs the variation changed. A constraint whose inputs
 * ({@link RuleInputs}: its condition, its blueprint's applicability, the waivers that name it) include none of
 * the changed ones would find again what it found then, so it keeps that instead of being evaluated. This is
 * what makes a remedy's probe cheap: a lever changes one input, which few rules read.
 */
final class WhatIf {

    private final PolicySet policy;
    // what the previous evaluation found, counted or set aside, by rule source; null: evaluate everything
    private final Map<String, RuleMatch> previous;
    private final List<String> changed;

    private WhatIf(PolicySet policy, Map<String, RuleMatch> previous, List<String> changed) {
        this.policy = policy;
        this.previous = previous;
        this.changed = changed;
    }

    /** A what-if that evaluates every rule. */
    static WhatIf fresh(PolicySet policy) {
        return new WhatIf(policy, null, List.of());
    }

    /**
     * A variation of the evaluation {@code previous}, which must have been made on {@code policy} (a
     * constraint keeps only what this policy's evaluation found), in the inputs {@code changed}.
     */
    static WhatIf after(PolicySet policy, Evaluation previous, Collection<String> changed) {
        Map<String, RuleMatch> found = new HashMap<>();
        for (RuleMatch match : previous.matches()) {
            found.put(match.source(), match);
        }
        for (Notice notice : previous.notices()) {
            found.put(notice.match().source(), notice.match());
        }
        return new WhatIf(policy, found, List.copyOf(changed));
    }

    /** Whether the rule cited as {@code source} keeps what the previous evaluation found for it. */
    boolean keeps(String source) {
        if (previous == null) {
            return false;
        }
        Inputs reads = policy.inputs().of(source);
        for (int i = 0, size = changed.size(); i < size; i++) {
            if (reads.reads(changed.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** What the previous evaluation found for the rule cited as {@code source}: its match, or null for none. */
    RuleMatch previous(String source) {
        return previous.get(source);
    }
}
