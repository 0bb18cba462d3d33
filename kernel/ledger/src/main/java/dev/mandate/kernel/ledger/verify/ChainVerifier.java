package dev.mandate.kernel.ledger.verify;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a chain of {@link ChainRecord}s.
 *
 * <p>As a stream ({@link #accept}): records in sequence order, one at a time, in constant memory;
 * the first problem is reported and the caller stops there. This is how the ledger checks its table.
 *
 * <p>As a whole ({@link #diagnose}): a file's records in file order; every problem is named by the
 * record's sequence and hash and told apart as changed, removed, reordered or inserted, and every
 * checkpoint's signature is checked. This is how exported files are checked.
 *
 * <p>Not thread-safe: one instance per pass.
 */
public final class ChainVerifier {
    private final List<PublicKey> keys;
    private long expected;
    private String previousHash;
    private long checked;
    private long checkpoints;
    private long lastSigned;

    /**
     * A stream check from the start of the chain; checkpoint signatures are checked against
     * {@code keys} when there are any.
     */
    public ChainVerifier(List<PublicKey> keys) {
        this(keys, 1, ChainRecord.GENESIS);
    }

    /** A stream check that starts at {@code firstSequence}, which must link to {@code anchorHash}. */
    public ChainVerifier(List<PublicKey> keys, long firstSequence, String anchorHash) {
        this.keys = List.copyOf(keys);
        this.expected = firstSequence;
        this.previousHash = anchorHash;
        this.lastSigned = firstSequence - 1;
    }

    /** Checks the next record of the stream; empty when it holds. */
    public Optional<Finding> accept(ChainRecord record) {
        return accept(record, null);
    }

    /**
     * As {@link #accept(ChainRecord)}, with the record's hash already recomputed (by
     * {@link ChainRecord#computeHash()}, say on another thread); {@code null} recomputes it here.
     */
    public Optional<Finding> accept(ChainRecord record, String computedHash) {
        if (record.sequence() != expected) {
            return Optional.of(record.sequence() > expected
                    ? missing(expected, record.sequence())
                    : new Finding(Finding.Kind.REORDERED, record.sequence(), record.hash(), "record "
                            + record.sequence() + " comes after record " + (expected - 1)));
        }
        if (!(computedHash == null ? record.computeHash() : computedHash).equals(record.hash())) {
            return Optional.of(changed(record));
        }
        if (!record.previousHash().equals(previousHash)) {
            return Optional.of(unlinked(record.sequence(), record.hash()));
        }
        if (Checkpoint.TYPE.equals(record.type())) {
            if (!keys.isEmpty() && !Checkpoint.verify(record.payloadJson(), expected - 1, previousHash, keys)) {
                return Optional.of(badCheckpoint(record));
            }
            checkpoints++;
            lastSigned = expected - 1;
        } else if (Checkpoint.RETENTION_TYPE.equals(record.type()) && !keys.isEmpty() && !retentionHolds(record, keys)) {
            return Optional.of(badCheckpoint(record));
        }
        previousHash = record.hash();
        expected++;
        checked++;
        return Optional.empty();
    }

    /** How many records the stream has checked and found good. */
    public long checked() {
        return checked;
    }

    /** How many checkpoints the stream has met (with good signatures, when keys were given). */
    public long checkpoints() {
        return checkpoints;
    }

    /** The last record a checkpoint of the stream vouches for, or first sequence - 1. */
    public long lastSigned() {
        return lastSigned;
    }

    /** The hash of the last good record (or the anchor). */
    public String head() {
        return previousHash;
    }

    /**
     * The outcome of {@link #diagnose}.
     *
     * @param records     how many records the file holds
     * @param findings    every problem, in sequence order
     * @param checkpoints how many checkpoints carry a good signature
     * @param lastSigned  the last record a good checkpoint vouches for (0 if none)
     * @param last        the highest sequence in the chain (0 if empty)
     */
    public record Report(long records, List<Finding> findings, long checkpoints, long lastSigned, long last) {
        public Report {
            findings = List.copyOf(findings);
        }

        /** No record was changed, removed, reordered or inserted, and every checkpoint holds. */
        public boolean intact() {
            return findings.isEmpty();
        }
    }

    /**
     * Checks the records of a file, in the order they appear in it, starting at sequence 1 (or at
     * {@code firstSequence}, linking to {@code anchorHash}).
     */
    public static Report diagnose(List<ChainRecord> inFileOrder, List<PublicKey> keys, long firstSequence,
            String anchorHash) {
        List<Finding> findings = new ArrayList<>();
        Map<String, Integer> referenced = new HashMap<>(); // hash -> how many records link to it
        for (ChainRecord record : inFileOrder) {
            referenced.merge(record.previousHash(), 1, Integer::sum);
        }
        // one genuine record per sequence: among duplicates the one the chain links to
        Map<Long, ChainRecord> bySequence = new LinkedHashMap<>();
        Map<Long, List<ChainRecord>> groups = new LinkedHashMap<>();
        for (ChainRecord record : inFileOrder) {
            groups.computeIfAbsent(record.sequence(), s -> new ArrayList<>()).add(record);
        }
        Set<ChainRecord> inserted = new HashSet<>();
        for (Map.Entry<Long, List<ChainRecord>> group : groups.entrySet()) {
            List<ChainRecord> candidates = group.getValue();
            ChainRecord genuine = candidates.stream().filter(r -> referenced.containsKey(r.hash())).findFirst()
                    .orElse(candidates.stream().filter(r -> r.computeHash().equals(r.hash())).findFirst()
                            .orElse(candidates.get(0)));
            bySequence.put(group.getKey(), genuine);
            for (ChainRecord other : candidates) {
                if (other != genuine) {
                    inserted.add(other);
                    findings.add(new Finding(Finding.Kind.INSERTED, other.sequence(), other.hash(), "record "
                            + other.sequence() + " with hash " + other.hash() + " is not part of the chain: "
                            + "another record " + other.sequence() + " is (hash " + genuine.hash() + ")"));
                }
            }
        }
        // order: a genuine record that appears after a higher sequence is out of place
        long highest = Long.MIN_VALUE;
        for (ChainRecord record : inFileOrder) {
            if (inserted.contains(record)) {
                continue;
            }
            if (record.sequence() < highest) {
                findings.add(new Finding(Finding.Kind.REORDERED, record.sequence(), record.hash(), "record "
                        + record.sequence() + " appears after record " + highest));
            }
            highest = Math.max(highest, record.sequence());
        }
        List<ChainRecord> ordered = new ArrayList<>(bySequence.values());
        ordered.sort(Comparator.comparingLong(ChainRecord::sequence));
        long last = ordered.isEmpty() ? 0 : ordered.get(ordered.size() - 1).sequence();
        // content, links and gaps, in sequence order
        long checkpoints = 0;
        long lastSigned = 0;
        long expected = firstSequence;
        String previous = anchorHash;
        for (ChainRecord record : ordered) {
            if (record.sequence() < firstSequence) {
                findings.add(new Finding(Finding.Kind.INSERTED, record.sequence(), record.hash(), "record "
                        + record.sequence() + " lies before the start of the chain at " + firstSequence));
                continue;
            }
            boolean gap = record.sequence() != expected;
            if (gap) {
                findings.add(new Finding(Finding.Kind.REMOVED, expected, null, record.sequence() - expected == 1
                        ? "record " + expected + " is missing"
                        : "records " + expected + " to " + (record.sequence() - 1) + " are missing"));
            }
            boolean intact = record.computeHash().equals(record.hash());
            if (!intact) {
                findings.add(changed(record));
            } else if (!gap && !record.previousHash().equals(previous)) {
                findings.add(new Finding(Finding.Kind.CHANGED, record.sequence() - 1, previous, "record "
                        + (record.sequence() - 1) + " (hash " + previous + ") is not the record " + record.sequence()
                        + " links to: it was changed or replaced"));
            }
            if (Checkpoint.RETENTION_TYPE.equals(record.type()) && !keys.isEmpty() && !retentionHolds(record, keys)) {
                findings.add(badCheckpoint(record));
            }
            if (Checkpoint.TYPE.equals(record.type())) {
                long signed = record.sequence() - 1;
                ChainRecord target = bySequence.get(signed);
                String signedHash = target == null ? "" : target.hash();
                if (keys.isEmpty()) {
                    // nothing to check the signature with; the caller reports that
                } else if (target != null && Checkpoint.verify(record.payloadJson(), signed, signedHash, keys)) {
                    checkpoints++;
                    lastSigned = signed;
                } else {
                    findings.add(badCheckpoint(record));
                }
            }
            expected = record.sequence() + 1;
            previous = record.hash();
        }
        findings.sort(Comparator.comparingLong(Finding::sequence));
        return new Report(inFileOrder.size(), findings, checkpoints, lastSigned, last);
    }

    /**
     * Where a chain starts.
     *
     * @param firstSequence the first record's sequence
     * @param anchorHash    the hash it must link to
     */
    public record Start(long firstSequence, String anchorHash) {
    }

    private static boolean retentionHolds(ChainRecord summary, List<PublicKey> keys) {
        String hash = Checkpoint.signedHash(summary.payloadJson());
        return hash != null && Checkpoint.verify(summary.payloadJson(), Checkpoint.signedSequence(summary.payloadJson()),
                hash, keys);
    }

    /**
     * Where a chain whose first records were pruned starts: the retention summary among
     * {@code records} that signs the record just before the first one (good signature when keys
     * are given); or sequence 1 at the genesis hash when
     * nothing was pruned or no summary accounts for it (then the missing records are reported).
     */
    public static Start start(List<ChainRecord> records, List<PublicKey> keys) {
        return start(records.stream().mapToLong(ChainRecord::sequence).min().orElse(1), records, keys);
    }

    /** As {@link #start(List, List)}, for a chain whose first record is {@code first}, among {@code summaries}. */
    public static Start start(long first, List<ChainRecord> summaries, List<PublicKey> keys) {
        if (first > 1) {
            for (ChainRecord record : summaries) {
                if (Checkpoint.RETENTION_TYPE.equals(record.type())
                        && Checkpoint.signedSequence(record.payloadJson()) == first - 1
                        && (keys.isEmpty() || retentionHolds(record, keys))) {
                    return new Start(first, Checkpoint.signedHash(record.payloadJson()));
                }
            }
        }
        return new Start(1, ChainRecord.GENESIS);
    }

    /** What a stream check reports when record {@code expected} is missing and {@code next} follows. */
    public static Finding missing(long expected, long next) {
        return new Finding(Finding.Kind.REMOVED, expected, null, "record " + expected
                + " is missing (the next stored record is " + next + ")");
    }

    /**
     * What a stream check reports when record {@code sequence} (with stored hash {@code hash}) does
     * not link to the record before it; for checks that run in segments and link them afterwards.
     */
    public static Finding unlinked(long sequence, String hash) {
        return new Finding(Finding.Kind.CHANGED, sequence, hash, "record " + sequence + " does not link to record "
                + (sequence - 1) + ": one of them was changed or replaced");
    }

    private static Finding changed(ChainRecord record) {
        return new Finding(Finding.Kind.CHANGED, record.sequence(), record.hash(), "record " + record.sequence()
                + " was changed: its content hashes to " + record.computeHash() + ", not to its stored hash "
                + record.hash());
    }

    private static Finding badCheckpoint(ChainRecord record) {
        return new Finding(Finding.Kind.BAD_CHECKPOINT, record.sequence(), record.hash(), "checkpoint "
                + record.sequence() + " does not carry a good signature over record " + (record.sequence() - 1));
    }
}
