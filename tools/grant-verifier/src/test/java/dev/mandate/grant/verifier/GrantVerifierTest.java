package dev.mandate.grant.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mandate.api.grant.ExecutionGrant;
import dev.mandate.api.grant.GrantService;
import dev.mandate.api.grant.GrantedChange;
import dev.mandate.kernel.grants.internal.KernelGrants;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Grants issued by the kernel's real issuer (kernel/grants), checked by the JDK-only verifier. */
class GrantVerifierTest {

    private static final String ORDERS_PROD = "aws:rds:db-instance:eu-west-1:111122223333:orders-prod";
    private static final Instant NOW = Instant.parse("2026-11-26T07:00:00Z");

    @TempDir
    Path keys;

    private GrantService issuer;
    private GrantVerifier verifier;
    private String token;

    @BeforeEach
    void issue() throws Exception {
        issuer = KernelGrants.issuer(keys, Duration.ofMinutes(5), "mandate", Clock.fixed(NOW, ZoneOffset.UTC));
        ExecutionGrant grant = issuer.issue("d-42", "ci-logistics", List.of(new GrantedChange("delete", ORDERS_PROD),
                new GrantedChange("update", "aws:s3:bucket:eu-west-1:111122223333:orders-archive")), 1234);
        token = grant.token();
        verifier = GrantVerifier.fromJwks(new ObjectMapper().writeValueAsString(issuer.publicKeys()))
                .withIssuer("mandate").withClock(Clock.fixed(NOW.plusSeconds(60), ZoneOffset.UTC));
    }

    @Test
    void aKernelGrantIsGenuineAndCoversTheChangeItNames() {
        Verification check = verifier.verify(token, "ci-logistics", new Change("delete", ORDERS_PROD));

        assertThat(check.valid()).isTrue();
        assertThat(check.covers()).isTrue();
        assertThat(check.reason()).isEqualTo("genuine, unexpired, and allows delete of '" + ORDERS_PROD + "'");
        Grant grant = check.grant();
        assertThat(grant.actor()).isEqualTo("ci-logistics");
        assertThat(grant.decisionId()).isEqualTo("d-42");
        assertThat(grant.issuer()).isEqualTo("mandate");
        assertThat(grant.modelRevision()).isEqualTo(1234);
        assertThat(grant.issuedAt()).isEqualTo(NOW);
        assertThat(grant.expiresAt()).isEqualTo(NOW.plus(Duration.ofMinutes(5)));
        assertThat(grant.changes()).hasSize(2);
        assertThat(issuer.verify(token, new GrantedChange("delete", ORDERS_PROD)).covers())
                .as("the kernel agrees").isTrue();
    }

    @Test
    void aChangeOutsideTheGrantIsNotCovered() {
        Verification check = verifier.verify(token, null, new Change("delete",
                "aws:s3:bucket:eu-west-1:111122223333:orders-archive"));

        assertThat(check.valid()).isTrue();
        assertThat(check.covers()).isFalse();
        assertThat(check.reason()).startsWith("the grant does not allow delete of "
                + "'aws:s3:bucket:eu-west-1:111122223333:orders-archive'; it allows delete of '" + ORDERS_PROD + "'");
    }

    @Test
    void anotherActorCannotPresentIt() {
        Verification check = verifier.verify(token, "agent-7", new Change("delete", ORDERS_PROD));
        assertThat(check.valid()).isFalse();
        assertThat(check.covers()).isFalse();
        assertThat(check.reason()).isEqualTo("the grant was issued to 'ci-logistics', not 'agent-7'");
    }

    @Test
    void anExpiredGrantIsRefusedUnlessWithinTheLeeway() {
        GrantVerifier later = verifier.withClock(Clock.fixed(NOW.plus(Duration.ofMinutes(5)), ZoneOffset.UTC));
        assertThat(later.verify(token).reason()).isEqualTo("the grant expired at 2026-11-26T07:05:00Z");
        assertThat(later.verify(token).valid()).isFalse();
        assertThat(later.withLeeway(Duration.ofSeconds(30)).verify(token).valid()).isTrue();
    }

    @Test
    void aTamperedGrantOrSignatureDoesNotHold() {
        String[] parts = token.split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String widened = Base64.getUrlEncoder().withoutPadding().encodeToString(
                claims.replace("\"delete\"", "\"replace\"").getBytes(StandardCharsets.UTF_8));
        assertThat(verifier.verify(parts[0] + "." + widened + "." + parts[2]).reason())
                .isEqualTo("the signature does not hold");

        byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
        signature[5] ^= 1;
        String flipped = parts[0] + "." + parts[1] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
        assertThat(verifier.verify(flipped).valid()).isFalse();
        assertThat(verifier.verify(flipped).grant()).isNull();
    }

    @Test
    void aGrantFromAnotherNodeOrIssuerIsRefused(@TempDir Path otherKeys) throws Exception {
        GrantService other = KernelGrants.issuer(otherKeys, Duration.ofMinutes(5), "mandate",
                Clock.fixed(NOW, ZoneOffset.UTC));
        String foreign = other.issue("d-1", "ci-logistics", List.of(new GrantedChange("delete", ORDERS_PROD)), 1).token();
        assertThat(verifier.verify(foreign).reason()).startsWith("signed with an unknown key '");

        GrantVerifier strict = verifier.withIssuer("mandate-eu");
        assertThat(strict.verify(token).reason()).isEqualTo("issued by 'mandate', not 'mandate-eu'");
    }

    @Test
    void anUnsignedOrForeignTokenIsRefused() {
        String header = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"alg\":\"none\",\"typ\":\"mandate-grant+jwt\"}".getBytes(StandardCharsets.UTF_8));
        String[] parts = token.split("\\.");
        assertThat(verifier.verify(header + "." + parts[1] + ".").reason())
                .isEqualTo("the grant is signed with 'none', not 'EdDSA'");
        assertThat(verifier.verify("a.b").reason()).isEqualTo("not a grant: a compact jws has three parts, this has 2");
        assertThat(verifier.verify("!!.e30.e30").reason()).isEqualTo("not a grant: the header is not base64url");
        assertThat(verifier.verify(" ").reason()).isEqualTo("no grant was presented");
        String notJson = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":".getBytes(StandardCharsets.UTF_8));
        assertThat(verifier.verify(notJson + ".e30.e30").reason()).startsWith("not a grant: the header is not json: ");
    }

    @Test
    void aKeySetWithoutEd25519KeysIsRefused() {
        assertThatThrownBy(() -> GrantVerifier.fromJwks("{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"r1\",\"n\":\"AQAB\"}]}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the key set holds no Ed25519 key with a 'kid'");
        assertThatThrownBy(() -> GrantVerifier.fromJwks("[]")).hasMessage("a key set is a json object with a 'keys' list");
        assertThatThrownBy(() -> GrantVerifier.fromJwks("{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"k\","
                + "\"x\":\"AAAA\"}]}")).hasMessage("an Ed25519 public key has 32 bytes, not 3");
    }
}
