package dev.mandate.api.auth;

import java.util.List;

import dev.mandate.api.decision.Actor;

/**
 * The answer of {@link CallerAuthenticator}: the authenticated caller, or the HTTP status to refuse the request
 * with, why (one lowercase line, no secret in it) and the {@code WWW-Authenticate} challenges to send.
 *
 * @param caller     who calls, as an actor (id, kind, groups, assurance, attributes such as the token's issuer);
 *                   {@code null} when refused
 * @param status     200 when authenticated, 401 (no or bad credentials) or 403 (authenticated, but not allowed)
 * @param error      why the request is refused; {@code null} when authenticated
 * @param challenges the {@code WWW-Authenticate} header values to send with a refusal (one per scheme)
 */
public record CallerAuthentication(Actor caller, int status, String error, List<String> challenges) {

    public CallerAuthentication {
        challenges = challenges == null ? List.of() : List.copyOf(challenges);
        if ((caller == null) == (status == 200)) {
            throw new IllegalArgumentException("an authenticated caller has status 200 and a refusal has none");
        }
    }

    /** The caller is who it says. */
    public static CallerAuthentication authenticated(Actor caller) {
        return new CallerAuthentication(caller, 200, null, List.of());
    }

    /** No credentials, or credentials that do not hold: 401 with the challenges of the schemes accepted. */
    public static CallerAuthentication unauthenticated(String error, List<String> challenges) {
        return new CallerAuthentication(null, 401, error, challenges);
    }

    /** Good credentials of a caller that may not call this endpoint: 403. */
    public static CallerAuthentication forbidden(String error, List<String> challenges) {
        return new CallerAuthentication(null, 403, error, challenges);
    }

    /** Whether the caller was authenticated (and holds a required role). */
    public boolean succeeded() {
        return caller != null;
    }
}
