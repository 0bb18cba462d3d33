package dev.mandate.api.grant;

import java.time.Instant;
import java.util.List;

/**
 * A signed permission to execute exactly the listed changes, once decided.
 *
 * @param token         the compact JWS (EdDSA over Ed25519) to hand to the tool
 * @param decisionId    the decision that issued it
 * @param actor         the actor it was issued to
 * @param changes       exactly what it allows
 * @param modelRevision the model revision the decision was taken on
 * @param issuedAt      when
 * @param expiresAt     after this it is worthless
 */
public record ExecutionGrant(String token, String decisionId, String actor, List<GrantedChange> changes,
        long modelRevision, Instant issuedAt, Instant expiresAt) {

    public ExecutionGrant {
        changes = changes == null ? List.of() : List.copyOf(changes);
    }
}
