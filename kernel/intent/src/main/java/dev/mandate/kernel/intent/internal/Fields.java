package dev.mandate.kernel.intent.internal;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A CEL variable with fixed fields ({@code element}, {@code actor}, {@code request}, {@code blastRadius}):
 * the names shared by every instance, the values in one array. It reads as the {@code LinkedHashMap} it
 * stands for (the same entries in the same order, equal to it) for a fraction of the allocation: every
 * evaluation builds these variables, and CEL and the guards only look fields up by name. Values are
 * never null. Immutable.
 */
final class Fields extends AbstractMap<String, Object> {

    private final String[] names;
    private final Object[] values;

    /** These values under these names, in this order. */
    Fields(String[] names, Object... values) {
        if (names.length != values.length) {
            throw new IllegalArgumentException(names.length + " names for " + values.length + " values");
        }
        this.names = names;
        this.values = values;
    }

    private int indexOf(Object key) {
        for (int i = 0; i < names.length; i++) {
            if (names[i] == key) {
                return i; // the same literal, as the engine's own paths pass it
            }
        }
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public Object get(Object key) {
        int at = indexOf(key);
        return at < 0 ? null : values[at];
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public int size() {
        return names.length;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < names.length;
                    }

                    @Override
                    public Entry<String, Object> next() {
                        if (next >= names.length) {
                            throw new NoSuchElementException();
                        }
                        Entry<String, Object> entry = new SimpleImmutableEntry<>(names[next], values[next]);
                        next++;
                        return entry;
                    }
                };
            }

            @Override
            public int size() {
                return names.length;
            }
        };
    }
}
