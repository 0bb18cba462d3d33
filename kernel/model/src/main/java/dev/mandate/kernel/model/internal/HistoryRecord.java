package dev.mandate.kernel.model.internal;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * One version in the history runs ({@link HistoryRuns}): an element version, a relation version,
 * or the note that a relation entering an element was closed. Every record is found by one id,
 * its <em>lookup id</em> (the element, the relation's source, the closed relation's target), and
 * sorts by that id's {@link IdHash}, then its key bytes, then its revision, so that all versions
 * under one id lie next to each other in a run.
 *
 * <p>The key is the lookup id in UTF-8, a zero byte, the record's kind, and for relations and
 * closed notes the relation type, a zero byte and the other end. A record without {@code present}
 * says that from its revision on the thing is gone (an element or relation removed). The payload
 * is what the history tables held in their columns (canonical JSON as text), kept as bytes so
 * that merging runs copies it without reading it.
 *
 * @param hash     {@link IdHash} of the lookup id
 * @param key      the key bytes described above
 * @param revision the revision from which this version holds
 * @param present  false for a removal
 * @param payload  element columns or relation properties; empty for removals and closed notes
 */
record HistoryRecord(long hash, byte[] key, long revision, boolean present, byte[] payload) {
    static final byte ELEMENT = 1;
    static final byte RELATION = 2;
    static final byte CLOSED = 3;
    private static final byte[] EMPTY = new byte[0];

    /** Hash, key, then revision: the order of records in a run. */
    static final Comparator<HistoryRecord> ORDER = (a, b) -> {
        int byHash = Long.compare(a.hash, b.hash);
        if (byHash != 0) {
            return byHash;
        }
        int byKey = Arrays.compareUnsigned(a.key, b.key);
        return byKey != 0 ? byKey : Long.compare(a.revision, b.revision);
    };

    /** The element's version at {@code revision}; null {@code kind} for its removal. */
    static HistoryRecord element(String id, long revision, String kind, String provider, String environment,
            String trustZone, String owner, String labels, String layers) {
        byte[] key = key(id, ELEMENT, null, null);
        if (kind == null) {
            return new HistoryRecord(IdHash.of(id), key, revision, false, EMPTY);
        }
        return new HistoryRecord(IdHash.of(id), key, revision, true,
                strings(kind, provider, environment, trustZone, owner, labels, layers));
    }

    /** The relation's version at {@code revision}; null {@code properties} for its removal. */
    static HistoryRecord relation(String type, String from, String to, long revision, String properties) {
        byte[] key = key(from, RELATION, type, to);
        return new HistoryRecord(IdHash.of(from), key, revision, properties != null,
                properties == null ? EMPTY : strings(properties));
    }

    /** The note that the relation from {@code from} to {@code to} was closed (changed or removed) at {@code revision}. */
    static HistoryRecord closed(String type, String from, String to, long revision) {
        return new HistoryRecord(IdHash.of(to), key(to, CLOSED, type, from), revision, true, EMPTY);
    }

    /** The records of one commit, sorted: its element and relation versions and the relations it closed. */
    static List<HistoryRecord> of(HistoryWrite rows) {
        List<HistoryRecord> records = new ArrayList<>(rows.elements().size() + rows.relations().size() * 2);
        long revision = rows.revision();
        for (HistoryWrite.ElementRow row : rows.elements()) {
            records.add(element(row.id(), revision, row.kind(), row.provider(), row.environment(), row.trustZone(),
                    row.owner(), row.labels(), row.layers()));
        }
        for (HistoryWrite.RelationRow row : rows.relations()) {
            records.add(relation(row.type(), row.from(), row.to(), revision, row.properties()));
            if (row.storedBefore()) {
                records.add(closed(row.type(), row.from(), row.to(), revision));
            }
        }
        records.sort(ORDER);
        return records;
    }

    /** The prefix every key under {@code lookupId} starts with: the id in UTF-8 and a zero byte. */
    static byte[] prefix(String lookupId) {
        byte[] id = lookupId.getBytes(StandardCharsets.UTF_8);
        return Arrays.copyOf(id, id.length + 1);
    }

    /** Whether this record is found under the id whose hash is {@code hash} and whose {@link #prefix} is given. */
    boolean isUnder(long hash, byte[] prefix) {
        return this.hash == hash && key.length > prefix.length
                && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** Whether {@code other} is a version of the same thing (same hash and key). */
    boolean sameKey(HistoryRecord other) {
        return hash == other.hash && Arrays.equals(key, other.key);
    }

    byte kind() {
        return key[separator(0) + 1];
    }

    String lookupId() {
        return new String(key, 0, separator(0), StandardCharsets.UTF_8);
    }

    /** The relation type of a relation or closed note. */
    String type() {
        int start = separator(0) + 2;
        return new String(key, start, separator(start) - start, StandardCharsets.UTF_8);
    }

    /** The other end of a relation (its target) or closed note (the relation's source). */
    String other() {
        int start = separator(separator(0) + 2) + 1;
        return new String(key, start, key.length - start, StandardCharsets.UTF_8);
    }

    /** The payload's strings: seven element columns, or a relation's properties. */
    String[] strings() {
        ByteBuffer in = ByteBuffer.wrap(payload);
        List<String> values = new ArrayList<>(7);
        while (in.hasRemaining()) {
            int length = in.getInt();
            if (length < 0) {
                values.add(null);
            } else {
                values.add(new String(payload, in.position(), length, StandardCharsets.UTF_8));
                in.position(in.position() + length);
            }
        }
        return values.toArray(String[]::new);
    }

    private int separator(int from) {
        for (int i = from; i < key.length; i++) {
            if (key[i] == 0) {
                return i;
            }
        }
        return key.length;
    }

    private static byte[] key(String lookupId, byte kind, String type, String other) {
        byte[] id = lookupId.getBytes(StandardCharsets.UTF_8);
        if (type == null) {
            byte[] key = Arrays.copyOf(id, id.length + 2);
            key[id.length + 1] = kind;
            return key;
        }
        byte[] typeBytes = type.getBytes(StandardCharsets.UTF_8);
        byte[] otherBytes = other.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(id.length + 3 + typeBytes.length + otherBytes.length).put(id).put((byte) 0)
                .put(kind).put(typeBytes).put((byte) 0).put(otherBytes).array();
    }

    /** Each value as its UTF-8 length (-1 for null) and bytes, sized exactly (layers run to kilobytes). */
    private static byte[] strings(String... values) {
        byte[][] utf8 = new byte[values.length][];
        int size = 0;
        for (int i = 0; i < values.length; i++) {
            utf8[i] = values[i] == null ? null : values[i].getBytes(StandardCharsets.UTF_8);
            size += 4 + (utf8[i] == null ? 0 : utf8[i].length);
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        for (byte[] value : utf8) {
            if (value == null) {
                out.putInt(-1);
            } else {
                out.putInt(value.length).put(value);
            }
        }
        return out.array();
    }

    /** Bytes this record takes in a block. */
    int size() {
        return 8 + 4 + key.length + 8 + 1 + 4 + payload.length;
    }

    /** Appends the record to a block: hash, key, revision, presence, payload. */
    void writeTo(ByteBuffer out) {
        out.putLong(hash).putInt(key.length).put(key).putLong(revision).put((byte) (present ? 1 : 0))
                .putInt(payload.length).put(payload);
    }

    /**
     * The records of a block, in order.
     *
     * @throws IllegalArgumentException when the bytes are not a block of records
     */
    static List<HistoryRecord> readBlock(byte[] block) {
        ByteBuffer in = ByteBuffer.wrap(block);
        List<HistoryRecord> records = new ArrayList<>();
        try {
            while (in.hasRemaining()) {
                long hash = in.getLong();
                byte[] key = bytes(in, in.getInt());
                long revision = in.getLong();
                byte present = in.get();
                byte[] payload = bytes(in, in.getInt());
                if (present > 1 || key.length < 2) {
                    throw new IllegalArgumentException("record " + records.size() + " is malformed");
                }
                records.add(new HistoryRecord(hash, key, revision, present == 1, payload));
            }
        } catch (BufferUnderflowException | NegativeArraySizeException e) {
            throw new IllegalArgumentException("record " + records.size() + " is cut short", e);
        }
        return records;
    }

    private static byte[] bytes(ByteBuffer in, int length) {
        if (length < 0 || length > in.remaining()) {
            throw new BufferUnderflowException();
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }
}
