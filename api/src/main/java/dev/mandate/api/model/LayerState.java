package dev.mandate.api.model;

import java.time.Instant;
import java.util.Map;

/**
 * One layer of one element: where it came from, when it was observed, the hash of its content,
 * and its attributes as that source saw them.
 *
 * @param source      the connector, state file or blueprint that produced this layer
 * @param observedAt  when the source observed it
 * @param contentHash {@code sha256:<hex>} of the canonical attributes
 * @param attributes  the attributes as a JSON-like tree (maps, lists, strings, numbers, booleans)
 */
public record LayerState(String source, Instant observedAt, String contentHash, Map<String, Object> attributes) {
    public LayerState {
        attributes = Immutables.map(attributes);
    }
}
