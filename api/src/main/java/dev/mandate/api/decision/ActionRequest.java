package dev.mandate.api.decision;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A proposed change, asked before it executes.
 *
 * @param actor         who asks
 * @param action        what they want to do
 * @param target        the element id the action is on (for {@link Action#CREATE}, the id it will have)
 * @param justification why, in the actor's words
 * @param before        the attributes before the change, where the caller knows them
 * @param after         the attributes after the change (create, update, replace, scale)
 * @param context       further facts about the request (change ticket, source zone, MFA …)
 */
public record ActionRequest(Actor actor, Action action, String target, String justification,
        Map<String, Object> before, Map<String, Object> after, Map<String, Object> context) {

    public ActionRequest {
        before = copy(before);
        after = copy(after);
        context = copy(context);
    }

    /** A request without before/after attributes or context. */
    public static ActionRequest of(Actor actor, Action action, String target, String justification) {
        return new ActionRequest(actor, action, target, justification, null, null, null);
    }

    private static Map<String, Object> copy(Map<String, Object> source) {
        return source == null || source.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(source));
    }
}
