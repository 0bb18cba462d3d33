package dev.mandate.kernel.grants.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import dev.mandate.api.grant.ExecutionGrant;
import dev.mandate.api.grant.GrantVerification;
import dev.mandate.api.grant.GrantedChange;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GrantServiceImplTest {

    private static final GrantedChange RESTART = new GrantedChange("restart", "aws:ec2:instance:eu-west-1:1:i-1");
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    @TempDir
    Path keys;

    private GrantServiceImpl at(Instant now) {
        return new GrantServiceImpl(keys, Duration.ofMinutes(5), "mandate", Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void aGrantCoversExactlyWhatWasAllowed() {
        ExecutionGrant grant = at(T0).issue("d-1", "alice", List.of(RESTART), 12);

        GrantVerification ok = at(T0.plusSeconds(60)).verify(grant.token(), RESTART);
        GrantVerification other = at(T0.plusSeconds(60)).verify(grant.token(),
                new GrantedChange("delete", RESTART.target()));

        assertThat(ok.valid()).isTrue();
        assertThat(ok.covers()).isTrue();
        assertThat(ok.grant().modelRevision()).isEqualTo(12);
        assertThat(ok.grant().actor()).isEqualTo("alice");
        assertThat(other.valid()).isTrue();
        assertThat(other.covers()).isFalse();
        assertThat(other.reason()).contains("does not allow delete");
    }

    @Test
    void anyTextInTheClaimsReadsBackAsItWasGranted() {
        String actor = "o'brien \"the\" \\admin\\ \u00e9\u6771\t\u0001";
        GrantedChange change = new GrantedChange("update", "onprem:vm:dc-1:caf\u00e9/\"quoted\"");
        ExecutionGrant grant = at(T0).issue("d-\u00e9", actor, List.of(RESTART, change), 7);

        GrantVerification ok = at(T0.plusSeconds(1)).verify(grant.token(), change);

        assertThat(ok.valid()).as(ok.reason()).isTrue();
        assertThat(ok.covers()).isTrue();
        assertThat(ok.grant().actor()).isEqualTo(actor);
        assertThat(ok.grant().decisionId()).isEqualTo("d-\u00e9");
        assertThat(ok.grant().changes()).containsExactly(RESTART, change);
        assertThat(ok.grant().issuedAt()).isEqualTo(T0);
        assertThat(ok.grant().expiresAt()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
    }

    @Test
    void anExpiredGrantIsWorthless() {
        ExecutionGrant grant = at(T0).issue("d-1", "alice", List.of(RESTART), 1);

        GrantVerification late = at(T0.plusSeconds(301)).verify(grant.token(), RESTART);

        assertThat(late.valid()).isFalse();
        assertThat(late.reason()).contains("expired");
    }

    @Test
    void aTamperedGrantFailsItsSignature() {
        String token = at(T0).issue("d-1", "alice", List.of(RESTART), 1).token();
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1])).replace("restart", "delete");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes())
                + "." + parts[2];

        GrantVerification result = at(T0).verify(forged, new GrantedChange("delete", RESTART.target()));

        assertThat(result.valid()).isFalse();
        assertThat(result.reason()).isEqualTo("the signature does not hold");
    }

    @Test
    void theKeyPersistsAcrossRestartsAndAnotherNodesKeyIsRefused(@TempDir Path otherKeys) throws Exception {
        String token = at(T0).issue("d-1", "alice", List.of(RESTART), 1).token();

        assertThat(at(T0).verify(token, RESTART).valid()).isTrue();
        assertThat(Files.list(keys)).hasSize(2);
        GrantServiceImpl otherNode = new GrantServiceImpl(otherKeys, Duration.ofMinutes(5), "mandate",
                Clock.fixed(T0, ZoneOffset.UTC));
        assertThat(otherNode.verify(token, RESTART).reason()).startsWith("signed with an unknown key");
    }

    @Test
    void garbageIsExplainedNotThrown() {
        assertThat(at(T0).verify("not-a-jwt", RESTART).reason()).startsWith("not a grant");
        assertThat(at(T0).verify(" ", RESTART).reason()).isEqualTo("no grant was presented");
    }

    @Test
    void thePublicKeyIsPublishedAsAJwkSet() {
        Map<String, Object> jwks = at(T0).publicKeys();

        assertThat(jwks.get("keys")).asList().singleElement().satisfies(jwk -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> key = (Map<String, Object>) jwk;
            assertThat(key).containsEntry("kty", "OKP").containsEntry("crv", "Ed25519").containsKey("kid");
            assertThat(Base64.getUrlDecoder().decode((String) key.get("x"))).hasSize(32);
        });
    }
}
