package dev.mandate.kernel.auth.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of caller authentication (PID {@code dev.mandate.kernel.auth}). */
@ObjectClassDefinition(name = "Mandate caller authentication",
        description = "How callers of the approval API, the AI-agent gate (MCP) and the AuthZEN decision API prove who "
                + "they are: OAuth 2 bearer access tokens (JWT), static API tokens, HTTP Basic against a JAAS realm")
public @interface CallerAuthenticatorConfig {

    @AttributeDefinition(name = "JAAS realm", description = "HTTP Basic users authenticate against this realm "
            + "(Karaf's default realm is 'karaf': etc/users.properties, or LDAP); empty: no Basic authentication")
    String realm() default "karaf";

    @AttributeDefinition(name = "AI roles", description = "Roles or groups that make the caller an AI actor (which "
            + "can never approve)")
    String[] aiRoles() default {"mandate-ai"};

    @AttributeDefinition(name = "System roles", description = "Roles or groups that make the caller a system actor")
    String[] systemRoles() default {"mandate-system"};

    @AttributeDefinition(name = "Token issuer", description = "The 'iss' an OAuth 2 access token (JWT) must carry; "
            + "empty: no JWT bearer tokens")
    String jwt_issuer() default "";

    @AttributeDefinition(name = "Token audience", description = "An 'aud' the access token must carry (this Mandate's "
            + "resource identifier at the authorization server); required with an issuer")
    String jwt_audience() default "";

    @AttributeDefinition(name = "JWKS URL", description = "Where the issuer's signing keys are: the https jwks_uri of "
            + "the authorization server, or a file: URL; keys are fetched on first use and when a token names an "
            + "unknown key")
    String jwt_jwksUrl() default "";

    @AttributeDefinition(name = "Signature algorithms", description = "JWS algorithms accepted")
    String[] jwt_algorithms() default {"RS256", "PS256", "ES256"};

    @AttributeDefinition(name = "Caller claim", description = "The claim that names the caller (sub; client_id or azp "
            + "for client-credentials tokens)")
    String jwt_callerClaim() default "sub";

    @AttributeDefinition(name = "Group claims", description = "Claims whose values are the caller's groups (a list, "
            + "or one space-separated string such as scope)")
    String[] jwt_groupClaims() default {"groups", "roles", "scope"};

    @AttributeDefinition(name = "Clock skew", description = "Seconds of tolerance on exp and nbf")
    int jwt_clockSkewSeconds() default 60;

    @AttributeDefinition(name = "API tokens", description = "Static bearer tokens, stored hashed, one per entry: "
            + "'<caller>:sha256:<hex of the token's SHA-256>' optionally followed by ':<group> <group> ...'. Make a "
            + "token with 'openssl rand -base64 32' and its hash with 'printf %s TOKEN | sha256sum'")
    String[] apiTokens() default {};
}
