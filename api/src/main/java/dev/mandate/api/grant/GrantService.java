package dev.mandate.api.grant;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Issues and verifies execution grants with the node's Ed25519 key. Thread-safe; does not block
 * except on first use, when the key is read or created.
 */
@ProviderType
public interface GrantService {

    /** Issues a grant for exactly {@code changes}, valid for the configured time. */
    ExecutionGrant issue(String decisionId, String actor, List<GrantedChange> changes, long modelRevision);

    /**
     * Checks {@code token}: signature, expiry and, when {@code change} is not {@code null}, that it
     * names that change. Never throws for a bad token: says why in the result.
     */
    GrantVerification verify(String token, GrantedChange change);

    /** The public verification keys as a JSON Web Key Set ({@code {"keys":[…]}}). */
    Map<String, Object> publicKeys();
}
