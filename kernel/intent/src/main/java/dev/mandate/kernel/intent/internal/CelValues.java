package dev.mandate.kernel.intent.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.cel.common.values.NullValue;

/**
 * Converts between the Java values of the model (JSON-like trees) and the values CEL works on:
 * integers become {@code Long}, decimals {@code Double}; map entries whose value is null are left
 * out, so that {@code has(x.y)} is false for them (a JSON null owner must not pass as "an owner").
 */
final class CelValues {

    private CelValues() {
    }

    static Object toCel(Object value) {
        if (value == null) {
            return NullValue.NULL_VALUE;
        }
        if (value instanceof String || value instanceof Boolean || value instanceof Long || value instanceof Double
                || value instanceof Instant) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float) {
            return ((Float) value).doubleValue();
        }
        if (value instanceof BigInteger big) {
            return big.bitLength() < 64 ? (Object) big.longValue() : (Object) big.doubleValue();
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.doubleValue();
        }
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        if (value instanceof Map<?, ?> map) {
            return toCelMap(map);
        }
        if (value instanceof List<?> items && items instanceof java.util.RandomAccess && scalars(items)) {
            return items; // CEL reads a list of its own scalars as it is: no copy per read
        }
        if (value instanceof Collection<?> collection) {
            List<Object> list = new ArrayList<>(collection.size());
            for (Object item : collection) {
                list.add(toCel(item));
            }
            return list;
        }
        if (value instanceof Object[] array) {
            return toCel(List.of(array));
        }
        if (value instanceof Enum<?> constant) {
            return constant.toString();
        }
        return value.toString();
    }

    /** Whether every item is text, a boolean, a long or a double (what {@link #toCel} leaves as it is). */
    private static boolean scalars(List<?> items) {
        for (int i = 0, size = items.size(); i < size; i++) {
            Object item = items.get(i);
            if (!(item instanceof String || item instanceof Boolean || item instanceof Long || item instanceof Double)) {
                return false;
            }
        }
        return true;
    }

    static Map<String, Object> toCelMap(Map<?, ?> map) {
        Map<String, Object> converted = new LinkedHashMap<>(Math.max(4, map.size() * 2));
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (entry.getKey() != null && entry.getValue() != null) {
                converted.put(entry.getKey().toString(), toCel(entry.getValue()));
            }
        }
        return converted;
    }

    /**
     * The map as CEL sees it ({@link #toCelMap}), converted entry by entry as expressions read it
     * rather than all at once: a rule reading {@code element.attributes.account} converts that
     * value only. Entries whose value is null are absent. Read-only; the source must not change
     * while the view is in use (model maps are immutable).
     */
    static Map<String, Object> view(Map<?, ?> map) {
        return map == null || map.isEmpty() ? Map.of() : new View(map);
    }

    private static final class View extends AbstractMap<String, Object> {
        private final Map<?, ?> source;
        private Map<String, Object> all;

        View(Map<?, ?> source) {
            this.source = source;
        }

        @Override
        public Object get(Object key) {
            Object value = key instanceof String ? source.get(key) : null;
            if (value == null) {
                return null;
            }
            return value instanceof Map<?, ?> nested ? view(nested) : toCel(value);
        }

        @Override
        public boolean containsKey(Object key) {
            return key instanceof String && source.get(key) != null;
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            Map<String, Object> converted = all;
            if (converted == null) {
                converted = Collections.unmodifiableMap(toCelMap(source));
                all = converted;
            }
            return converted.entrySet();
        }
    }

    /** Back to plain Java for a {@code ConstraintFunction}: CEL null becomes {@code null}. */
    static Object toJava(Object value) {
        if (value instanceof NullValue) {
            return null;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> converted = new LinkedHashMap<>();
            map.forEach((key, item) -> converted.put(String.valueOf(key), toJava(item)));
            return converted;
        }
        if (value instanceof List<?> items && items instanceof java.util.RandomAccess && scalars(items)) {
            return items; // CEL reads a list of its own scalars as it is: no copy per read
        }
        if (value instanceof Collection<?> collection) {
            List<Object> list = new ArrayList<>(collection.size());
            collection.forEach(item -> list.add(toJava(item)));
            return list;
        }
        return value;
    }

    /** How a value reads in a rule message: lists as {@code a, b}, strings without quotes. */
    static String format(Object value) {
        if (value == null || value instanceof NullValue) {
            return "null";
        }
        if (value instanceof Collection<?> collection) {
            if (collection.isEmpty()) {
                return "none";
            }
            StringBuilder text = new StringBuilder();
            for (Object item : collection) {
                text.append(text.length() == 0 ? "" : ", ").append(format(item));
            }
            return text.toString();
        }
        if (value instanceof Map<?, ?> map) {
            StringBuilder text = new StringBuilder("{");
            map.forEach((key, item) -> text.append(text.length() == 1 ? "" : ", ").append(key).append(": ")
                    .append(format(item)));
            return text.append('}').toString();
        }
        if (value instanceof Double number && number == Math.rint(number) && !Double.isInfinite(number)
                && Math.abs(number) < 1e15) {
            return Long.toString(number.longValue());
        }
        return value.toString();
    }
}
