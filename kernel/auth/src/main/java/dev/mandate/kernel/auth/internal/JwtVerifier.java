package dev.mandate.kernel.auth.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

/**
 * Validates OAuth 2 access tokens that are JWTs (RFC 9068 and the common IdP profiles): the signature against the
 * issuer's JSON Web Key Set with one of the configured algorithms, {@code iss} exactly, {@code aud} containing the
 * configured audience, {@code exp} (required) and {@code nbf} with the clock skew, and a {@code typ} of
 * {@code at+jwt}, {@code JWT} or none. A remote key set is fetched on first use (not on activation) and again
 * when a token names an unknown key, by Nimbus' own cache. Thread-safe.
 */
public final class JwtVerifier {

    /** What a valid token says about its bearer. */
    record Claims(String caller, List<String> groups, Map<String, Object> attributes) {
    }

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final String issuer;
    private final String callerClaim;
    private final List<String> groupClaims;

    /**
     * @throws IllegalArgumentException naming the setting that is wrong
     */
    public JwtVerifier(String issuer, String audience, String jwksUrl, List<String> algorithms, String callerClaim,
            List<String> groupClaims, int clockSkewSeconds) {
        if (audience == null || audience.isBlank()) {
            throw new IllegalArgumentException("jwt.audience is empty: a token issued for another resource would be "
                    + "accepted; set it to this mandate's resource identifier at '" + issuer + "'");
        }
        Set<JWSAlgorithm> accepted = new LinkedHashSet<>();
        for (String algorithm : algorithms) {
            for (String name : algorithm.split(",")) {
                if (!name.isBlank()) {
                    accepted.add(JWSAlgorithm.parse(name.trim()));
                }
            }
        }
        if (accepted.isEmpty()) {
            throw new IllegalArgumentException("jwt.algorithms is empty");
        }
        this.issuer = issuer;
        this.callerClaim = callerClaim == null || callerClaim.isBlank() ? "sub" : callerClaim.trim();
        this.groupClaims = List.copyOf(groupClaims);
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt"),
                new JOSEObjectType("application/at+jwt"), JOSEObjectType.JWT, null));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(accepted, keys(jwksUrl)));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(audience.trim(),
                new JWTClaimsSet.Builder().issuer(issuer).build(), new HashSet<>(List.of("exp", this.callerClaim)));
        claims.setMaxClockSkew(Math.max(0, clockSkewSeconds));
        processor.setJWTClaimsSetVerifier(claims);
    }

    private static JWKSource<SecurityContext> keys(String jwksUrl) {
        if (jwksUrl == null || jwksUrl.isBlank()) {
            throw new IllegalArgumentException("jwt.jwksUrl is empty: there is no key to check a token's signature");
        }
        URL url;
        try {
            url = URI.create(jwksUrl.trim()).toURL();
        } catch (IllegalArgumentException | MalformedURLException e) {
            throw new IllegalArgumentException("jwt.jwksUrl '" + jwksUrl + "' is no url", e);
        }
        String scheme = url.getProtocol().toLowerCase(Locale.ROOT);
        if ("file".equals(scheme)) {
            try (InputStream in = url.openStream()) {
                return new ImmutableJWKSet<>(JWKSet.load(in));
            } catch (IOException | ParseException e) {
                throw new IllegalArgumentException("jwt.jwksUrl '" + jwksUrl + "' holds no json web key set: "
                        + e.getMessage(), e);
            }
        }
        if (!"https".equals(scheme) && !"http".equals(scheme)) {
            throw new IllegalArgumentException("jwt.jwksUrl '" + jwksUrl + "' is neither https nor file");
        }
        return JWKSourceBuilder.create(url).retrying(true).build();
    }

    /** The issuer whose tokens are accepted. */
    String issuer() {
        return issuer;
    }

    /**
     * The claims of a valid token.
     *
     * @throws InvalidTokenException saying why it is not valid (never the token)
     */
    Claims verify(String token) throws InvalidTokenException {
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException e) {
            throw new InvalidTokenException("the bearer token is no signed jwt");
        } catch (BadJOSEException e) {
            throw new InvalidTokenException("the bearer token is not valid: " + lower(e.getMessage()));
        } catch (JOSEException e) {
            throw new InvalidTokenException("the bearer token could not be checked: " + lower(e.getMessage()));
        }
        Object caller = claims.getClaim(callerClaim);
        if (!(caller instanceof String id) || id.isBlank()) {
            throw new InvalidTokenException("the bearer token's '" + callerClaim + "' names no caller");
        }
        Set<String> groups = new LinkedHashSet<>();
        for (String name : groupClaims) {
            Object value = claims.getClaim(name);
            if (value instanceof String text) {
                for (String group : text.trim().split("\\s+")) {
                    if (!group.isEmpty()) {
                        groups.add(group);
                    }
                }
            } else if (value instanceof List<?> list) {
                list.stream().filter(String.class::isInstance).map(String.class::cast).forEach(groups::add);
            }
        }
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("issuer", issuer);
        for (String name : List.of("client_id", "azp")) {
            if (claims.getClaim(name) instanceof String client) {
                attributes.put("client", client);
                break;
            }
        }
        return new Claims(id, new ArrayList<>(groups), attributes);
    }

    private static String lower(String message) {
        if (message == null || message.isEmpty()) {
            return "unknown reason";
        }
        String line = message.lines().findFirst().orElse(message);
        return (Character.toLowerCase(line.charAt(0)) + line.substring(1)).replaceAll("\\.$", "");
    }

    /** A token that does not hold. */
    static final class InvalidTokenException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidTokenException(String message) {
            super(message);
        }
    }
}
