package dev.mandate.kernel.decision.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.ElementIds;

/**
 * The element a create request would bring into being, built from the request's {@code after}
 * attributes, so that constraints see the element as it would be.
 */
final class ProposedElement {
    private ProposedElement() {
    }

    static Element of(ActionRequest request) {
        Map<String, Object> after = request.after();
        String id = request.target();
        String kind = ElementIds.kindOf(id);
        String provider = id.substring(0, id.indexOf(':'));
        return new Element(id, kind, provider, text(after, "environment"), text(after, "trustZone"),
                text(after, "owner"), labels(after.get("labels")), after, Map.of());
    }

    private static String text(Map<String, Object> after, String key) {
        Object value = after.get(key);
        return value == null ? null : value.toString();
    }

    private static Map<String, String> labels(Object value) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> labels.put(String.valueOf(k), String.valueOf(v)));
        }
        return labels;
    }
}
