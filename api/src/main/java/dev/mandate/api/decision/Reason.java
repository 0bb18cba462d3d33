package dev.mandate.api.decision;

/**
 * Why a decision came out as it did.
 *
 * @param source  {@code <blueprint>@<version>#<constraint>}, {@code team:<id>#<right>} or
 *                {@code mandate#<rule>} for the decision point's own rules
 * @param effect  what this reason contributed: {@code allow}, {@code deny}, {@code require-approval}
 * @param message what was found, in plain words, with the values that made it so
 */
public record Reason(String source, String effect, String message) {
}
