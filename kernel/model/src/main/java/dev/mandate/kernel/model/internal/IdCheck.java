package dev.mandate.kernel.model.internal;

import dev.mandate.api.model.ElementIds;

/**
 * {@link ElementIds#isValid} without a regular expression: the commit path checks the id of every
 * element and both ends of every relation, and the matcher was a twentieth of its time. Accepts
 * exactly what {@code [a-z0-9][a-z0-9-]*(:[^:\s]+){3,}} of at most 1,024 characters accepts
 * (IdCheckTest compares the two).
 */
final class IdCheck {
    private IdCheck() {
    }

    static boolean isValid(String id) {
        if (id == null || id.isEmpty() || id.length() > 1024 || !providerChar(id.charAt(0), false)) {
            return false;
        }
        int length = id.length();
        int at = 1;
        while (at < length && id.charAt(at) != ':') {
            if (!providerChar(id.charAt(at), true)) {
                return false;
            }
            at++;
        }
        int segments = 0;
        while (at < length) { // at a colon
            int start = ++at;
            while (at < length && id.charAt(at) != ':') {
                if (whiteSpace(id.charAt(at))) {
                    return false;
                }
                at++;
            }
            if (at == start) {
                return false;
            }
            segments++;
        }
        return segments >= 3;
    }

    private static boolean providerChar(char c, boolean dash) {
        return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || dash && c == '-';
    }

    /** What {@code \s} matches by default. */
    private static boolean whiteSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }
}
