package dev.mandate.kernel.auth.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.mandate.api.auth.CallerAuthentication;
import dev.mandate.api.auth.CallerAuthenticator;
import dev.mandate.api.decision.Actor;
import dev.mandate.api.decision.ActorKind;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Caller authentication as configured in {@code dev.mandate.kernel.auth}: {@code Authorization: Bearer} with an
 * OAuth 2 access token (a JWT: three dot-separated parts) or a static API token, and {@code Authorization: Basic}
 * against the JAAS realm. A caller's kind follows its groups (an AI role makes it an AI, a system role a system),
 * and the assurance says how it authenticated ({@code oauth2}, {@code api-token}, {@code password}). Refusals
 * carry RFC 6750 / RFC 7617 challenges for the schemes that are on; with none on, every request is refused.
 * Thread-safe: reconfiguration swaps the whole method set at once.
 */
@Component(service = CallerAuthenticator.class, configurationPid = "dev.mandate.kernel.auth")
@Designate(ocd = CallerAuthenticatorConfig.class)
public class CallerAuthenticatorImpl implements CallerAuthenticator {

    static final String REALM = "mandate";
    static final String BASIC_CHALLENGE = "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"";
    static final String BEARER_CHALLENGE = "Bearer realm=\"" + REALM + "\"";

    /** The methods that are on, with the role tables. */
    private record Methods(JaasAuthenticator basic, JwtVerifier jwt, ApiTokens tokens, Set<String> aiRoles,
            Set<String> systemRoles) {

        boolean bearer() {
            return jwt != null || !tokens.isEmpty();
        }
    }

    private volatile Methods methods;

    @Activate
    public CallerAuthenticatorImpl(CallerAuthenticatorConfig config) {
        configure(config);
    }

    /**
     * Authentication outside OSGi (tests elsewhere in the kernel): any method may be {@code null} (off).
     */
    public CallerAuthenticatorImpl(JaasAuthenticator basic, JwtVerifier jwt, ApiTokens tokens, List<String> aiRoles,
            List<String> systemRoles) {
        this.methods = new Methods(basic, jwt, tokens == null ? ApiTokens.NONE : tokens, Set.copyOf(aiRoles),
                Set.copyOf(systemRoles));
    }

    /** @throws IllegalArgumentException naming the setting that is wrong (the component does not start) */
    @Modified
    void configure(CallerAuthenticatorConfig config) {
        List<String> ai = List.of(split(config.aiRoles()));
        List<String> system = List.of(split(config.systemRoles()));
        JaasAuthenticator basic = config.realm() == null || config.realm().isBlank() ? null
                : new JaasAuthenticator(config.realm().trim(), null, ai, system);
        JwtVerifier jwt = config.jwt_issuer() == null || config.jwt_issuer().isBlank() ? null
                : new JwtVerifier(config.jwt_issuer().trim(), config.jwt_audience(), config.jwt_jwksUrl(),
                        List.of(config.jwt_algorithms()), config.jwt_callerClaim(),
                        List.of(split(config.jwt_groupClaims())), config.jwt_clockSkewSeconds());
        methods = new Methods(basic, jwt, ApiTokens.of(config.apiTokens()), Set.copyOf(ai), Set.copyOf(system));
    }

    @Override
    public CallerAuthentication authenticate(String authorization, Collection<String> roles) {
        Methods current = methods;
        List<String> challenges = challenges(current);
        if (challenges.isEmpty()) {
            return CallerAuthentication.unauthenticated("no authentication method is configured "
                    + "(dev.mandate.kernel.auth): every caller is refused", List.of());
        }
        if (authorization == null || authorization.isBlank()) {
            return CallerAuthentication.unauthenticated("authentication required: send " + schemes(current),
                    challenges);
        }
        String header = authorization.trim();
        CallerAuthentication authenticated;
        if (header.regionMatches(true, 0, "Bearer ", 0, 7) && current.bearer()) {
            authenticated = bearer(current, header.substring(7).trim(), challenges);
        } else if (header.regionMatches(true, 0, "Basic ", 0, 6) && current.basic() != null) {
            authenticated = basic(current, header.substring(6).trim(), challenges);
        } else {
            int space = header.indexOf(' ');
            return CallerAuthentication.unauthenticated("the authorization scheme '" + (space < 0 ? header
                    : header.substring(0, space)) + "' is not accepted here: send " + schemes(current), challenges);
        }
        if (!authenticated.succeeded() || roles == null || roles.isEmpty()) {
            return authenticated;
        }
        Actor caller = authenticated.caller();
        if (caller.groups().stream().noneMatch(roles::contains)) {
            return CallerAuthentication.forbidden("'" + caller.id() + "' holds none of the roles " + String.join(", ",
                    roles) + " needed here", current.bearer() ? List.of(BEARER_CHALLENGE
                            + ", error=\"insufficient_scope\", scope=\"" + String.join(" ", roles) + "\"") : List.of());
        }
        return authenticated;
    }

    @Override
    public List<String> authorizationServers() {
        JwtVerifier jwt = methods.jwt();
        return jwt == null ? List.of() : List.of(jwt.issuer());
    }

    private static CallerAuthentication bearer(Methods methods, String token, List<String> challenges) {
        if (token.isEmpty()) {
            return CallerAuthentication.unauthenticated("the bearer token is empty", invalid(challenges,
                    "the bearer token is empty"));
        }
        if (methods.jwt() != null && token.chars().filter(c -> c == '.').count() == 2) {
            try {
                JwtVerifier.Claims claims = methods.jwt().verify(token);
                return CallerAuthentication.authenticated(new Actor(claims.caller(), kind(methods, claims.groups()),
                        null, claims.groups(), null, "oauth2", claims.attributes()));
            } catch (JwtVerifier.InvalidTokenException e) {
                return CallerAuthentication.unauthenticated(e.getMessage(), invalid(challenges, e.getMessage()));
            }
        }
        Optional<ApiTokens.Entry> entry = methods.tokens().find(token);
        if (entry.isEmpty()) {
            String error = "the bearer token is not valid";
            return CallerAuthentication.unauthenticated(error, invalid(challenges, error));
        }
        return CallerAuthentication.authenticated(new Actor(entry.get().caller(), kind(methods, entry.get().groups()),
                null, entry.get().groups(), null, "api-token", Map.of()));
    }

    private static CallerAuthentication basic(Methods methods, String credentials, List<String> challenges) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(credentials), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return CallerAuthentication.unauthenticated("the Basic credentials are not base64", challenges);
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return CallerAuthentication.unauthenticated("the Basic credentials are not 'user:password'", challenges);
        }
        String user = decoded.substring(0, colon);
        char[] password = decoded.substring(colon + 1).toCharArray();
        try {
            return methods.basic().authenticate(user, password).map(CallerAuthentication::authenticated)
                    .orElseGet(() -> CallerAuthentication.unauthenticated("user '" + user
                            + "' could not be authenticated", challenges));
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private static ActorKind kind(Methods methods, List<String> groups) {
        return groups.stream().anyMatch(methods.aiRoles()::contains) ? ActorKind.AI
                : groups.stream().anyMatch(methods.systemRoles()::contains) ? ActorKind.SYSTEM : ActorKind.HUMAN;
    }

    private static List<String> challenges(Methods methods) {
        List<String> challenges = new ArrayList<>(2);
        if (methods.bearer()) {
            challenges.add(BEARER_CHALLENGE);
        }
        if (methods.basic() != null) {
            challenges.add(BASIC_CHALLENGE);
        }
        return challenges;
    }

    /** The challenges, the bearer one saying that the token presented is invalid (RFC 6750 §3.1). */
    private static List<String> invalid(List<String> challenges, String why) {
        return challenges.stream().map(c -> c.equals(BEARER_CHALLENGE) ? c + ", error=\"invalid_token\", "
                + "error_description=\"" + why.replace('"', '\'') + "\"" : c).toList();
    }

    private static String schemes(Methods methods) {
        List<String> schemes = new ArrayList<>();
        if (methods.jwt() != null) {
            schemes.add("an oauth2 access token (Authorization: Bearer)");
        }
        if (!methods.tokens().isEmpty()) {
            schemes.add("an api token (Authorization: Bearer)");
        }
        if (methods.basic() != null) {
            schemes.add("the user and password of the realm (Authorization: Basic)");
        }
        return String.join(" or ", schemes);
    }

    private static String[] split(String[] values) {
        List<String> out = new ArrayList<>();
        for (String value : values == null ? new String[0] : values) {
            for (String item : value.split(",")) {
                if (!item.isBlank()) {
                    out.add(item.trim());
                }
            }
        }
        return out.toArray(String[]::new);
    }
}
