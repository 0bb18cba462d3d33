package dev.mandate.kernel.model.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.zip.CRC32C;

/**
 * The model's history as sorted runs of {@link HistoryRecord}s, stored as blocks of bytes: the
 * storage side of {@link RunHistory}. A commit writes its versions as one new run in its own
 * transaction; runs are merged in the background into fewer, larger ones. Nothing is ever
 * updated in place, and no table has an index beyond its sequential primary key: this is what
 * makes the history cheap to keep on H2, whose B-tree pays for every random-key entry.
 *
 * <p>Tables ({@code V7__history_runs.sql}): {@code mandate_model_history_run} lists the runs
 * (a run exists once its row is committed); {@code mandate_model_history_block} holds each run's
 * blocks of records (block 0, 1, ...) and its directory (block -1: the first and last hash of
 * every block), each split into parts of at most {@value #PART_BYTES} bytes. A block starts with
 * the CRC-32C of the rest. Blocks without a run row are left-overs of a merge cut short and are
 * deleted at load.
 *
 * <p>The directory of all runs is held in memory, immutable, replaced under the caller's lock.
 */
final class HistoryRuns {
    /**
     * Bytes of records per block, about: a lookup reads one block per run. 128 KiB measured cheaper
     * than 32 KiB for commits (27 against 32 µs per element), merges (14 against 17) and lookups.
     */
    static final int BLOCK_BYTES = 128 * 1024;
    /** The largest part of a block in one row (H2 limits binary values to 1,000,000 bytes). */
    static final int PART_BYTES = 512 * 1024;
    private static final int DIRECTORY = -1;
    /** Blocks inserted per batch. */
    private static final int BATCH_BLOCKS = 64;
    /** Decoded blocks kept for lookups (runs never change, so a cached block never goes stale): 16 MiB of records. */
    private static final int CACHED_BLOCKS = 128;
    private static final String INSERT_BLOCK = "INSERT INTO mandate_model_history_block (run_id, block, part, data)"
            + " VALUES (?, ?, ?, ?)";

    /**
     * One run in the directory: its id, level (0 for a commit's run, one more for each merge), the
     * revisions its records span, how many records and bytes it has, and each block's hash range.
     */
    record Run(long id, int level, long firstRevision, long lastRevision, long records, long bytes,
            long[] firstHashes, long[] lastHashes) {
        int blocks() {
            return firstHashes.length;
        }

        /** The first block that may hold records under {@code hash}, or -1; the blocks after it may as well. */
        int firstBlockFor(long hash) {
            int low = 0;
            int high = firstHashes.length - 1;
            int found = -1;
            while (low <= high) { // the first block whose last hash is not below hash
                int middle = (low + high) >>> 1;
                if (lastHashes[middle] >= hash) {
                    found = middle;
                    high = middle - 1;
                } else {
                    low = middle + 1;
                }
            }
            return found >= 0 && firstHashes[found] <= hash ? found : -1;
        }
    }

    /** A block that a lookup needed is gone: a merge replaced its run. The lookup starts again. */
    static final class RunReplacedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RunReplacedException() {
            super(null, null, false, false);
        }
    }

    private volatile List<Run> runs = List.of();
    private long nextId = 1;
    /** A cached block. */
    private record BlockKey(long run, int block) {
    }

    private final Map<BlockKey, List<HistoryRecord>> cache = new LinkedHashMap<>(CACHED_BLOCKS, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<BlockKey, List<HistoryRecord>> eldest) {
            return size() > CACHED_BLOCKS;
        }
    };

    /** The runs, oldest first. */
    List<Run> runs() {
        return runs;
    }

    /**
     * Reads the directory of every run, after deleting the blocks no run owns (a merge cut short).
     *
     * @throws SQLException also when a directory is corrupt
     */
    void load(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("DELETE FROM mandate_model_history_block WHERE run_id NOT IN"
                    + " (SELECT run_id FROM mandate_model_history_run)");
        }
        List<Run> loaded = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT run_id, level, first_revision, last_revision,"
                        + " records, bytes FROM mandate_model_history_run ORDER BY run_id")) {
            while (rows.next()) {
                loaded.add(new Run(rows.getLong(1), rows.getInt(2), rows.getLong(3), rows.getLong(4),
                        rows.getLong(5), rows.getLong(6), null, null));
            }
        }
        List<Run> withBlocks = new ArrayList<>(loaded.size());
        for (Run run : loaded) {
            byte[] directory = readBlock(connection, run.id(), DIRECTORY);
            if (directory == null || directory.length % 16 != 0) {
                throw new SQLException("model history run " + run.id() + " has no readable directory");
            }
            ByteBuffer in = ByteBuffer.wrap(directory);
            int blocks = directory.length / 16;
            long[] first = new long[blocks];
            long[] last = new long[blocks];
            for (int i = 0; i < blocks; i++) {
                first[i] = in.getLong();
                last[i] = in.getLong();
            }
            withBlocks.add(new Run(run.id(), run.level(), run.firstRevision(), run.lastRevision(), run.records(),
                    run.bytes(), first, last));
        }
        long maxId = 0;
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT MAX(run_id) FROM mandate_model_history_block")) {
            if (rows.next()) {
                maxId = rows.getLong(1);
            }
        }
        for (Run run : withBlocks) {
            maxId = Math.max(maxId, run.id());
        }
        synchronized (this) {
            nextId = maxId + 1;
        }
        runs = List.copyOf(withBlocks);
    }

    /** A fresh run id; ids are never reused within a database. */
    synchronized long nextId() {
        return nextId++;
    }

    /** Adds a committed run to the directory. The caller holds the lock that orders directory changes. */
    void add(Run run) {
        List<Run> more = new ArrayList<>(runs);
        more.add(run);
        runs = List.copyOf(more);
    }

    /** Replaces {@code removed} by {@code added} (null for none) in the directory, after that was committed. */
    void replace(List<Run> removed, Run added) {
        List<Run> kept = new ArrayList<>();
        for (Run run : runs) {
            if (removed.stream().noneMatch(gone -> gone.id() == run.id())) {
                kept.add(run);
            }
        }
        if (added != null) {
            kept.add(added);
            kept.sort((a, b) -> Long.compare(a.id(), b.id()));
        }
        runs = List.copyOf(kept);
    }

    /**
     * Writes sorted records as a run, in the caller's transaction, and its run row. Returns the
     * run for {@link #add} once the transaction has committed.
     */
    Run write(Connection connection, List<HistoryRecord> sorted, int level, long firstRevision, long lastRevision)
            throws SQLException {
        Writer writer = new Writer(connection, nextId(), level, false);
        for (HistoryRecord record : sorted) {
            writer.add(record);
        }
        Run run = writer.finish(firstRevision, lastRevision);
        insertRunRow(connection, run);
        return run;
    }

    /**
     * Writes the blocks of one run in order. In {@code chunked} mode it commits every few blocks (a
     * merge's blocks, invisible until the run row is written); otherwise it leaves the transaction
     * to the caller.
     */
    final class Writer {
        private final Connection connection;
        private final PreparedStatement insert;
        private final long id;
        private final int level;
        private final boolean chunked;
        private final ByteBuffer block = ByteBuffer.allocate(BLOCK_BYTES + 4);
        private ByteBuffer large;
        private final List<long[]> ranges = new ArrayList<>();
        private long firstHash;
        private long lastHash;
        private int inBlock;
        private int batched;
        private long records;
        private long bytes;

        Writer(Connection connection, long id, int level, boolean chunked) throws SQLException {
            this.connection = connection;
            this.insert = connection.prepareStatement(INSERT_BLOCK);
            this.id = id;
            this.level = level;
            this.chunked = chunked;
            block.position(4);
        }

        void add(HistoryRecord record) throws SQLException {
            if (inBlock > 0 && block.position() + record.size() > block.capacity()) {
                flush();
            }
            if (inBlock == 0) {
                firstHash = record.hash();
            }
            lastHash = record.hash();
            if (record.size() + 4 > block.capacity()) {
                // a record larger than a block is a block of its own
                large = ByteBuffer.allocate(record.size() + 4);
                large.position(4);
                record.writeTo(large);
            } else {
                record.writeTo(block);
            }
            inBlock++;
            records++;
            bytes += record.size();
            if (large != null) {
                flush();
            }
        }

        private void flush() throws SQLException {
            ByteBuffer full = large != null ? large : block;
            byte[] data = Arrays.copyOf(full.array(), full.position());
            sealAndInsert(ranges.size(), data);
            ranges.add(new long[] {firstHash, lastHash});
            large = null;
            block.clear();
            block.position(4);
            inBlock = 0;
        }

        private void sealAndInsert(int number, byte[] data) throws SQLException {
            CRC32C crc = new CRC32C();
            crc.update(data, 4, data.length - 4);
            ByteBuffer.wrap(data).putInt(0, (int) crc.getValue());
            for (int part = 0, at = 0; at < data.length; part++, at += PART_BYTES) {
                insert.setLong(1, id);
                insert.setInt(2, number);
                insert.setInt(3, part);
                insert.setBytes(4, Arrays.copyOfRange(data, at, Math.min(data.length, at + PART_BYTES)));
                insert.addBatch();
            }
            if (++batched >= BATCH_BLOCKS) {
                insert.executeBatch();
                batched = 0;
                if (chunked) {
                    connection.commit();
                }
            }
        }

        /** Writes the last block and the directory; the run row is the caller's. */
        Run finish(long firstRevision, long lastRevision) throws SQLException {
            if (inBlock > 0) {
                flush();
            }
            ByteBuffer directory = ByteBuffer.allocate(4 + ranges.size() * 16);
            directory.position(4);
            long[] first = new long[ranges.size()];
            long[] last = new long[ranges.size()];
            for (int i = 0; i < ranges.size(); i++) {
                first[i] = ranges.get(i)[0];
                last[i] = ranges.get(i)[1];
                directory.putLong(first[i]).putLong(last[i]);
            }
            sealAndInsert(DIRECTORY, directory.array());
            insert.executeBatch();
            insert.close();
            if (chunked) {
                connection.commit();
            }
            return new Run(id, level, firstRevision, lastRevision, records, bytes, first, last);
        }
    }

    /** Starts a run written in chunks of committed blocks, for a merge. */
    Writer chunkedWriter(Connection connection, int level) throws SQLException {
        return new Writer(connection, nextId(), level, true);
    }

    static void insertRunRow(Connection connection, Run run) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO mandate_model_history_run"
                + " (run_id, level, first_revision, last_revision, records, bytes) VALUES (?, ?, ?, ?, ?, ?)")) {
            insert.setLong(1, run.id());
            insert.setInt(2, run.level());
            insert.setLong(3, run.firstRevision());
            insert.setLong(4, run.lastRevision());
            insert.setLong(5, run.records());
            insert.setLong(6, run.bytes());
            insert.executeUpdate();
        }
    }

    /** Deletes the run rows of {@code runs}, in the caller's transaction: from its commit on they are gone. */
    static void deleteRunRows(Connection connection, List<Run> runs) throws SQLException {
        deleteByRun(connection, "mandate_model_history_run", runs);
    }

    /** Deletes the blocks of runs whose rows are gone, in the caller's transaction. */
    static void deleteBlocks(Connection connection, List<Run> runs) throws SQLException {
        deleteByRun(connection, "mandate_model_history_block", runs);
    }

    private static void deleteByRun(Connection connection, String table, List<Run> runs) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table + " WHERE run_id = ?")) {
            for (Run run : runs) {
                delete.setLong(1, run.id());
                delete.executeUpdate();
            }
        }
    }

    /**
     * The bytes of one block, checked, or null when the block is gone.
     *
     * @throws SQLException also when the block is corrupt
     */
    static byte[] readBlock(Connection connection, long runId, int block) throws SQLException {
        ByteArrayOutputStream data = new ByteArrayOutputStream(BLOCK_BYTES + 4);
        int parts = 0;
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT part, data FROM mandate_model_history_block WHERE run_id = ? AND block = ? ORDER BY part")) {
            select.setLong(1, runId);
            select.setInt(2, block);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    if (rows.getInt(1) != parts++) {
                        throw new SQLException("model history run " + runId + " block " + block + " misses a part");
                    }
                    data.writeBytes(rows.getBytes(2));
                }
            }
        }
        if (parts == 0) {
            return null;
        }
        byte[] bytes = data.toByteArray();
        CRC32C crc = new CRC32C();
        if (bytes.length >= 4) {
            crc.update(bytes, 4, bytes.length - 4);
        }
        if (bytes.length < 4 || ByteBuffer.wrap(bytes).getInt(0) != (int) crc.getValue()) {
            throw new SQLException("model history run " + runId + " block " + block + " is corrupt (checksum)");
        }
        return Arrays.copyOfRange(bytes, 4, bytes.length);
    }

    /**
     * The records of one block of {@code run}.
     *
     * @throws RunReplacedException when the block is gone (a merge replaced the run)
     */
    List<HistoryRecord> records(Connection connection, Run run, int block) throws SQLException {
        BlockKey key = new BlockKey(run.id(), block);
        synchronized (cache) {
            List<HistoryRecord> cached = cache.get(key);
            if (cached != null) {
                return cached;
            }
        }
        byte[] bytes = readBlock(connection, run.id(), block);
        if (bytes == null) {
            throw new RunReplacedException();
        }
        List<HistoryRecord> records;
        try {
            records = HistoryRecord.readBlock(bytes);
        } catch (IllegalArgumentException e) {
            throw new SQLException("model history run " + run.id() + " block " + block + " cannot be read: "
                    + e.getMessage(), e);
        }
        synchronized (cache) {
            cache.put(key, records);
        }
        return records;
    }

    /**
     * Every record under {@code lookupId} in {@code runs} whose run starts at or before
     * {@code maxFirstRevision}, in no particular order.
     */
    List<HistoryRecord> recordsUnder(Connection connection, List<Run> runs, String lookupId, long maxFirstRevision)
            throws SQLException {
        long hash = IdHash.of(lookupId);
        byte[] prefix = HistoryRecord.prefix(lookupId);
        List<HistoryRecord> found = new ArrayList<>();
        for (Run run : runs) {
            if (run.firstRevision() > maxFirstRevision) {
                continue;
            }
            int block = run.firstBlockFor(hash);
            if (block < 0) {
                continue;
            }
            for (; block < run.blocks() && run.firstHashes()[block] <= hash; block++) {
                for (HistoryRecord record : records(connection, run, block)) {
                    if (record.isUnder(hash, prefix)) {
                        found.add(record);
                    }
                }
            }
        }
        return found;
    }

    /** What a merge does with each group of versions of one key, in key order. */
    @FunctionalInterface
    interface GroupSink {
        void accept(List<HistoryRecord> versions) throws SQLException;
    }

    /**
     * Merges {@code runs} in key order and hands each key's versions, oldest first, to
     * {@code sink}. Reads its blocks through {@code connection}. Of two versions of the same
     * revision (a carry-over of rows can make a removal and a new version meet) the present one
     * is kept.
     */
    void merge(Connection connection, List<Run> runs, GroupSink sink) throws SQLException {
        PriorityQueue<Cursor> queue = new PriorityQueue<>((a, b) -> HistoryRecord.ORDER.compare(a.head, b.head));
        for (Run run : runs) {
            Cursor cursor = new Cursor(connection, run);
            if (cursor.advance()) {
                queue.add(cursor);
            }
        }
        List<HistoryRecord> group = new ArrayList<>();
        while (!queue.isEmpty()) {
            Cursor cursor = queue.poll();
            HistoryRecord record = cursor.head;
            if (!group.isEmpty() && !group.get(group.size() - 1).sameKey(record)) {
                sink.accept(group);
                group = new ArrayList<>();
            }
            HistoryRecord last = group.isEmpty() ? null : group.get(group.size() - 1);
            if (last != null && last.revision() == record.revision()) {
                if (record.present() || !last.present()) {
                    group.set(group.size() - 1, record);
                }
            } else {
                group.add(record);
            }
            if (cursor.advance()) {
                queue.add(cursor);
            }
        }
        if (!group.isEmpty()) {
            sink.accept(group);
        }
    }

    /** Reads one run's records in order, a block at a time, bypassing the cache. */
    private static final class Cursor {
        private final Connection connection;
        private final Run run;
        private int block = -1;
        private List<HistoryRecord> records = List.of();
        private int next;
        private HistoryRecord head;

        Cursor(Connection connection, Run run) {
            this.connection = connection;
            this.run = run;
        }

        boolean advance() throws SQLException {
            while (next >= records.size()) {
                if (++block >= run.blocks()) {
                    head = null;
                    return false;
                }
                byte[] bytes = readBlock(connection, run.id(), block);
                if (bytes == null) {
                    throw new SQLException("model history run " + run.id() + " misses block " + block);
                }
                try {
                    records = HistoryRecord.readBlock(bytes);
                } catch (IllegalArgumentException e) {
                    throw new SQLException("model history run " + run.id() + " block " + block + " cannot be read: "
                            + e.getMessage(), e);
                }
                next = 0;
            }
            head = records.get(next++);
            return true;
        }
    }

    /** How many runs each level has. */
    Map<Integer, Integer> levels() {
        Map<Integer, Integer> levels = new HashMap<>();
        for (Run run : runs) {
            levels.merge(run.level(), 1, Integer::sum);
        }
        return levels;
    }
}
