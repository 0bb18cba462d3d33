package dev.mandate.api.evidence;

/**
 * The outcome of checking the chain.
 *
 * @param valid        whether every record's hash and link hold
 * @param checked      how many records were checked
 * @param firstInvalid the sequence of the first record that failed, or 0
 * @param problem      what failed there, or {@code null}
 */
public record VerificationResult(boolean valid, long checked, long firstInvalid, String problem) {
}
