package dev.mandate.api.grant;

/**
 * The answer to "is this grant genuine, unexpired, and does it cover this change?".
 *
 * @param valid  the signature holds and the grant has not expired
 * @param covers the grant names the change asked about (false when no change was asked about)
 * @param reason one lowercase line: why not, or what it allows
 * @param grant  the grant's content when the signature holds, else {@code null}
 */
public record GrantVerification(boolean valid, boolean covers, String reason, ExecutionGrant grant) {
}
