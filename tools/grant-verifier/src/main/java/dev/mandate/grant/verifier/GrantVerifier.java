package dev.mandate.grant.verifier;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.mandate.grant.verifier.internal.Json;

/**
 * Checks Mandate execution grants: compact JWS ({@code typ} {@code mandate-grant+jwt}, {@code alg}
 * {@code EdDSA}) signed with one of the node's Ed25519 keys, as published at
 * {@code GET /mandate/v1/grants/keys} (a JSON Web Key Set). Uses the JDK alone (EdDSA is in Java 15+).
 * Immutable and thread-safe; {@link #verify} does no I/O and never throws for a bad token, it says why.
 *
 * <pre>{@code
 * GrantVerifier verifier = GrantVerifier.fromJwks(jwksJson).withIssuer("mandate");
 * Verification check = verifier.verify(token, "ci-logistics", new Change("delete", elementId));
 * if (!check.covers()) refuse(check.reason());
 * }</pre>
 */
public final class GrantVerifier {

    /** The media type Mandate gives its grants in the JWS header. */
    public static final String TYPE = "mandate-grant+jwt";

    private static final byte[] X509_ED25519_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03,
        0x21, 0x00};

    private final Map<String, PublicKey> keys;
    private final String issuer;
    private final Clock clock;
    private final Duration leeway;

    private GrantVerifier(Map<String, PublicKey> keys, String issuer, Clock clock, Duration leeway) {
        this.keys = Map.copyOf(keys);
        this.issuer = issuer;
        this.clock = clock;
        this.leeway = leeway;
    }

    /**
     * A verifier trusting the Ed25519 keys ({@code kty} OKP, {@code crv} Ed25519) of a JSON Web Key Set.
     *
     * @throws IllegalArgumentException when the text is no key set or holds no usable Ed25519 key
     */
    public static GrantVerifier fromJwks(String jwks) {
        Object parsed;
        try {
            parsed = Json.parse(jwks);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the key set is not json: " + e.getMessage(), e);
        }
        if (!(parsed instanceof Map<?, ?> set) || !(set.get("keys") instanceof List<?> list)) {
            throw new IllegalArgumentException("a key set is a json object with a 'keys' list");
        }
        Map<String, PublicKey> keys = new LinkedHashMap<>();
        for (Object item : list) {
            if (item instanceof Map<?, ?> jwk && "OKP".equals(jwk.get("kty")) && "Ed25519".equals(jwk.get("crv"))
                    && jwk.get("x") instanceof String x && jwk.get("kid") instanceof String kid) {
                keys.put(kid, ed25519(decode(x, "the key '" + kid + "'")));
            }
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("the key set holds no Ed25519 key with a 'kid'");
        }
        return new GrantVerifier(keys, null, Clock.systemUTC(), Duration.ZERO);
    }

    /** A verifier trusting the given keys, by key id. */
    public static GrantVerifier of(Map<String, PublicKey> keysById) {
        if (keysById == null || keysById.isEmpty()) {
            throw new IllegalArgumentException("a verifier needs at least one key");
        }
        return new GrantVerifier(keysById, null, Clock.systemUTC(), Duration.ZERO);
    }

    /** This verifier, refusing grants not issued by {@code expected} ({@code iss}). */
    public GrantVerifier withIssuer(String expected) {
        return new GrantVerifier(keys, Objects.requireNonNull(expected, "issuer"), clock, leeway);
    }

    /** This verifier, reading the time from {@code clock}. */
    public GrantVerifier withClock(Clock clock) {
        return new GrantVerifier(keys, issuer, Objects.requireNonNull(clock, "clock"), leeway);
    }

    /** This verifier, accepting a grant up to {@code leeway} after its expiry (clock skew between machines). */
    public GrantVerifier withLeeway(Duration leeway) {
        if (leeway.isNegative()) {
            throw new IllegalArgumentException("the leeway cannot be negative");
        }
        return new GrantVerifier(keys, issuer, clock, leeway);
    }

    /** Is the grant genuine, unexpired and from the expected issuer? */
    public Verification verify(String token) {
        return verify(token, null, null);
    }

    /**
     * Is the grant genuine, unexpired, from the expected issuer, issued to {@code actor} (when not {@code null})
     * and does it name {@code change} (when not {@code null})?
     */
    public Verification verify(String token, String actor, Change change) {
        if (token == null || token.isBlank()) {
            return Verification.refused("no grant was presented", null);
        }
        String[] parts = token.trim().split("\\.", -1);
        if (parts.length != 3) {
            return Verification.refused("not a grant: a compact jws has three parts, this has " + parts.length, null);
        }
        Map<?, ?> header;
        Map<?, ?> claims;
        byte[] signature;
        try {
            header = object(parts[0], "header");
            claims = object(parts[1], "claims");
            signature = decode(parts[2], "the signature");
        } catch (IllegalArgumentException e) {
            return Verification.refused("not a grant: " + e.getMessage(), null);
        }
        if (!"EdDSA".equals(header.get("alg"))) {
            return Verification.refused("the grant is signed with '" + header.get("alg") + "', not 'EdDSA'", null);
        }
        if (header.get("typ") != null && !TYPE.equals(header.get("typ"))) {
            return Verification.refused("the token is a '" + header.get("typ") + "', not a '" + TYPE + "'", null);
        }
        Object kid = header.get("kid");
        PublicKey key = kid instanceof String id ? keys.get(id) : null;
        if (key == null) {
            return Verification.refused("signed with an unknown key '" + kid + "'", null);
        }
        if (!holds(key, (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII), signature)) {
            return Verification.refused("the signature does not hold", null);
        }
        Grant grant;
        try {
            grant = grant((String) kid, claims);
        } catch (IllegalArgumentException e) {
            return Verification.refused("the grant's claims are malformed: " + e.getMessage(), null);
        }
        if (issuer != null && !issuer.equals(grant.issuer())) {
            return Verification.refused("issued by '" + grant.issuer() + "', not '" + issuer + "'", grant);
        }
        if (grant.expiresAt() == null) {
            return Verification.refused("the grant has no expiry", grant);
        }
        if (!clock.instant().isBefore(grant.expiresAt().plus(leeway))) {
            return Verification.refused("the grant expired at " + grant.expiresAt(), grant);
        }
        if (actor != null && !actor.equals(grant.actor())) {
            return Verification.refused("the grant was issued to '" + grant.actor() + "', not '" + actor + "'", grant);
        }
        if (change == null) {
            return new Verification(true, false, "genuine and unexpired; allows " + describe(grant.changes()), grant);
        }
        if (!grant.allows(change)) {
            return new Verification(true, false, "the grant does not allow " + change + "; it allows "
                    + describe(grant.changes()), grant);
        }
        return new Verification(true, true, "genuine, unexpired, and allows " + change, grant);
    }

    private static boolean holds(PublicKey key, byte[] signingInput, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(signingInput);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static Grant grant(String keyId, Map<?, ?> claims) {
        if (!(claims.get("changes") instanceof List<?> list)) {
            throw new IllegalArgumentException("'changes' is missing");
        }
        List<Change> changes = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> change) || !(change.get("action") instanceof String action)
                    || !(change.get("target") instanceof String target)) {
                throw new IllegalArgumentException("a change is not an object with 'action' and 'target'");
            }
            changes.add(new Change(action, target));
        }
        return new Grant(keyId, text(claims, "iss"), text(claims, "sub"), text(claims, "jti"),
                number(claims, "rev") == null ? 0 : number(claims, "rev"), instant(claims, "iat"),
                instant(claims, "exp"), changes);
    }

    private static String text(Map<?, ?> claims, String name) {
        Object value = claims.get(name);
        if (value != null && !(value instanceof String)) {
            throw new IllegalArgumentException("'" + name + "' is not a string");
        }
        return (String) value;
    }

    private static Long number(Map<?, ?> claims, String name) {
        Object value = claims.get(name);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Long number)) {
            throw new IllegalArgumentException("'" + name + "' is not a whole number");
        }
        return number;
    }

    private static Instant instant(Map<?, ?> claims, String name) {
        Long seconds = number(claims, name);
        return seconds == null ? null : Instant.ofEpochSecond(seconds);
    }

    private static Map<?, ?> object(String part, String what) {
        String text = new String(decode(part, "the " + what), StandardCharsets.UTF_8);
        Object parsed;
        try {
            parsed = Json.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the " + what + " is not json: " + e.getMessage(), e);
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("the " + what + " is not a json object");
        }
        return map;
    }

    private static byte[] decode(String base64url, String what) {
        try {
            return Base64.getUrlDecoder().decode(base64url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is not base64url");
        }
    }

    private static PublicKey ed25519(byte[] raw) {
        if (raw.length != 32) {
            throw new IllegalArgumentException("an Ed25519 public key has 32 bytes, not " + raw.length);
        }
        byte[] der = new byte[X509_ED25519_PREFIX.length + raw.length];
        System.arraycopy(X509_ED25519_PREFIX, 0, der, 0, X509_ED25519_PREFIX.length);
        System.arraycopy(raw, 0, der, X509_ED25519_PREFIX.length, raw.length);
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 public key: " + e.getMessage(), e);
        }
    }

    private static String describe(List<Change> changes) {
        List<String> parts = new ArrayList<>();
        changes.forEach(change -> parts.add(change.toString()));
        return parts.isEmpty() ? "nothing" : String.join(", ", parts);
    }
}
