package dev.mandate.kernel.model.internal;

/**
 * The 64-bit key under which the history tables index an element id: FNV-1a over the id's UTF-16
 * code units, then the MurmurHash3 finaliser to spread the bits. Stored in the database, so it
 * must never change. Ids that collide share an index key; every query compares the id as well.
 */
final class IdHash {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private IdHash() {
    }

    static long of(String id) {
        long hash = FNV_OFFSET;
        for (int i = 0; i < id.length(); i++) {
            hash ^= id.charAt(i);
            hash *= FNV_PRIME;
        }
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        hash *= 0xc4ceb9fe1a85ec53L;
        hash ^= hash >>> 33;
        return hash;
    }
}
