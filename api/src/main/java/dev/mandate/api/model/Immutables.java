package dev.mandate.api.model;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Defensive copies that keep insertion order and tolerate JSON nulls (which Map.copyOf does not). */
final class Immutables {
    private Immutables() {
    }

    static <K, V> Map<K, V> map(Map<K, V> source) {
        if (source == null || source.isEmpty()) {
            return Map.of();
        }
        if (source instanceof Frozen<K, V>) {
            return source; // made here before: immutable, no second copy
        }
        return new Frozen<>(new LinkedHashMap<>(source));
    }

    /** An unmodifiable copy that {@link #map} recognises, so records built from records share maps. */
    private static final class Frozen<K, V> extends AbstractMap<K, V> {
        private final Map<K, V> view;

        Frozen(Map<K, V> copy) {
            this.view = Collections.unmodifiableMap(copy);
        }

        @Override
        public Set<Entry<K, V>> entrySet() {
            return view.entrySet();
        }

        @Override
        public V get(Object key) {
            return view.get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            return view.containsKey(key);
        }

        @Override
        public int size() {
            return view.size();
        }
    }

    static <T> List<T> list(List<T> source) {
        return source == null ? List.of() : List.copyOf(source);
    }
}
