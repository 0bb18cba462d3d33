package dev.mandate.api.model;

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
 */
public record ElementQuery(String kind, String provider, String owner, String environment, String trustZone,
        String text, String cursor, int limit) {

    /** The owner value that selects elements without an accountable owner. */
    public static final String NO_OWNER = "none";

    public ElementQuery {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be between 1 and 1000, was " + limit);
        }
    }

    /** Every element, in pages of {@code limit}. */
    public static ElementQuery all(int limit) {
        return new ElementQuery(null, null, null, null, null, null, null, limit);
    }
}
