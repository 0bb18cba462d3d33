package dev.mandate.kernel.model.internal;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * A persistent hash map from string keys to values with structural sharing: {@value #PARTITIONS}
 * partitions by hash, each a plain hash map. A new version copies the partition array and the
 * partitions it changes. Lookups touch one partition (a few cache lines), where a sorted structure
 * of a million keys pays a cache miss per comparison.
 *
 * <p>Immutable and thread-safe once built; changes go through a single-threaded {@link Editor}
 * that changes the partitions it has copied in place.
 *
 * @param <V> the value type
 */
final class HashChunks<V> {
    static final int PARTITION_BITS = 12;
    static final int PARTITIONS = 1 << PARTITION_BITS;

    private static final HashChunks<?> EMPTY = new HashChunks<>(new HashMap<?, ?>[PARTITIONS]);

    private final HashMap<String, V>[] partitions;

    private HashChunks(HashMap<?, ?>[] partitions) {
        @SuppressWarnings("unchecked")
        HashMap<String, V>[] typed = (HashMap<String, V>[]) partitions;
        this.partitions = typed;
    }

    @SuppressWarnings("unchecked")
    static <V> HashChunks<V> empty() {
        return (HashChunks<V>) EMPTY;
    }

    private static int partitionOf(String key) {
        // the top bits of a multiplicative hash: a partition's HashMap indexes its buckets by the low
        // bits of (hash ^ hash >>> 16); partitioning by those same bits put every key of a partition
        // into one bucket (a tree of string comparisons per lookup)
        return (key.hashCode() * 0x9E3779B9) >>> (32 - PARTITION_BITS);
    }

    /** The value of {@code key}, or null. */
    V get(String key) {
        HashMap<String, V> partition = partitions[partitionOf(key)];
        return partition == null ? null : partition.get(key);
    }

    Editor<V> edit() {
        return new Editor<>(this);
    }

    /** Changes one version into the next. Not thread-safe. */
    static final class Editor<V> {
        private final HashMap<String, V>[] partitions;
        private final Set<HashMap<String, V>> owned = Collections.newSetFromMap(new IdentityHashMap<>());

        private Editor(HashChunks<V> base) {
            this.partitions = Arrays.copyOf(base.partitions, PARTITIONS);
        }

        V get(String key) {
            HashMap<String, V> partition = partitions[partitionOf(key)];
            return partition == null ? null : partition.get(key);
        }

        V put(String key, V value) {
            return writable(partitionOf(key)).put(key, value);
        }

        V remove(String key) {
            int at = partitionOf(key);
            HashMap<String, V> partition = partitions[at];
            if (partition == null || !partition.containsKey(key)) {
                return null;
            }
            return writable(at).remove(key);
        }

        private HashMap<String, V> writable(int at) {
            HashMap<String, V> partition = partitions[at];
            if (partition == null) {
                partition = new HashMap<>();
                owned.add(partition);
                partitions[at] = partition;
            } else if (!owned.contains(partition)) {
                partition = new HashMap<>(partition);
                owned.add(partition);
                partitions[at] = partition;
            }
            return partition;
        }

        /** The new version; partitions shared with it are copied again on the next change. */
        HashChunks<V> build() {
            owned.clear();
            return new HashChunks<>(Arrays.copyOf(partitions, PARTITIONS));
        }
    }
}
