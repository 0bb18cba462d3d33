package dev.mandate.kernel.decision.internal;

import java.util.List;

import dev.mandate.api.decision.Outcome;
import dev.mandate.api.decision.Reason;
import dev.mandate.api.intent.Notice;

/**
 * The combined outcome of one request before it is recorded; {@code notices} are the matches set
 * aside (waived, warn, audit), kept for the evidence record.
 */
record Verdict(Outcome outcome, List<Reason> reasons, List<String> obligations, List<String> approvers,
        List<Notice> notices) {

    Verdict(Outcome outcome, List<Reason> reasons, List<String> obligations, List<String> approvers) {
        this(outcome, reasons, obligations, approvers, List.of());
    }

    Verdict withNotices(List<Reason> shown, List<Notice> all) {
        List<Reason> reasonsAndNotices = new java.util.ArrayList<>(reasons);
        reasonsAndNotices.addAll(shown);
        return new Verdict(outcome, reasonsAndNotices, obligations, approvers, all);
    }

    static Verdict deny(String source, String message) {
        return new Verdict(Outcome.DENY, List.of(new Reason(source, "deny", message)), List.of(), List.of());
    }
}
