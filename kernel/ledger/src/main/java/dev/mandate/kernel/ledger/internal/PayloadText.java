package dev.mandate.kernel.ledger.internal;

/**
 * Looks at a record's stored payload text before it is parsed, so that a read which wants only some
 * records parses only those. The text is RFC 8785 canonical JSON (no whitespace, a quote inside a
 * string always escaped), so a top-level member {@code "outcome":"ALLOW"} is in the text as exactly
 * those characters; a look here can only say "certainly not", and the parsed record is still checked.
 */
final class PayloadText {
    private static final String OUTCOME = "\"outcome\":\"";

    private PayloadText() {
    }

    /**
     * False when the payload certainly has no member {@code outcome} whose string value equals
     * {@code outcome} ignoring case; true when it may have one.
     */
    static boolean mayHaveOutcome(String json, String outcome) {
        if (json == null || !plain(outcome)) {
            return true; // its JSON form could be escaped: no cheap answer
        }
        for (int at = json.indexOf(OUTCOME); at >= 0; at = json.indexOf(OUTCOME, at + 1)) {
            int value = at + OUTCOME.length();
            int end = value + outcome.length();
            if (end < json.length() && json.charAt(end) == '"' && json.regionMatches(true, value, outcome, 0,
                    outcome.length())) {
                return true;
            }
        }
        return false;
    }

    /** Letters, digits, '_' and '-' only: characters canonical JSON writes as they are. */
    private static boolean plain(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-')) {
                return false;
            }
        }
        return !text.isEmpty();
    }
}
