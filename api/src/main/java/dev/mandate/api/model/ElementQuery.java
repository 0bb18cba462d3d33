package dev.mandate.api.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A filter over the elements of one revision. Every field is optional ({@code null} matches all).
 *
 * @param kind        exact kind
 * @param provider    exact provider
 * @param owner       exact owner team id, or {@link #NO_OWNER} for elements without one
 * @param environment exact environment
 * @param trustZone   exact trust zone
 * @param text        case-insensitive substring of the id or the {@code name} attribute
 * @param cursor      where the previous page ended ({@link ElementPage#nextCursor()})
 * @param limit       page size, 1 to 1000
 * @param labels      labels an element must all carry with exactly these values (empty matches all)
 * @param attributes  attribute paths ({@code a.b.c}, a number selects a list item) whose effective value,
 *                    as text, must equal the given one (empty matches all); since 1.1
 */
public record ElementQuery(String kind, String provider, String owner, String environment, String trustZone,
        String text, String cursor, int limit, Map<String, String> labels, Map<String, String> attributes) {

    /** The owner value that selects elements without an accountable owner. */
    public static final String NO_OWNER = "none";

    public ElementQuery {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be between 1 and 1000, was " + limit);
        }
        labels = Immutables.map(labels);
        attributes = Immutables.map(attributes);
    }

    /** A query without label or attribute conditions. */
    public ElementQuery(String kind, String provider, String owner, String environment, String trustZone,
            String text, String cursor, int limit) {
        this(kind, provider, owner, environment, trustZone, text, cursor, limit, Map.of(), Map.of());
    }

    /**
     * Parses {@code key=value} conditions (labels, attribute paths) as query strings carry them.
     *
     * @throws IllegalArgumentException when a condition has no {@code =} or an empty key
     * @since 1.1
     */
    public static Map<String, String> conditions(String what, Iterable<String> pairs) {
        Map<String, String> parsed = new LinkedHashMap<>();
        if (pairs == null) {
            return parsed;
        }
        for (String pair : pairs) {
            if (pair == null || pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException(what + " condition '" + pair + "' is not key=value");
            }
            parsed.put(pair.substring(0, eq).trim(), pair.substring(eq + 1));
        }
        return parsed;
    }

    /** Every element, in pages of {@code limit}. */
    public static ElementQuery all(int limit) {
        return new ElementQuery(null, null, null, null, null, null, null, limit);
    }
}
