package dev.mandate.api.intent;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the blueprints in force intend for one element: the INTENDED layer of the canonical model
 * (IOM §16, "Reconciliation") as the intent compiler derives it. An element is bound to every
 * blueprint whose {@code appliesTo} selects it; the blueprints' variations say which values its
 * attributes may take. Immutable.
 *
 * @param blueprints the blueprints that bind the element ({@code name@version}), sorted
 * @param variations the allowed values per dotted attribute path ({@code encryption.enabled}), each a
 *                   JSON-like map with any of {@code equals}, {@code oneOf} (a list), {@code min},
 *                   {@code max} (numbers), {@code pattern} (a regular expression the whole text must
 *                   match), {@code optional} (whether the attribute may be absent) and {@code blueprint}
 *                   (the {@code name@version} that declares it); where two blueprints declare the same
 *                   path, the first by name wins
 * @since 1.2
 */
public record IntendedState(List<String> blueprints, Map<String, Map<String, Object>> variations) {

    public IntendedState {
        blueprints = blueprints == null ? List.of() : List.copyOf(blueprints);
        Map<String, Map<String, Object>> copy = new LinkedHashMap<>();
        if (variations != null) {
            variations.forEach((path, spec) -> copy.put(path, Collections.unmodifiableMap(new LinkedHashMap<>(spec))));
        }
        variations = Collections.unmodifiableMap(copy);
    }

    /** {@code intent:} followed by the binding blueprints joined by {@code ,}: the INTENDED layer's source. */
    public String source() {
        return "intent:" + String.join(",", blueprints);
    }
}
