package dev.mandate.api.intent;

import java.util.List;

/**
 * Who owns an element according to the organisation's {@code Ownership} documents (IOM §7):
 * explicit selector rules, never guessed from names. A rule declared by the organisation wins over
 * an owner that a connector reports on the element.
 *
 * @param accountable the accountable team id (exactly one)
 * @param responsible teams that operate it
 * @param consulted   teams to consult on changes
 * @param source      the rule that matched: {@code ownership:<name>@<version>#<rule-id>}
 * @since 1.1
 */
public record ElementOwnership(String accountable, List<String> responsible, List<String> consulted,
        String source) {

    public ElementOwnership {
        responsible = responsible == null ? List.of() : List.copyOf(responsible);
        consulted = consulted == null ? List.of() : List.copyOf(consulted);
    }
}
