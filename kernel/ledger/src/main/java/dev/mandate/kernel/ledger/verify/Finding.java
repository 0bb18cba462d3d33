package dev.mandate.kernel.ledger.verify;

/**
 * Something wrong with a chain, at one record.
 *
 * @param kind     what is wrong
 * @param sequence the sequence of the record concerned
 * @param hash     the hash that record carries ({@code null} for a missing record)
 * @param message  one line for people
 */
public record Finding(Kind kind, long sequence, String hash, String message) {

    /** What is wrong with a record. */
    public enum Kind {
        /** Its content no longer hashes to its hash, or the next record does not link to it. */
        CHANGED,
        /** It is missing. */
        REMOVED,
        /** It is out of its place in the order. */
        REORDERED,
        /** It is not part of the chain but sits among its records. */
        INSERTED,
        /** A checkpoint's signature does not hold, or it signs a record that is not there. */
        BAD_CHECKPOINT
    }
}
