package dev.mandate.kernel.intent.internal;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One allowed variation of an attribute: the value must equal one value, be one of several, lie in
 * a numeric range or match a pattern. The attribute is a dotted path into the attributes
 * ({@code encryption.enabled}). Immutable.
 *
 * @param attribute the dotted attribute path
 * @param equals    the one allowed value, or {@code null}
 * @param oneOf     the allowed values, or empty
 * @param min       the lowest allowed number, or {@code null}
 * @param max       the highest allowed number, or {@code null}
 * @param pattern   a regular expression the whole text must match, or {@code null}
 * @param optional  whether the attribute may be absent (a create without it is then within the variation)
 */
record Variation(String attribute, Object equals, List<Object> oneOf, Double min, Double max, Pattern pattern,
        boolean optional) {

    /** The value at a dotted path of a JSON-like tree; {@code null} when absent. */
    static Object at(Map<String, Object> attributes, String path) {
        Object current = attributes;
        for (String part : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(part);
        }
        return current;
    }

    /** Whether the path is present in a tree (for an update: whether the request changes it). */
    static boolean has(Map<String, Object> attributes, String path) {
        return at(attributes, path) != null;
    }

    /** Whether a value is within this variation. */
    boolean allows(Object value) {
        if (value == null) {
            return optional;
        }
        if (equals != null && !same(equals, value)) {
            return false;
        }
        if (!oneOf.isEmpty() && oneOf.stream().noneMatch(allowed -> same(allowed, value))) {
            return false;
        }
        if (min != null || max != null) {
            Double number = number(value);
            if (number == null || min != null && number < min || max != null && number > max) {
                return false;
            }
        }
        return pattern == null || pattern.matcher(String.valueOf(value)).matches();
    }

    /** What is allowed as a JSON-like map (the INTENDED layer's form), naming the declaring blueprint. */
    Map<String, Object> spec(String blueprint) {
        Map<String, Object> spec = new java.util.LinkedHashMap<>();
        if (equals != null) {
            spec.put("equals", equals);
        }
        if (!oneOf.isEmpty()) {
            spec.put("oneOf", oneOf);
        }
        if (min != null) {
            spec.put("min", min);
        }
        if (max != null) {
            spec.put("max", max);
        }
        if (pattern != null) {
            spec.put("pattern", pattern.pattern());
        }
        spec.put("optional", optional);
        spec.put("blueprint", blueprint);
        return spec;
    }

    /** What is allowed, in words. */
    String allowed() {
        StringBuilder text = new StringBuilder();
        if (equals != null) {
            text.append(CelValues.format(equals));
        }
        if (!oneOf.isEmpty()) {
            text.append(text.length() == 0 ? "" : " and ").append("one of ").append(CelValues.format(oneOf));
        }
        if (min != null || max != null) {
            text.append(text.length() == 0 ? "" : " and ").append("between ")
                    .append(min == null ? "-inf" : CelValues.format(min)).append(" and ")
                    .append(max == null ? "+inf" : CelValues.format(max));
        }
        if (pattern != null) {
            text.append(text.length() == 0 ? "" : " and ").append("matching '").append(pattern.pattern()).append('\'');
        }
        return text.toString();
    }

    private static boolean same(Object allowed, Object value) {
        Double a = number(allowed);
        Double b = number(value);
        if (a != null && b != null) {
            return a.doubleValue() == b.doubleValue();
        }
        return String.valueOf(allowed).equals(String.valueOf(value));
    }

    private static Double number(Object value) {
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        if (value instanceof String text) {
            try {
                return Double.valueOf(text.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
