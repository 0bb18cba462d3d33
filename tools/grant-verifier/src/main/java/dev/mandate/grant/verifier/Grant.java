package dev.mandate.grant.verifier;

import java.time.Instant;
import java.util.List;

/**
 * What a grant says, once its signature holds.
 *
 * @param keyId         the id of the key that signed it ({@code kid})
 * @param issuer        who issued it ({@code iss})
 * @param actor         the actor it was issued to ({@code sub})
 * @param decisionId    the decision that issued it ({@code jti})
 * @param modelRevision the model revision of the decision ({@code rev})
 * @param issuedAt      when ({@code iat}), or {@code null}
 * @param expiresAt     after this it is worthless ({@code exp})
 * @param changes       exactly what it allows
 */
public record Grant(String keyId, String issuer, String actor, String decisionId, long modelRevision, Instant issuedAt,
        Instant expiresAt, List<Change> changes) {

    public Grant {
        changes = changes == null ? List.of() : List.copyOf(changes);
    }

    /** Whether the grant names {@code change} exactly. */
    public boolean allows(Change change) {
        return changes.contains(change);
    }
}
