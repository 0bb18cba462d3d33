package dev.mandate.kernel.intent.internal;

import java.util.List;

/**
 * An organisation's ownership rules: the first rule whose selector matches an element names its
 * accountable team and the teams responsible and consulted.
 *
 * @param name        the document name
 * @param version     its version
 * @param semver      the parsed version
 * @param owner       the team that maintains the rules
 * @param rules       the rules, in document order
 * @param contentHash {@code sha256:<hex>} of the document
 * @param origin      where it came from
 * @param file        the file, for messages
 * @param line        where its name was written
 * @param column      where its name was written
 */
record OwnershipDeclaration(String name, String version, Semver semver, String owner, List<Rule> rules,
        String contentHash, String origin, String file, int line, int column) implements Declared {

    @Override
    public String kind() {
        return "Ownership";
    }

    /**
     * One rule.
     *
     * @param id          the rule id, cited as {@code ownership:<name>@<version>#<id>}
     * @param selector    the elements it covers
     * @param accountable the accountable team
     * @param responsible the teams that operate the elements
     * @param consulted   the teams consulted on changes
     * @param line        where it was written
     * @param column      where it was written
     */
    record Rule(String id, Selector selector, String accountable, List<String> responsible, List<String> consulted,
            int line, int column) {
    }
}
