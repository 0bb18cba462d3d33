package dev.mandate.kernel.decision.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.ElementIds;

/**
 * The element a create request would bring into being, built from the request's {@code after}
 * attributes, so that constraints see the element as it would be. Where an adapter separated the
 * element's own facts (owner, environment, trust zone, labels) from the resource's attributes, in
 * {@code context.proposed}, those win: a resource may have an attribute of the same name that means
 * something else (a Lambda function's {@code environment} block).
 */
final class ProposedElement {
    private ProposedElement() {
    }

    static Element of(ActionRequest request) {
        Map<String, Object> after = request.after();
        Map<String, Object> facts = request.context().get("proposed") instanceof Map<?, ?> proposed
                ? stringKeys(proposed) : after;
        String id = request.target();
        String kind = ElementIds.kindOf(id);
        String provider = id.substring(0, id.indexOf(':'));
        return new Element(id, kind, provider, text(facts, "environment"), text(facts, "trustZone"),
                text(facts, "owner"), labels(facts.get("labels")), after, Map.of());
    }

    private static String text(Map<String, Object> facts, String key) {
        Object value = facts.get(key);
        return value instanceof String || value instanceof Number || value instanceof Boolean ? value.toString() : null;
    }

    private static Map<String, Object> stringKeys(Map<?, ?> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(String.valueOf(k), v));
        return copy;
    }

    private static Map<String, String> labels(Object value) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> labels.put(String.valueOf(k), String.valueOf(v)));
        }
        return labels;
    }
}
