package dev.mandate.kernel.intent.internal;

import java.time.Instant;
import java.util.Set;

/**
 * A scoped, approved, expiring exception: matches of the named rules on the selected elements do
 * not count while it is live.
 *
 * @param name        the waiver name
 * @param version     its version
 * @param semver      the parsed version
 * @param owner       the team that asked for it
 * @param selector    the elements it covers
 * @param rules       the rules it waives: {@code <blueprint>#<rule-id>}, {@code <blueprint>#*} or {@code freeze:<name>}
 * @param approvedBy  who approved it
 * @param reason      why
 * @param expiresAt   when it stops counting
 * @param contentHash {@code sha256:<hex>} of the document
 * @param origin      where it came from
 * @param file        the file, for messages
 * @param line        where its name was written
 * @param column      where its name was written
 */
record WaiverDeclaration(String name, String version, Semver semver, String owner, Selector selector,
        Set<String> rules, String approvedBy, String reason, Instant expiresAt, String contentHash, String origin,
        String file, int line, int column) implements Declared {

    @Override
    public String kind() {
        return "Waiver";
    }

    /** Whether it covers this rule ({@code <blueprint>#<rule-id>} or {@code freeze:<name>}). */
    boolean covers(String rule) {
        if (rules.contains(rule)) {
            return true;
        }
        int hash = rule.indexOf('#');
        return hash > 0 && rules.contains(rule.substring(0, hash) + "#*");
    }

    boolean live(Instant at) {
        return at.isBefore(expiresAt);
    }
}
