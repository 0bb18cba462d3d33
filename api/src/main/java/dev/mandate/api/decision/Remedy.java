package dev.mandate.api.decision;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the actor can change so that a decision that is not an ALLOW comes out better, in a form an
 * agent can act on. Derived from the rules that fired and the decision rights in force (never a
 * text written per rule): the decision point tries each change it can make on the actor's side and
 * keeps those that take blocking reasons away.
 *
 * @param kind       a stable code: {@code request-approval}, {@code act-for-owner},
 *                   {@code add-justification}, {@code declare-agent}, {@code raise-assurance},
 *                   {@code use-human-actor}, {@code use-other-environment}, {@code reduce-blast-radius},
 *                   {@code wait-until}, {@code change-attribute}, {@code set-owner}, {@code assign-owner},
 *                   {@code resolve-drift}
 * @param message    one lowercase line saying what to do, with the values
 * @param clears     the reason sources ({@code <blueprint>@<version>#<constraint>} …) this change takes away
 * @param parameters the values an agent needs to act ({@code approvers}, {@code team}, {@code max},
 *                   {@code environment}, {@code at}, {@code attribute} …)
 * @param sufficient whether this change alone turns the decision into an ALLOW
 * @since 1.2
 */
public record Remedy(String kind, String message, List<String> clears, Map<String, Object> parameters,
        boolean sufficient) {

    public Remedy {
        clears = clears == null ? List.of() : List.copyOf(clears);
        parameters = parameters == null || parameters.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }
}
