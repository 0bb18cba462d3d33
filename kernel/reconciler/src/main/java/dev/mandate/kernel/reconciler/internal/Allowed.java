package dev.mandate.kernel.reconciler.internal;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads the variation maps of the INTENDED layer ({@code equals}, {@code oneOf}, {@code min},
 * {@code max}, {@code pattern}): whether an observed value is allowed, and what is, in words.
 */
final class Allowed {
    private Allowed() {
    }

    static boolean allows(Map<?, ?> spec, Object value) {
        if (value == null) {
            return Boolean.TRUE.equals(spec.get("optional"));
        }
        if (spec.containsKey("equals") && !same(spec.get("equals"), value)) {
            return false;
        }
        if (spec.get("oneOf") instanceof List<?> oneOf && !oneOf.isEmpty()
                && oneOf.stream().noneMatch(allowed -> same(allowed, value))) {
            return false;
        }
        BigDecimal number = number(value);
        BigDecimal min = number(spec.get("min"));
        BigDecimal max = number(spec.get("max"));
        if ((min != null || max != null)
                && (number == null || min != null && number.compareTo(min) < 0 || max != null && number.compareTo(max) > 0)) {
            return false;
        }
        if (spec.get("pattern") instanceof String pattern) {
            try {
                return Pattern.compile(pattern).matcher(String.valueOf(value)).matches();
            } catch (PatternSyntaxException e) {
                return true; // the intent compiler checked it; nothing to judge by
            }
        }
        return true;
    }

    static String describe(Map<?, ?> spec) {
        StringBuilder text = new StringBuilder();
        if (spec.containsKey("equals")) {
            text.append(shown(spec.get("equals")));
        }
        if (spec.get("oneOf") instanceof List<?> oneOf && !oneOf.isEmpty()) {
            text.append(text.length() == 0 ? "" : " and ").append("one of ").append(oneOf);
        }
        if (spec.get("min") != null || spec.get("max") != null) {
            text.append(text.length() == 0 ? "" : " and ").append("between ")
                    .append(spec.get("min") == null ? "-inf" : spec.get("min")).append(" and ")
                    .append(spec.get("max") == null ? "+inf" : spec.get("max"));
        }
        if (spec.get("pattern") != null) {
            text.append(text.length() == 0 ? "" : " and ").append("matching '").append(spec.get("pattern")).append('\'');
        }
        return text.toString();
    }

    private static boolean same(Object allowed, Object value) {
        BigDecimal a = number(allowed);
        BigDecimal b = number(value);
        if (a != null && b != null) {
            return a.compareTo(b) == 0;
        }
        return String.valueOf(allowed).equals(String.valueOf(value));
    }

    private static BigDecimal number(Object value) {
        if (value instanceof Number || value instanceof String) {
            try {
                return new BigDecimal(value.toString().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static String shown(Object value) {
        return value instanceof String text ? "'" + text + "'" : String.valueOf(value);
    }
}
