package dev.mandate.api.model;

import java.util.regex.Pattern;

/**
 * The element id scheme: {@code provider:service:type:qualifier…:native-id}, at least four
 * colon-separated segments, none empty, no white space. The kind of an element is its first
 * three segments.
 */
public final class ElementIds {
    private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9-]*(:[^:\\s]+){3,}");

    private ElementIds() {
    }

    /** Whether {@code id} follows the scheme. */
    public static boolean isValid(String id) {
        return id != null && id.length() <= 1024 && VALID.matcher(id).matches();
    }

    /**
     * Checks {@code id} and returns it.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static String require(String id) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("element id is missing");
        }
        if (!isValid(id)) {
            throw new IllegalArgumentException("malformed element id '" + id
                    + "': expected provider:service:type:…:native-id with at least four segments");
        }
        return id;
    }

    /** The kind of a valid id: its first three segments. */
    public static String kindOf(String id) {
        int first = id.indexOf(':');
        int second = id.indexOf(':', first + 1);
        int third = id.indexOf(':', second + 1);
        return third < 0 ? id : id.substring(0, third);
    }
}
