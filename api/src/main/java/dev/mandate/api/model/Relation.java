package dev.mandate.api.model;

import java.util.Map;

/**
 * A typed edge from one element to another, with properties (ports, protocols, data
 * classification for {@link RelationType#FLOWS_DATA_TO}).
 */
public record Relation(RelationType type, String from, String to, Map<String, Object> properties) {
    public Relation {
        properties = Immutables.map(properties);
    }

    /** A relation without properties. */
    public static Relation of(RelationType type, String from, String to) {
        return new Relation(type, from, to, Map.of());
    }
}
