package dev.mandate.enforce.mcp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Outcome;
import dev.mandate.kernel.auth.internal.ApiTokens;
import dev.mandate.kernel.auth.internal.CallerAuthenticatorImpl;
import dev.mandate.kernel.auth.internal.JwtVerifier;

import io.modelcontextprotocol.spec.McpSchema;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate protected by OAuth 2 access tokens, as MCP's authorization section describes it: a 401 names the
 * protected resource metadata (RFC 9728), the metadata names the authorization server, and an agent holding a
 * JWT access token of that server for this audience is served, as the caller its token names.
 */
class ProtectedResourceMetadataTest {

    private static final String ISSUER = "https://sso.acme.example/realms/agents";
    private static final String AUDIENCE = "mandate";
    private static final String PLAN = "3f0a6c0e9a3d1f4b2c8e7d6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path folder;

    private final GateDoubles.Model model = new GateDoubles.Model();
    private final GateDoubles.RuleDecisionPoint decisions = new GateDoubles.RuleDecisionPoint(model);
    private GateServer server;
    private String base;

    @BeforeEach
    void start() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("agents-1").generate();
        Path jwks = Files.writeString(folder.resolve("jwks.json"), new JWKSet(key.toPublicJWK()).toString());
        CallerAuthenticatorImpl authenticator = new CallerAuthenticatorImpl(null, new JwtVerifier(ISSUER, AUDIENCE,
                jwks.toUri().toString(), List.of("RS256"), "azp", List.of("scope"), 60), ApiTokens.NONE,
                List.of("mandate-ai"), List.of());
        SignedJWT token = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("agents-1").build(),
                new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject("service-account-ops")
                        .claim("azp", "ops-agent").claim("scope", "mandate-agent")
                        .expirationTime(Date.from(Instant.now().plusSeconds(300))).build());
        token.sign(new RSASSASigner(key));
        decisions.rule = r -> GateDoubles.decision(Outcome.DENY, List.of(), List.of(), null, null);
        AgentGateServlet gate = new AgentGateServlet(new GateDoubles.DecidingEnforcementPoint(decisions), null, model,
                new GateDoubles.Intent(), new GateDoubles.Grants(), Settings.of("ai-agent", new String[] {"DEPENDS_ON"},
                        100, 65_536, 10).authenticated(true, new String[] {"mandate-agent"}),
                Clock.fixed(GateDoubles.NOW, ZoneOffset.UTC), authenticator);
        server = new GateServer(gate, "Bearer " + token.serialize(), Map.of(ProtectedResourceMetadataServlet.PATH,
                new ProtectedResourceMetadataServlet(authenticator)));
        base = server.endpoint.substring(0, server.endpoint.indexOf(AgentGateServlet.PATH));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void aRefusalPointsToTheMetadataWhichNamesTheAuthorizationServer() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(server.endpoint))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        String metadataUrl = base + "/.well-known/oauth-protected-resource/mandate/mcp";
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().allValues("WWW-Authenticate")).containsExactly("Bearer realm=\"mandate\", "
                + "resource_metadata=\"" + metadataUrl + "\"");

        HttpResponse<String> metadata = http.send(HttpRequest.newBuilder(URI.create(metadataUrl)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metadata.statusCode()).isEqualTo(200);
        JsonNode document = JSON.readTree(metadata.body());
        assertThat(document.path("resource").asText()).isEqualTo(server.endpoint);
        assertThat(document.path("authorization_servers").path(0).asText()).isEqualTo(ISSUER);
        assertThat(document.path("bearer_methods_supported").path(0).asText()).isEqualTo("header");
    }

    @Test
    void anAgentWithAnAccessTokenIsServedAsTheClientItsTokenNames() {
        McpSchema.CallToolResult result = server.client.callTool(new McpSchema.CallToolRequest("check_action",
                Map.of("action", "delete", "target", GateDoubles.ORDERS_DB, "agent", Map.of("id", "someone-else",
                        "model", "claude-sonnet-4-5", "planSha256", PLAN))));
        assertThat(result.isError()).as(result.content().toString()).isFalse();
        ActionRequest asked = decisions.asked.get(decisions.asked.size() - 1);
        assertThat(asked.actor().id()).isEqualTo("ops-agent");
        assertThat(asked.actor().assurance()).isEqualTo("oauth2");
        assertThat(asked.actor().groups()).containsExactly("mandate-agent");
        assertThat(asked.actor().attributes()).containsEntry("issuer", ISSUER).containsEntry("declaredId",
                "someone-else");
    }
}
