package dev.mandate.kernel.grants.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.mandate.api.evidence.EvidenceSigner;
import dev.mandate.api.grant.ExecutionGrant;
import dev.mandate.api.grant.GrantService;
import dev.mandate.api.grant.GrantVerification;
import dev.mandate.api.grant.GrantedChange;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Execution grants as compact JWS (EdDSA over the node's Ed25519 key): {@code sub} the actor,
 * {@code jti} the decision, {@code rev} the model revision, {@code changes} exactly what is
 * allowed, {@code exp} a short expiry. The same node key signs the evidence ledger's checkpoints
 * ({@link EvidenceSigner}).
 */
@Component(service = {GrantService.class, EvidenceSigner.class}, configurationPid = "dev.mandate.kernel.grants")
@Designate(ocd = GrantServiceConfig.class)
public class GrantServiceImpl implements GrantService, EvidenceSigner {

    static final JOSEObjectType TYPE = new JOSEObjectType("mandate-grant+jwt");
    private static final java.util.Base64.Encoder BASE64URL = java.util.Base64.getUrlEncoder().withoutPadding();

    /** A key and its encoded JWS header. */
    private record EncodedHeader(NodeKey key, String encoded) {
    }

    private volatile EncodedHeader encodedHeader;

    private final Path keyFolder;
    private final Duration ttl;
    private final String issuer;
    private final Clock clock;
    private volatile NodeKey key;

    @Activate
    public GrantServiceImpl(GrantServiceConfig config) {
        this(keyFolder(config.keyFolder()), Duration.ofSeconds(config.ttlSeconds()), config.issuer(), Clock.systemUTC());
    }

    GrantServiceImpl(Path keyFolder, Duration ttl, String issuer, Clock clock) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttlSeconds must be positive, was " + ttl.getSeconds());
        }
        this.keyFolder = keyFolder;
        this.ttl = ttl;
        this.issuer = issuer;
        this.clock = clock;
    }

    @Override
    public ExecutionGrant issue(String decisionId, String actor, List<GrantedChange> changes, long modelRevision) {
        NodeKey nodeKey = key();
        Instant issuedAt = clock.instant();
        Instant expiresAt = issuedAt.plus(ttl);
        // the compact JWS written directly (the header encoded once per key): the claims a JWTClaimsSet would
        // hold, signed by the same key; Nimbus' per-token JSON and constant-time Base64 cost more than the signature
        StringBuilder claims = new StringBuilder(256).append("{\"iss\":");
        quote(claims, issuer).append(",\"sub\":");
        quote(claims, actor).append(",\"jti\":");
        quote(claims, decisionId).append(",\"iat\":").append(issuedAt.getEpochSecond()).append(",\"exp\":")
                .append(expiresAt.getEpochSecond()).append(",\"rev\":").append(modelRevision).append(",\"changes\":[");
        for (int i = 0; i < changes.size(); i++) {
            claims.append(i == 0 ? "{\"action\":" : ",{\"action\":");
            quote(claims, changes.get(i).action()).append(",\"target\":");
            quote(claims, changes.get(i).target()).append('}');
        }
        claims.append("]}");
        String signingInput = header(nodeKey) + '.' + BASE64URL.encodeToString(claims.toString()
                .getBytes(StandardCharsets.UTF_8));
        byte[] signature = nodeKey.sign(signingInput.getBytes(StandardCharsets.US_ASCII));
        String token = signingInput + '.' + BASE64URL.encodeToString(signature);
        return new ExecutionGrant(token, decisionId, actor, changes, modelRevision, issuedAt, expiresAt);
    }

    @Override
    public GrantVerification verify(String token, GrantedChange change) {
        if (token == null || token.isBlank()) {
            return new GrantVerification(false, false, "no grant was presented", null);
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token.trim());
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            return new GrantVerification(false, false, "not a grant: " + e.getMessage(), null);
        }
        NodeKey nodeKey = key();
        if (!nodeKey.keyId().equals(jwt.getHeader().getKeyID())) {
            return new GrantVerification(false, false, "signed with an unknown key '" + jwt.getHeader().getKeyID() + "'",
                    null);
        }
        try {
            if (!jwt.verify(JdkEd25519.verifier(nodeKey.publicKey()))) {
                return new GrantVerification(false, false, "the signature does not hold", null);
            }
        } catch (JOSEException e) {
            return new GrantVerification(false, false, "the signature cannot be checked: " + e.getMessage(), null);
        }
        ExecutionGrant grant;
        try {
            grant = toGrant(token, claims);
        } catch (ParseException | RuntimeException e) {
            return new GrantVerification(false, false, "the grant's claims are malformed: " + e.getMessage(), null);
        }
        if (!issuer.equals(claims.getIssuer())) {
            return new GrantVerification(false, false, "issued by '" + claims.getIssuer() + "', not '" + issuer + "'",
                    grant);
        }
        if (grant.expiresAt() == null || !clock.instant().isBefore(grant.expiresAt())) {
            return new GrantVerification(false, false, "the grant expired at " + grant.expiresAt(), grant);
        }
        if (change == null) {
            return new GrantVerification(true, false, "genuine and unexpired; allows " + describe(grant.changes()), grant);
        }
        boolean covers = grant.changes().contains(change);
        String reason = covers ? "genuine, unexpired, and allows " + change.action() + " of '" + change.target() + "'"
                : "the grant does not allow " + change.action() + " of '" + change.target() + "'; it allows "
                        + describe(grant.changes());
        return new GrantVerification(true, covers, reason, grant);
    }

    @Override
    public Map<String, Object> publicKeys() {
        NodeKey nodeKey = key();
        Map<String, Object> jwk = new LinkedHashMap<>();
        jwk.put("kty", "OKP");
        jwk.put("crv", "Ed25519");
        jwk.put("x", Base64URL.encode(nodeKey.rawPublicKey()).toString());
        jwk.put("kid", nodeKey.keyId());
        jwk.put("use", "sig");
        jwk.put("alg", "EdDSA");
        return Map.of("keys", List.of(jwk));
    }

    @Override
    public String keyId() {
        return key().keyId();
    }

    @Override
    public PublicKey publicKey() {
        return key().publicKey();
    }

    @Override
    public byte[] sign(byte[] data) {
        return key().sign(data);
    }

    /** The encoded JWS header of grants signed by {@code nodeKey}. */
    private String header(NodeKey nodeKey) {
        EncodedHeader known = encodedHeader;
        if (known == null || known.key() != nodeKey) {
            known = new EncodedHeader(nodeKey, new JWSHeader.Builder(JWSAlgorithm.EdDSA).keyID(nodeKey.keyId())
                    .type(TYPE).build().toBase64URL().toString());
            encodedHeader = known;
        }
        return known.encoded();
    }

    /** {@code value} as a JSON string (RFC 8259 escapes), appended to {@code json}; null as null. */
    static StringBuilder quote(StringBuilder json, String value) {
        if (value == null) {
            return json.append("null");
        }
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        return json.append('"');
    }

    private static ExecutionGrant toGrant(String token, JWTClaimsSet claims) throws ParseException {
        List<GrantedChange> changes = new ArrayList<>();
        Object raw = claims.getClaim("changes");
        if (!(raw instanceof List<?> list)) {
            throw new ParseException("'changes' is missing", 0);
        }
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> map)) {
                throw new ParseException("a change is not an object", 0);
            }
            changes.add(new GrantedChange(String.valueOf(map.get("action")), String.valueOf(map.get("target"))));
        }
        Long revision = claims.getLongClaim("rev");
        Date issued = claims.getIssueTime();
        Date expires = claims.getExpirationTime();
        return new ExecutionGrant(token, claims.getJWTID(), claims.getSubject(), changes,
                revision == null ? 0 : revision, issued == null ? null : issued.toInstant(),
                expires == null ? null : expires.toInstant());
    }

    private static String describe(List<GrantedChange> changes) {
        List<String> parts = new ArrayList<>();
        for (GrantedChange change : changes) {
            parts.add(change.action() + " of '" + change.target() + "'");
        }
        return String.join(", ", parts);
    }

    /** Reads or creates the key on first use: never in activation, which must not do I/O. */
    private NodeKey key() {
        NodeKey current = key;
        if (current == null) {
            synchronized (this) {
                current = key;
                if (current == null) {
                    current = NodeKey.loadOrCreate(keyFolder);
                    key = current;
                }
            }
        }
        return current;
    }

    private static Path keyFolder(String configured) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("karaf.data", "data"), "mandate", "keys");
    }
}
