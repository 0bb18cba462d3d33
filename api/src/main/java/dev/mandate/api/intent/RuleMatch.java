package dev.mandate.api.intent;

import java.util.List;

/**
 * A constraint whose condition held for a request.
 *
 * @param source      {@code <blueprint>@<version>#<constraint>}
 * @param effect      what it does
 * @param message     what was found, with values
 * @param obligations what the actor must also do
 * @param severity    {@code low}, {@code medium}, {@code high} or {@code critical}
 */
public record RuleMatch(String source, Effect effect, String message, List<String> obligations, String severity) {
    public RuleMatch {
        obligations = obligations == null ? List.of() : List.copyOf(obligations);
    }
}
