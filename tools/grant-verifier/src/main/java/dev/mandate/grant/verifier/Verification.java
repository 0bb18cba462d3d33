package dev.mandate.grant.verifier;

/**
 * The answer about one grant.
 *
 * @param valid  genuine, unexpired, from the expected issuer, and (when asked) issued to the expected actor
 * @param covers valid and names the change asked about ({@code false} when no change was asked about)
 * @param reason one lowercase line: why not, or what it allows
 * @param grant  the grant's content when its signature holds, else {@code null}
 */
public record Verification(boolean valid, boolean covers, String reason, Grant grant) {

    static Verification refused(String reason, Grant grant) {
        return new Verification(false, false, reason, grant);
    }
}
