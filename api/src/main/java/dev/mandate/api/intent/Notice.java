package dev.mandate.api.intent;

import java.util.List;

/**
 * A rule match that was found but does not change the outcome: waived by a live waiver, or found
 * by a rule in {@code warn} or {@code audit} enforcement mode. Decision points show notices beside
 * the reasons (a warning's text as an obligation to read it) and record them as evidence.
 *
 * @param kind        why the match does not count
 * @param source      who set it aside: {@code waiver:<name>@<version>} for a waiver, otherwise the
 *                    match's own source {@code <blueprint>@<version>#<constraint>}
 * @param match       the match as it would have counted
 * @param message     in plain words: which waiver, approved by whom, until when; or the warning
 * @since 1.1
 */
public record Notice(Kind kind, String source, RuleMatch match, String message) {

    /** Why a match was set aside. {@link #toString()} is the wire name. */
    public enum Kind {
        /** A live waiver covers the element and the constraint. */
        WAIVED("waived"),
        /** The rule is in {@code warn} mode: the actor is told, nothing is blocked. */
        WARN("warn"),
        /** The rule is in {@code audit} mode: recorded only. */
        AUDIT("audit");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        @Override
        public String toString() {
            return wireName;
        }
    }

    /** The obligations a notice adds to a decision: a warning asks the actor to read it. */
    public List<String> obligations() {
        return kind == Kind.WARN ? List.of("warning: " + message) : List.of();
    }
}
