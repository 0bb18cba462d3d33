package dev.mandate.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.IOException;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The gates for AI agents and for AuthZEN policy enforcement points, each installed into the distribution as a
 * feature at runtime (they ship in system/, so offline) and called over HTTP: the MCP gate through the MCP Java
 * SDK's own client over streamable HTTP, the AuthZEN API with plain JSON. Decisions are real: the demo estate,
 * the baseline blueprints and the kernel's decision point. Both gates authenticate their callers (API tokens in
 * etc/dev.mandate.kernel.auth.cfg, stored hashed, and an OAuth 2 access token of an issuer the test plays) and
 * refuse an unauthenticated call with 401.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AgentGatesIT extends MandateTestSupport {

    static final String PLAN = "5d41402abc4b2a76b9719d911017c592aa8e9c2a5d41402abc4b2a76b9719d91";
    /** The API tokens of the agent and of the PEP; etc/dev.mandate.kernel.auth.cfg holds only their hashes. */
    static final String AGENT_TOKEN = "it-ops-agent-token-5d41402abc4b2a76b9719d911017c592";
    static final String PEP_TOKEN = "it-envoy-pep-token-aa8e9c2a5d41402abc4b2a76b9719d91";
    static final String ISSUER = "https://sso.agent-gates-it.example/realms/ops";
    /** The system property that carries the OAuth 2 access token (a JWT) into the container. */
    static final String ACCESS_TOKEN = "mandate.it.accessToken";

    @Override
    @Configuration
    public Option[] config() {
        List<Option> options = new ArrayList<>(List.of(super.config()));
        options.add(editConfigurationFilePut("etc/dev.mandate.kernel.auth.cfg", "apiTokens",
                "ops-agent:sha256:" + sha256(AGENT_TOKEN) + ":mandate-agent mandate-ai, envoy-pep:sha256:"
                        + sha256(PEP_TOKEN) + ":mandate-pep"));
        // an OAuth 2 issuer played by the test: its key set in a file, one access token for a PEP's client
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair key = generator.generateKeyPair();
            RSAPublicKey publicKey = (RSAPublicKey) key.getPublic();
            // under target/, not the system temp folder: the container reads it while it runs, `clean` removes it
            Path jwks = Files.createTempFile(Files.createDirectories(Path.of("target")), "agent-gates-it-jwks", ".json");
            Files.writeString(jwks, "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"it-1\",\"use\":\"sig\",\"alg\":\"RS256\","
                    + "\"n\":\"" + base64(unsigned(publicKey.getModulus())) + "\",\"e\":\""
                    + base64(unsigned(publicKey.getPublicExponent())) + "\"}]}");
            String signed = base64("{\"alg\":\"RS256\",\"kid\":\"it-1\",\"typ\":\"at+jwt\"}".getBytes(StandardCharsets.UTF_8))
                    + "." + base64(("{\"iss\":\"" + ISSUER + "\",\"aud\":\"mandate\",\"sub\":\"service-account-gw\","
                            + "\"azp\":\"gateway-pep\",\"groups\":[\"mandate-pep\"],\"exp\":"
                            + (System.currentTimeMillis() / 1000 + 3600) + "}").getBytes(StandardCharsets.UTF_8));
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key.getPrivate());
            signature.update(signed.getBytes(StandardCharsets.US_ASCII));
            options.add(systemProperty(ACCESS_TOKEN).value(signed + "." + base64(signature.sign())));
            options.add(editConfigurationFilePut("etc/dev.mandate.kernel.auth.cfg", "jwt.issuer", ISSUER));
            options.add(editConfigurationFilePut("etc/dev.mandate.kernel.auth.cfg", "jwt.audience", "mandate"));
            options.add(editConfigurationFilePut("etc/dev.mandate.kernel.auth.cfg", "jwt.jwksUrl",
                    jwks.toUri().toString()));
            options.add(editConfigurationFilePut("etc/dev.mandate.kernel.auth.cfg", "jwt.callerClaim", "azp"));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("the test's token issuer could not be set up", e);
        }
        return options.toArray(Option[]::new);
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    private static String base64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
                    token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    public void anMcpAgentAskingToDeleteAProdDataStoreIsDeniedWithAUsefulExplanation() throws Exception {
        DecisionIT.awaitDemoEstate(this);
        installAndAssertFeature("mandate-enforce-mcp");
        poll("the MCP endpoint /mandate/mcp served", () -> get("/mandate/mcp"), r -> r.statusCode() == 405);

        String initialize = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}";
        // the bundle's second servlet (the protected resource metadata) may join the whiteboard just after the gate
        HttpResponse<String> anonymous = poll("an unauthenticated POST to the gate refused",
                () -> postJson("/mandate/mcp", initialize, null), r -> r.statusCode() != 404);
        assertEquals(anonymous.body(), 401, anonymous.statusCode());
        assertTrue(anonymous.headers().allValues("WWW-Authenticate").toString(), anonymous.headers()
                .allValues("WWW-Authenticate").stream().anyMatch(v -> v.startsWith("Bearer realm=\"mandate\"")));
        assertTrue(contentType(anonymous), contentType(anonymous).startsWith("application/problem+json"));
        HttpResponse<String> forged = postJson("/mandate/mcp", initialize, "Bearer " + PEP_TOKEN + "x");
        assertEquals(forged.body(), 401, forged.statusCode());
        String metadataUrl = baseUrl() + "/.well-known/oauth-protected-resource/mandate/mcp";
        assertTrue(forged.headers().allValues("WWW-Authenticate").toString(), forged.headers()
                .allValues("WWW-Authenticate").get(0).contains("resource_metadata=\"" + metadataUrl + "\""));
        HttpResponse<String> metadata = get("/.well-known/oauth-protected-resource/mandate/mcp");
        assertEquals(metadata.body(), 200, metadata.statusCode());
        assertEquals(metadata.body(), ISSUER, json(metadata).path("authorization_servers").path(0).asText());

        // the SDK's classes are loaded only now that the feature that carries them is installed
        try (McpAgent agent = McpAgent.connect(baseUrl() + "/", "Bearer " + AGENT_TOKEN)) {
            assertEquals("mandate", agent.serverName());
            assertEquals(List.of("check_action", "explain_element", "request_approval", "verify_grant"),
                    agent.toolNames());

            Map<String, Object> denied = agent.call("check_action", Map.of("action", "delete", "target",
                    DecisionIT.ORDERS_PROD, "justification", "the orders service moved to another database",
                    "agent", Map.of("id", "ops-agent", "model", "claude-sonnet-4-5", "planSha256", PLAN)));
            String shown = denied.toString();
            assertEquals(shown, "DENY", denied.get("outcome"));
            assertEquals(shown, false, denied.get("allowed"));
            assertTrue(shown, shown.contains("baseline-ai-limits@1.0.0#no-ai-delete-prod-data"));
            assertTrue(shown, denied.get("remedies").toString().contains("kind=use-human-actor"));
            assertTrue(shown, denied.get("advice").toString().contains("rule 'no-ai-delete-prod-data' of blueprint "
                    + "'baseline-ai-limits' (owned by 'team-platform') forbids it"));
            assertTrue(shown, denied.get("explanation").toString().startsWith("DENY: delete of '"
                    + DecisionIT.ORDERS_PROD + "' by AI agent 'ops-agent' because "));
            assertTrue(shown, denied.get("evidence").toString().startsWith("sha256:"));
            assertFalse(shown, denied.containsKey("grant"));

            Map<String, Object> undeclared = agent.call("check_action", Map.of("action", "restart", "target",
                    DecisionIT.ORDERS_PROD, "dryRun", true, "agent", Map.of("id", "ops-agent")));
            assertEquals(undeclared.toString(), "DENY", undeclared.get("outcome"));
            assertTrue(undeclared.toString(), undeclared.get("advice").toString().contains("send agent.model"));

            Map<String, Object> explained = agent.call("explain_element", Map.of("target", DecisionIT.ORDERS_PROD));
            assertEquals(explained.toString(), "team-payments", ((Map<?, ?>) explained.get("owner")).get("accountable"));
            assertTrue(explained.toString(), explained.get("blueprints").toString().contains("baseline-ai-limits@"));
            assertTrue(explained.toString(), ((Map<?, ?>) explained.get("blastRadius")).containsKey("count"));

            Map<String, Object> notAGrant = agent.call("verify_grant", Map.of("grant", "not.a.grant"));
            assertEquals(notAGrant.toString(), false, notAGrant.get("valid"));
        }
    }

    @Test
    public void anAuthZenPepGetsMandatesDecisionsWithWhoMustApprove() throws Exception {
        DecisionIT.awaitDemoEstate(this);
        installAndAssertFeature("mandate-enforce-authzen");
        HttpResponse<String> metadata = poll("the AuthZEN metadata document",
                () -> get("/.well-known/authzen-configuration"), r -> r.statusCode() == 200);
        JsonNode pdp = json(metadata);
        assertEquals(metadata.body(), baseUrl(), pdp.path("policy_decision_point").asText());
        assertEquals(metadata.body(), baseUrl() + "/access/v1/evaluations",
                pdp.path("access_evaluations_endpoint").asText());
        assertEquals(metadata.body(), baseUrl() + "/access/v1/search/resource",
                pdp.path("search_resource_endpoint").asText());
        String pep = "Bearer " + PEP_TOKEN;

        String pipeline = "{\"subject\":{\"type\":\"service\",\"id\":\"ci-logistics\",\"properties\":"
                + "{\"team\":\"team-logistics\"}},\"action\":{\"name\":\"can_delete\"},\"resource\":{\"type\":\"element\","
                + "\"id\":\"" + DecisionIT.ORDERS_PROD + "\"},\"context\":{\"justification\":\"decommission\"}}";
        HttpResponse<String> anonymous = postJson("/access/v1/evaluation", pipeline, null);
        assertEquals(anonymous.body(), 401, anonymous.statusCode());
        assertTrue(contentType(anonymous), contentType(anonymous).startsWith("application/problem+json"));
        // CXF joins the challenges of the schemes that are on into one header value
        assertTrue(anonymous.headers().allValues("WWW-Authenticate").toString(), anonymous.headers()
                .allValues("WWW-Authenticate").stream().anyMatch(v -> v.startsWith("Bearer realm=\"mandate\"")));

        HttpResponse<String> single = postJson("/access/v1/evaluation", pipeline, pep);
        assertEquals(single.body(), 200, single.statusCode());
        JsonNode answer = json(single);
        assertFalse(single.body(), answer.path("decision").asBoolean(true));
        assertEquals(single.body(), "REQUIRE_APPROVAL", answer.path("context").path("outcome").asText());
        assertTrue(single.body(), answer.path("context").path("approval").path("required").asBoolean());
        assertEquals(single.body(), "team-payments",
                answer.path("context").path("approval").path("approvers").path(0).asText());

        String batch = "{\"subject\":{\"type\":\"agent\",\"id\":\"ops-agent\",\"properties\":{\"model\":\"m\","
                + "\"prompt_sha256\":\"" + PLAN + "\"}},\"action\":{\"name\":\"delete\"},"
                + "\"options\":{\"evaluations_semantic\":\"deny_on_first_deny\"},\"evaluations\":["
                + "{\"resource\":{\"type\":\"element\",\"id\":\"" + DecisionIT.ORDERS_PROD + "\"}},"
                + "{\"resource\":{\"type\":\"element\",\"id\":\"" + DecisionIT.ORDERS_PROD + "\"}}]}";
        HttpResponse<String> evaluations = postJson("/access/v1/evaluations", batch, pep);
        assertEquals(evaluations.body(), 200, evaluations.statusCode());
        JsonNode results = json(evaluations).path("evaluations");
        assertEquals(evaluations.body(), 1, results.size());
        assertFalse(evaluations.body(), results.path(0).path("decision").asBoolean(true));
        assertTrue(evaluations.body(), evaluations.body().contains("no-ai-delete-prod-data"));

        HttpResponse<String> malformed = postJson("/access/v1/evaluation", "{\"subject\":{\"type\":\"user\"},"
                + "\"action\":{\"name\":\"read\"},\"resource\":{\"type\":\"element\",\"id\":\"x\"}}", pep);
        assertEquals(malformed.body(), 400, malformed.statusCode());
        assertTrue(contentType(malformed), contentType(malformed).startsWith("application/problem+json"));
        assertEquals(malformed.body(), "/subject/id", json(malformed).path("errors").path(0).path("pointer").asText());

        String search = "{\"subject\":{\"type\":\"agent\",\"id\":\"ops-agent\",\"properties\":{\"model\":\"m\","
                + "\"prompt_sha256\":\"" + PLAN + "\"}},\"action\":{\"name\":\"delete\"},\"resource\":{\"type\":"
                + "\"aws:rds:db-instance\"},\"page\":{\"limit\":5}}";
        // this time the PEP presents an OAuth 2 access token (a JWT checked against the issuer's key set)
        HttpResponse<String> deletable = postJson("/access/v1/search/resource", search,
                "Bearer " + System.getProperty(ACCESS_TOKEN));
        assertEquals(deletable.body(), 200, deletable.statusCode());
        assertFalse(deletable.body(), deletable.body().contains(DecisionIT.ORDERS_PROD));
        assertTrue(deletable.body(), json(deletable).path("results").isArray());
    }
}
