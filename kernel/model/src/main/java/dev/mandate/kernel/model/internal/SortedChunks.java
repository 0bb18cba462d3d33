package dev.mandate.kernel.model.internal;

import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A persistent sorted map from string keys to values with structural sharing: a two-level B+ tree
 * whose leaves (chunks) hold up to {@value #MAX_CHUNK} sorted entries. A new version copies the
 * top-level arrays (one slot per chunk, about n/300) and only the chunks it changes, so a commit
 * of k changes costs O(n/300 + k·300) instead of a copy of the whole map.
 *
 * <p>Immutable and thread-safe. Changes go through an {@link Editor}, which owns the chunks it has
 * copied and changes them in place (a "transient"), and is single-threaded.
 *
 * @param <V> the value type
 */
final class SortedChunks<V> implements Iterable<V> {
    static final int MAX_CHUNK = 512;

    private static final SortedChunks<?> EMPTY = new SortedChunks<>(new String[0], new Chunk[0], 0, 0);

    /** A sorted leaf. Mutable only while the editor that created it is editing. */
    private static final class Chunk {
        String[] keys;
        Object[] values;
        int size;

        Chunk(int capacity) {
            keys = new String[capacity];
            values = new Object[capacity];
        }

        Chunk copy() {
            Chunk copy = new Chunk(MAX_CHUNK + 1);
            System.arraycopy(keys, 0, copy.keys, 0, size);
            System.arraycopy(values, 0, copy.values, 0, size);
            copy.size = size;
            return copy;
        }

        int find(String key) {
            return Arrays.binarySearch(keys, 0, size, key);
        }
    }

    private final String[] firstKeys;
    private final Chunk[] chunks;
    private final int chunkCount;
    private final int size;

    private SortedChunks(String[] firstKeys, Chunk[] chunks, int chunkCount, int size) {
        this.firstKeys = firstKeys;
        this.chunks = chunks;
        this.chunkCount = chunkCount;
        this.size = size;
    }

    @SuppressWarnings("unchecked")
    static <V> SortedChunks<V> empty() {
        return (SortedChunks<V>) EMPTY;
    }

    int size() {
        return size;
    }

    /** The value of {@code key}, or null. */
    @SuppressWarnings("unchecked")
    V get(String key) {
        int c = chunkOf(firstKeys, chunkCount, key);
        if (c < 0) {
            return null;
        }
        Chunk chunk = chunks[c];
        int at = chunk.find(key);
        return at >= 0 ? (V) chunk.values[at] : null;
    }

    /** Values in key order. */
    @Override
    public Iterator<V> iterator() {
        return after(null);
    }

    /** Values whose keys are greater than {@code key} (all when null), in key order. */
    Iterator<V> after(String key) {
        int startChunk = 0;
        int startAt = 0;
        if (key != null && chunkCount > 0) {
            int c = Math.max(0, chunkOf(firstKeys, chunkCount, key));
            int at = chunks[c].find(key);
            startChunk = c;
            startAt = at >= 0 ? at + 1 : -at - 1;
        }
        int firstChunk = startChunk;
        int firstAt = startAt;
        return new Iterator<>() {
            private int c = firstChunk;
            private int at = firstAt;

            @Override
            public boolean hasNext() {
                while (c < chunkCount && at >= chunks[c].size) {
                    c++;
                    at = 0;
                }
                return c < chunkCount;
            }

            @Override
            @SuppressWarnings("unchecked")
            public V next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return (V) chunks[c].values[at++];
            }
        };
    }

    /** The index of the chunk that holds or would hold {@code key}: the last whose first key is not greater; -1 when empty. */
    private static int chunkOf(String[] firstKeys, int count, String key) {
        if (count == 0) {
            return -1;
        }
        int low = 0;
        int high = count - 1;
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            if (firstKeys[mid].compareTo(key) <= 0) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return low;
    }

    Editor<V> edit() {
        return new Editor<>(this);
    }

    /** Changes one version into the next. Not thread-safe; use once, then {@link #build()}. */
    static final class Editor<V> {
        private String[] firstKeys;
        private Chunk[] chunks;
        private int chunkCount;
        private int size;
        private final Set<Chunk> owned = Collections.newSetFromMap(new IdentityHashMap<>());

        private Editor(SortedChunks<V> base) {
            int capacity = Math.max(8, base.chunkCount + base.chunkCount / 8 + 1);
            firstKeys = Arrays.copyOf(base.firstKeys, capacity);
            chunks = Arrays.copyOf(base.chunks, capacity);
            chunkCount = base.chunkCount;
            size = base.size;
        }

        int size() {
            return size;
        }

        @SuppressWarnings("unchecked")
        V get(String key) {
            int c = chunkOf(firstKeys, chunkCount, key);
            if (c < 0) {
                return null;
            }
            Chunk chunk = chunks[c];
            int at = chunk.find(key);
            return at >= 0 ? (V) chunk.values[at] : null;
        }

        /** Sets the value of {@code key}; returns the previous one, or null. */
        @SuppressWarnings("unchecked")
        V put(String key, V value) {
            if (chunkCount == 0) {
                Chunk chunk = new Chunk(MAX_CHUNK + 1);
                owned.add(chunk);
                insertChunk(0, chunk, key);
            }
            int c = Math.max(0, chunkOf(firstKeys, chunkCount, key));
            Chunk chunk = writable(c);
            int at = chunk.find(key);
            if (at >= 0) {
                V previous = (V) chunk.values[at];
                chunk.values[at] = value;
                return previous;
            }
            at = -at - 1;
            System.arraycopy(chunk.keys, at, chunk.keys, at + 1, chunk.size - at);
            System.arraycopy(chunk.values, at, chunk.values, at + 1, chunk.size - at);
            chunk.keys[at] = key;
            chunk.values[at] = value;
            chunk.size++;
            size++;
            if (at == 0) {
                firstKeys[c] = key;
            }
            if (chunk.size > MAX_CHUNK) {
                split(c, chunk);
            }
            return null;
        }

        /** Removes {@code key}; returns its value, or null when it was absent. */
        @SuppressWarnings("unchecked")
        V remove(String key) {
            int c = chunkOf(firstKeys, chunkCount, key);
            if (c < 0 || chunks[c].find(key) < 0) {
                return null;
            }
            Chunk chunk = writable(c);
            int at = chunk.find(key);
            V previous = (V) chunk.values[at];
            System.arraycopy(chunk.keys, at + 1, chunk.keys, at, chunk.size - at - 1);
            System.arraycopy(chunk.values, at + 1, chunk.values, at, chunk.size - at - 1);
            chunk.size--;
            chunk.keys[chunk.size] = null;
            chunk.values[chunk.size] = null;
            size--;
            if (chunk.size == 0) {
                System.arraycopy(firstKeys, c + 1, firstKeys, c, chunkCount - c - 1);
                System.arraycopy(chunks, c + 1, chunks, c, chunkCount - c - 1);
                chunkCount--;
                firstKeys[chunkCount] = null;
                chunks[chunkCount] = null;
            } else if (at == 0) {
                firstKeys[c] = chunk.keys[0];
            }
            return previous;
        }

        private Chunk writable(int c) {
            Chunk chunk = chunks[c];
            if (!owned.contains(chunk)) {
                chunk = chunk.copy();
                owned.add(chunk);
                chunks[c] = chunk;
            }
            return chunk;
        }

        private void split(int c, Chunk full) {
            int half = full.size / 2;
            Chunk right = new Chunk(MAX_CHUNK + 1);
            right.size = full.size - half;
            System.arraycopy(full.keys, half, right.keys, 0, right.size);
            System.arraycopy(full.values, half, right.values, 0, right.size);
            Arrays.fill(full.keys, half, full.size, null);
            Arrays.fill(full.values, half, full.size, null);
            full.size = half;
            owned.add(right);
            insertChunk(c + 1, right, right.keys[0]);
        }

        private void insertChunk(int c, Chunk chunk, String firstKey) {
            if (chunkCount == chunks.length) {
                int capacity = chunks.length + chunks.length / 2 + 1;
                firstKeys = Arrays.copyOf(firstKeys, capacity);
                chunks = Arrays.copyOf(chunks, capacity);
            }
            System.arraycopy(firstKeys, c, firstKeys, c + 1, chunkCount - c);
            System.arraycopy(chunks, c, chunks, c + 1, chunkCount - c);
            firstKeys[c] = firstKey;
            chunks[c] = chunk;
            chunkCount++;
        }

        /** The new version. The editor stays usable; chunks shared with the result are copied again on change. */
        SortedChunks<V> build() {
            owned.clear();
            return new SortedChunks<>(Arrays.copyOf(firstKeys, chunkCount), Arrays.copyOf(chunks, chunkCount),
                    chunkCount, size);
        }
    }
}
