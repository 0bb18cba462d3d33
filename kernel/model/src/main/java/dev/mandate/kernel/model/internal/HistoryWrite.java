package dev.mandate.kernel.model.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The history rows of one commit, as the database will hold them: for each touched element and
 * relation whether its current row is to be closed and what new row, if any, replaces it. The
 * store writes it either straight into the history tables, or as one run of history records
 * ({@link HistoryRecord#of}). {@link #encode} is the format of V5's commit journal entries, which
 * a start still reads when an earlier version left some. Immutable.
 *
 * @param revision  the revision the rows belong to
 * @param elements  element rows in the order the commit touched them
 * @param relations relation rows in the order the commit touched them
 * @param bytes     an estimate of the memory the rows take (their text)
 */
record HistoryWrite(long revision, List<ElementRow> elements, List<RelationRow> relations, long bytes) {
    /** The journal format this class writes; a change of format must read the earlier ones. */
    private static final int FORMAT = 1;

    /**
     * One element's change: close its stored row ({@code storedBefore}) and insert the new version,
     * unless {@code kind} is null (the element is gone). Labels and layers are canonical JSON.
     */
    record ElementRow(String id, boolean storedBefore, String kind, String provider, String environment,
            String trustZone, String owner, String labels, String layers) {
        boolean present() {
            return kind != null;
        }
    }

    /**
     * One relation's change: close its stored row ({@code storedBefore}) and insert the new version
     * with its canonical {@code properties}, unless they are null (the relation is gone).
     */
    record RelationRow(String type, String from, String to, boolean storedBefore, String properties) {
        boolean present() {
            return properties != null;
        }
    }

    /** The entry as the commit journal stores it: a format number, then the rows, strings as UTF-8. */
    byte[] encode() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 8, bytes + 64));
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeByte(FORMAT);
            out.writeLong(revision);
            out.writeInt(elements.size());
            for (ElementRow row : elements) {
                string(out, row.id());
                out.writeBoolean(row.storedBefore());
                string(out, row.kind());
                if (row.present()) {
                    string(out, row.provider());
                    string(out, row.environment());
                    string(out, row.trustZone());
                    string(out, row.owner());
                    string(out, row.labels());
                    string(out, row.layers());
                }
            }
            out.writeInt(relations.size());
            for (RelationRow row : relations) {
                string(out, row.type());
                string(out, row.from());
                string(out, row.to());
                out.writeBoolean(row.storedBefore());
                string(out, row.properties());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return buffer.toByteArray();
    }

    /**
     * Reads an entry {@link #encode} wrote.
     *
     * @throws IOException when the bytes are not such an entry
     */
    static HistoryWrite decode(InputStream bytes) throws IOException {
        DataInputStream in = new DataInputStream(bytes);
        int format = in.readUnsignedByte();
        if (format != FORMAT) {
            throw new IOException("unknown model journal format " + format);
        }
        long revision = in.readLong();
        int elementCount = in.readInt();
        List<ElementRow> elements = new ArrayList<>(elementCount);
        long size = 0;
        for (int i = 0; i < elementCount; i++) {
            String id = string(in);
            boolean storedBefore = in.readBoolean();
            String kind = string(in);
            ElementRow row = kind == null ? new ElementRow(id, storedBefore, null, null, null, null, null, null, null)
                    : new ElementRow(id, storedBefore, kind, string(in), string(in), string(in), string(in),
                            string(in), string(in));
            size += length(row.id()) + length(row.labels()) + length(row.layers());
            elements.add(row);
        }
        int relationCount = in.readInt();
        List<RelationRow> relations = new ArrayList<>(relationCount);
        for (int i = 0; i < relationCount; i++) {
            RelationRow row = new RelationRow(string(in), string(in), string(in), in.readBoolean(), string(in));
            size += length(row.from()) + length(row.to()) + length(row.properties());
            relations.add(row);
        }
        return new HistoryWrite(revision, List.copyOf(elements), List.copyOf(relations), size);
    }

    private static int length(String value) {
        return value == null ? 0 : value.length();
    }

    private static void string(DataOutputStream out, String value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String string(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        byte[] utf8 = new byte[length];
        in.readFully(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }
}
