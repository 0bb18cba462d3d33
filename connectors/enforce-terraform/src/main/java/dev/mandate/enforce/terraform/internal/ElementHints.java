package dev.mandate.enforce.terraform.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a create tells about the element it brings into being beyond the provider's attributes: its owning
 * team, environment and trust zone from the resource's tags ({@code mandate:owner}, {@code owner},
 * {@code team}; {@code mandate:environment}, {@code environment}, {@code env}; {@code mandate:trust-zone},
 * {@code trust-zone}), and its labels (the tags). The decision point reads these from the create's
 * {@code after}; they are added only where the provider's attributes do not already use the key.
 */
final class ElementHints {

    private static final List<String> OWNER = List.of("mandate:owner", "mandate-owner", "owner", "team");
    private static final List<String> ENVIRONMENT = List.of("mandate:environment", "mandate-environment", "environment",
            "env");
    private static final List<String> TRUST_ZONE = List.of("mandate:trust-zone", "mandate-trust-zone", "trust-zone",
            "trustzone", "trust_zone");

    private ElementHints() {
    }

    /**
     * The hints found in {@code after}'s tags ({@code owner}, {@code environment}, {@code trustZone},
     * {@code labels}); empty when it has no tags.
     */
    static Map<String, Object> of(Map<String, Object> after) {
        Map<String, String> tags = tags(after);
        Map<String, Object> hints = new LinkedHashMap<>();
        if (tags.isEmpty()) {
            return hints;
        }
        put(hints, "owner", first(tags, OWNER), false);
        put(hints, "environment", first(tags, ENVIRONMENT), true);
        put(hints, "trustZone", first(tags, TRUST_ZONE), false);
        Map<String, String> labels = new LinkedHashMap<>();
        tags.forEach((k, v) -> {
            if (!k.toLowerCase(Locale.ROOT).startsWith("mandate")) {
                labels.put(k, v);
            }
        });
        if (!labels.isEmpty()) {
            hints.put("labels", labels);
        }
        return hints;
    }

    /** {@code after} with each hint added under its key, unless the provider's attributes already use that key. */
    static Map<String, Object> apply(Map<String, Object> after, Map<String, Object> hints) {
        if (after == null || hints.isEmpty()) {
            return after;
        }
        Map<String, Object> out = new LinkedHashMap<>(after);
        hints.forEach(out::putIfAbsent);
        return out;
    }

    private static Map<String, String> tags(Map<String, Object> after) {
        Map<String, String> tags = new LinkedHashMap<>();
        if (after == null) {
            return tags;
        }
        for (String key : List.of("tags_all", "tags")) {
            if (after.get(key) instanceof Map<?, ?> map) {
                map.forEach((k, v) -> {
                    if (k != null && v instanceof String s && !s.isBlank()) {
                        tags.put(String.valueOf(k), s.trim());
                    }
                });
            }
        }
        return tags;
    }

    private static String first(Map<String, String> tags, List<String> keys) {
        for (String key : keys) {
            for (Map.Entry<String, String> tag : tags.entrySet()) {
                if (tag.getKey().equalsIgnoreCase(key)) {
                    return tag.getValue();
                }
            }
        }
        return null;
    }

    private static void put(Map<String, Object> hints, String key, String value, boolean lowerCase) {
        if (value != null) {
            hints.put(key, lowerCase ? value.toLowerCase(Locale.ROOT) : value);
        }
    }
}
