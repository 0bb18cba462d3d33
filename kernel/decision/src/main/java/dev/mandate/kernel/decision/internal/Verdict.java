package dev.mandate.kernel.decision.internal;

import java.util.List;

import dev.mandate.api.decision.Outcome;
import dev.mandate.api.decision.Reason;

/** The combined outcome of one request before it is recorded. */
record Verdict(Outcome outcome, List<Reason> reasons, List<String> obligations, List<String> approvers) {

    static Verdict deny(String source, String message) {
        return new Verdict(Outcome.DENY, List.of(new Reason(source, "deny", message)), List.of(), List.of());
    }
}
