package dev.mandate.api.auth;

import java.util.Collection;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Says who calls an enforcement endpoint (the AI-agent gate, the AuthZEN decision API, the approval API) from the
 * credentials its request carries, as the operator configured: OAuth 2 bearer access tokens (JWT), static API
 * tokens, or HTTP Basic against a JAAS realm. Adapters that serve HTTP ask it before they decide anything and use
 * the caller it names in the evidence; they never trust a caller named in the body. Thread-safe; blocks for the
 * identity store (a JAAS login, fetching a JSON Web Key Set when a token names an unknown key).
 *
 */
@ProviderType
public interface CallerAuthenticator {

    /**
     * Authenticates a request.
     *
     * @param authorization the request's {@code Authorization} header, or {@code null} when it has none
     * @param roles         roles or groups of which the caller must hold at least one; empty admits any
     *                      authenticated caller
     * @return the caller, or why it was refused: 401 when the credentials are missing or wrong, 403 when they are
     *         good but the caller holds none of {@code roles}
     */
    CallerAuthentication authenticate(String authorization, Collection<String> roles);

    /**
     * The OAuth 2 authorization servers (their issuer identifiers) whose access tokens are accepted, for a
     * protected resource metadata document (RFC 9728); empty when no access tokens are accepted.
     */
    default List<String> authorizationServers() {
        return List.of();
    }
}
