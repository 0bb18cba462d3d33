package dev.mandate.kernel.auth.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.mandate.api.auth.CallerAuthentication;
import dev.mandate.api.decision.ActorKind;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three ways a caller proves who it is: an OAuth 2 access token (a JWT signed by a key of a JWKS written to a
 * file), a static API token configured by its hash, and HTTP Basic against Karaf's own JAAS properties login
 * module; and what a refusal says (401 with challenges, 403 for a missing role).
 */
class CallerAuthenticatorImplTest {

    private static final String ISSUER = "https://idp.acme.example/realms/ops";
    private static final String AUDIENCE = "https://mandate.acme.example";
    private static final String REALM = "mandate-auth-test";
    private static final String API_TOKEN = "n0T5oR4nd0m-but-l0ng-en0ugh-for-a-test-tok3n";

    @TempDir
    static Path folder;

    private static RSAKey key;
    private static RSAKey stranger;
    private static CallerAuthenticatorImpl authenticator;

    @BeforeAll
    static void setUp() throws Exception {
        key = new RSAKeyGenerator(2048).keyID("k1").generate();
        stranger = new RSAKeyGenerator(2048).keyID("k1").generate();
        Path jwks = Files.writeString(folder.resolve("jwks.json"), new JWKSet(key.toPublicJWK()).toString());
        JwtVerifier jwt = new JwtVerifier(ISSUER, AUDIENCE, jwks.toUri().toString(), List.of("RS256", "ES256"), "sub",
                List.of("groups", "scope"), 60);
        String hash = HexFormat.of().formatHex(ApiTokens.sha256(API_TOKEN));
        ApiTokens tokens = ApiTokens.of(new String[] {"ci-pipeline:sha256:" + hash + ":mandate-pep mandate-system"});
        authenticator = new CallerAuthenticatorImpl(new JaasAuthenticator(REALM, realm(), List.of("mandate-ai"),
                List.of("mandate-system")), jwt, tokens, List.of("mandate-ai"), List.of("mandate-system"));
    }

    static Configuration realm() throws Exception {
        URL users = CallerAuthenticatorImplTest.class.getClassLoader().getResource("auth/users.properties");
        AppConfigurationEntry entry = new AppConfigurationEntry(
                "org.apache.karaf.jaas.modules.properties.PropertiesLoginModule",
                AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, Map.of("users", Path.of(users.toURI()).toString()));
        return new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                return REALM.equals(name) ? new AppConfigurationEntry[] {entry} : null;
            }
        };
    }

    private static String token(RSAKey signer, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signer.getKeyID())
                .type(new JOSEObjectType("at+jwt")).build(), claims);
        jwt.sign(new RSASSASigner(signer));
        return jwt.serialize();
    }

    private static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().issuer(ISSUER).audience(List.of(AUDIENCE, "account")).subject("agent-7")
                .expirationTime(Date.from(Instant.now().plusSeconds(300))).claim("client_id", "claude-ops")
                .claim("groups", List.of("mandate-agent", "mandate-ai")).claim("scope", "openid mandate:check");
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anAccessTokenOfTheIssuerForThisAudienceNamesTheCallerItsGroupsAndKind() throws Exception {
        CallerAuthentication result = authenticator.authenticate("Bearer " + token(key, claims().build()),
                List.of("mandate-agent"));

        assertThat(result.succeeded()).isTrue();
        assertThat(result.caller().id()).isEqualTo("agent-7");
        assertThat(result.caller().kind()).isEqualTo(ActorKind.AI);
        assertThat(result.caller().groups()).containsExactly("mandate-agent", "mandate-ai", "openid", "mandate:check");
        assertThat(result.caller().assurance()).isEqualTo("oauth2");
        assertThat(result.caller().attributes()).containsEntry("issuer", ISSUER).containsEntry("client", "claude-ops");
        assertThat(authenticator.authorizationServers()).containsExactly(ISSUER);
    }

    @Test
    void aTokenForAnotherAudienceIssuerOrKeyOrOutOfDateIsRefusedAsInvalid() throws Exception {
        List<String> tokens = List.of(
                token(key, claims().audience("https://other.example").build()),
                token(key, claims().issuer("https://idp.evil.example").build()),
                token(stranger, claims().build()),
                token(key, claims().expirationTime(Date.from(Instant.now().minusSeconds(600))).build()),
                token(key, new JWTClaimsSet.Builder(claims().build()).expirationTime(null).build()));
        for (String token : tokens) {
            CallerAuthentication result = authenticator.authenticate("Bearer " + token, List.of());
            assertThat(result.status()).as(result.error()).isEqualTo(401);
            assertThat(result.error()).startsWith("the bearer token is not valid: ");
            assertThat(result.challenges()).first().asString().startsWith(CallerAuthenticatorImpl.BEARER_CHALLENGE
                    + ", error=\"invalid_token\"");
        }
    }

    @Test
    void aTokenSignedWithAnAlgorithmNotConfiguredIsRefused() throws Exception {
        SignedJWT hmac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").build(), claims().build());
        hmac.sign(new MACSigner(new byte[32]));
        assertThat(authenticator.authenticate("Bearer " + hmac.serialize(), List.of()).status()).isEqualTo(401);
        String unsigned = "eyJhbGciOiJub25lIn0." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                claims().build().toString().getBytes(StandardCharsets.UTF_8)) + ".";
        assertThat(authenticator.authenticate("Bearer " + unsigned, List.of()).status()).isEqualTo(401);
    }

    @Test
    void anApiTokenIsKnownByItsHash() {
        CallerAuthentication result = authenticator.authenticate("Bearer " + API_TOKEN, List.of("mandate-pep"));
        assertThat(result.succeeded()).isTrue();
        assertThat(result.caller().id()).isEqualTo("ci-pipeline");
        assertThat(result.caller().kind()).isEqualTo(ActorKind.SYSTEM);
        assertThat(result.caller().groups()).containsExactly("mandate-pep", "mandate-system");
        assertThat(result.caller().assurance()).isEqualTo("api-token");

        CallerAuthentication wrong = authenticator.authenticate("Bearer " + API_TOKEN + "x", List.of());
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.error()).isEqualTo("the bearer token is not valid");
    }

    @Test
    void basicCredentialsAreCheckedAgainstTheJaasRealm() {
        CallerAuthentication paul = authenticator.authenticate(basic("paul", "paul-secret"), List.of());
        assertThat(paul.succeeded()).isTrue();
        assertThat(paul.caller().id()).isEqualTo("paul");
        assertThat(paul.caller().kind()).isEqualTo(ActorKind.HUMAN);
        assertThat(paul.caller().groups()).contains("grp-payments");
        assertThat(paul.caller().assurance()).isEqualTo("password");

        CallerAuthentication wrong = authenticator.authenticate(basic("paul", "guess"), List.of());
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.error()).isEqualTo("user 'paul' could not be authenticated");
        assertThat(wrong.challenges()).contains(CallerAuthenticatorImpl.BASIC_CHALLENGE);
    }

    @Test
    void withoutCredentialsOrWithAnotherSchemeTheCallerIsToldWhatToSend() {
        CallerAuthentication none = authenticator.authenticate(null, List.of());
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.error()).isEqualTo("authentication required: send an oauth2 access token (Authorization: "
                + "Bearer) or an api token (Authorization: Bearer) or the user and password of the realm "
                + "(Authorization: Basic)");
        assertThat(none.challenges()).containsExactly(CallerAuthenticatorImpl.BEARER_CHALLENGE,
                CallerAuthenticatorImpl.BASIC_CHALLENGE);

        CallerAuthentication digest = authenticator.authenticate("Digest username=\"paul\"", List.of());
        assertThat(digest.status()).isEqualTo(401);
        assertThat(digest.error()).startsWith("the authorization scheme 'Digest' is not accepted here");
    }

    @Test
    void anAuthenticatedCallerWithoutARequiredRoleIsForbidden() {
        CallerAuthentication paul = authenticator.authenticate(basic("paul", "paul-secret"),
                List.of("mandate-agent", "mandate-pep"));
        assertThat(paul.status()).isEqualTo(403);
        assertThat(paul.error()).isEqualTo("'paul' holds none of the roles mandate-agent, mandate-pep needed here");
        assertThat(paul.challenges()).containsExactly(CallerAuthenticatorImpl.BEARER_CHALLENGE
                + ", error=\"insufficient_scope\", scope=\"mandate-agent mandate-pep\"");
    }

    @Test
    void withNoMethodConfiguredEveryCallerIsRefused() {
        CallerAuthenticatorImpl off = new CallerAuthenticatorImpl(null, null, null, List.of(), List.of());
        CallerAuthentication result = off.authenticate(basic("paul", "paul-secret"), List.of());
        assertThat(result.status()).isEqualTo(401);
        assertThat(result.error()).startsWith("no authentication method is configured");
        assertThat(off.authorizationServers()).isEmpty();
    }

    @Test
    void aMisconfigurationSaysWhichSettingIsWrong() {
        assertThatIllegalArgumentException().isThrownBy(() -> ApiTokens.of(new String[] {"ci:sha256:abc"}))
                .withMessage("api token entry of 'ci' is not '<caller>:sha256:<64 hex digits>[:<groups>]'");
        assertThatIllegalArgumentException().isThrownBy(() -> new JwtVerifier(ISSUER, "", "file:/nowhere",
                List.of("RS256"), "sub", List.of(), 60)).withMessageStartingWith("jwt.audience is empty");
        assertThatIllegalArgumentException().isThrownBy(() -> new JwtVerifier(ISSUER, AUDIENCE, "ftp://idp/jwks",
                List.of("RS256"), "sub", List.of(), 60)).withMessage("jwt.jwksUrl 'ftp://idp/jwks' is neither https "
                        + "nor file");
    }
}
