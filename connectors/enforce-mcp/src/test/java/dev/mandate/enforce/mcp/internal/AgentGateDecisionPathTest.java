package dev.mandate.enforce.mcp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import dev.mandate.kernel.auth.internal.ApiTokens;
import dev.mandate.kernel.auth.internal.CallerAuthenticatorImpl;
import dev.mandate.kernel.decision.internal.DecisionWorld;
import dev.mandate.kernel.decision.internal.EnforcementPointImpl;

import io.modelcontextprotocol.spec.McpSchema;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gate on the real decision path: the kernel's model store (H2) holding a small estate, the intent engine
 * with the baseline pack loaded from its jar, the decision point and the enforcement point (evidence and grants
 * are the kernel's test doubles), called by the MCP Java SDK's client over streamable HTTP as an agent that
 * authenticates with an API token (the kernel's caller authentication).
 */
class AgentGateDecisionPathTest {

    private static final String AGENT_TOKEN = "agent-7-token-0123456789abcdefghijklmnopqrstuvwxyz";
    private static final String HUMAN_TOKEN = "paul-token-0123456789abcdefghijklmnopqrstuvwxyz";
    private static final String PLAN = "9b74c9897bac770ffc029102a200c5de3b2b2d3c7e1b0e5a7f0c8d9e6a5b4c3d";

    private static DecisionWorld world;
    private static GateServer server;

    @BeforeAll
    static void start() throws Exception {
        world = new DecisionWorld("mcp-gate");
        EnforcementPointImpl enforcement = new EnforcementPointImpl(world.decisionPoint, world.ledger);
        CallerAuthenticatorImpl authenticator = new CallerAuthenticatorImpl(null, null, ApiTokens.of(new String[] {
            "agent-7:sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
                    AGENT_TOKEN.getBytes(StandardCharsets.UTF_8))) + ":mandate-agent mandate-ai",
            "paul:sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
                    HUMAN_TOKEN.getBytes(StandardCharsets.UTF_8))) + ":grp-payments"}),
                List.of("mandate-ai"), List.of("mandate-system"));
        server = new GateServer(new AgentGateServlet(enforcement, null, world.store, world.registry, world.grants,
                Settings.of("ai-agent", new String[] {"DEPENDS_ON, CONTAINS, HOSTED_ON, BACKED_UP_BY"}, 10_000,
                        1_048_576, 10).authenticated(true, new String[] {"mandate-agent"}),
                Clock.fixed(DecisionWorld.NOW, ZoneOffset.UTC), authenticator), "Bearer " + AGENT_TOKEN);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        world.close();
    }

    @Test
    void anAgentAskingToDeleteAProdDataStoreIsDeniedWithAUsefulExplanation() {
        String ordersDb = world.target("orders-db");

        Map<String, Object> denied = call("check_action", Map.of("action", "delete", "target", ordersDb,
                "justification", "the orders service moved", "agent", Map.of("id", "agent-7", "model",
                        "claude-sonnet-4-5", "planSha256", PLAN)));

        assertThat(denied).containsEntry("outcome", "DENY").containsEntry("allowed", false).doesNotContainKey("grant");
        assertThat(denied.get("reasons").toString()).contains("baseline-ai-limits@", "#no-ai-delete-prod-data");
        assertThat(denied.get("remedies").toString()).contains("kind=use-human-actor");
        assertThat(denied.get("advice").toString()).contains("rule 'no-ai-delete-prod-data' of blueprint "
                + "'baseline-ai-limits' (owned by 'team-platform') forbids it", "no approval overrides a deny");
        assertThat(denied.get("explanation").toString()).startsWith("DENY: delete of '" + ordersDb
                + "' by AI agent 'agent-7' because ").contains("To get an ALLOW: ");
        assertThat(world.ledger.records()).isNotEmpty();
        assertThat(world.ledger.records().toString()).as("the evidence names the authenticated agent")
                .contains("agent-7", "api-token");
    }

    @Test
    void anAgentThatNamesAnotherIdIsStillTheCallerItAuthenticatedAs() {
        Map<String, Object> denied = call("check_action", Map.of("action", "delete", "target",
                world.target("orders-db"), "agent", Map.of("id", "someone-else", "model", "claude-sonnet-4-5",
                        "planSha256", PLAN)));
        assertThat(denied.get("explanation").toString()).contains("by AI agent 'agent-7'");
    }

    @Test
    void anAgentMayNotClaimATeamWhoseGroupsItDoesNotHold() {
        McpSchema.CallToolResult claimed = server.client.callTool(new McpSchema.CallToolRequest("check_action",
                Map.of("action", "restart", "target", world.target("i-batch"), "agent", Map.of("team",
                        "team-payments", "model", "claude-sonnet-4-5", "planSha256", PLAN))));
        assertThat(claimed.isError()).isTrue();
        assertThat(claimed.content().toString()).contains("'agent-7' does not act for team 'team-payments': it holds "
                + "none of the team's groups");
    }

    @Test
    void anUnauthenticatedCallIsRefusedWith401AndACallerWithoutTheRoleWith403() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String initialize = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}";
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(server.endpoint))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(initialize)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("Content-Type")).hasValue("application/problem+json;charset=utf-8");
        assertThat(anonymous.headers().allValues("WWW-Authenticate")).containsExactly("Bearer realm=\"mandate\"");
        assertThat(anonymous.body()).contains("\"status\":401", "authentication required: send an api token");

        HttpResponse<String> human = http.send(HttpRequest.newBuilder(URI.create(server.endpoint))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .header("Authorization", "Bearer " + HUMAN_TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(initialize)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(human.statusCode()).isEqualTo(403);
        assertThat(human.body()).contains("'paul' holds none of the roles mandate-agent needed here");
        assertThat(human.headers().firstValue("WWW-Authenticate")).get().asString()
                .contains("error=\"insufficient_scope\"");
    }

    @Test
    void anAgentThatDoesNotDeclareItselfIsDenied() {
        Map<String, Object> denied = call("check_action", Map.of("action", "restart", "target",
                world.target("i-batch"), "agent", Map.of("id", "agent-7", "model", "claude-sonnet-4-5")));

        assertThat(denied).containsEntry("outcome", "DENY");
        assertThat(denied.get("reasons").toString()).contains("mandate#ai-agent-identity");
        assertThat(denied.get("remedies").toString()).contains("kind=declare-agent");
    }

    @Test
    @SuppressWarnings("unchecked")
    void explainElementNamesTheOwnerTheBaselineAndWhatDependsOnIt() {
        Map<String, Object> explained = call("explain_element", Map.of("target", world.target("orders-db")));

        assertThat(((Map<?, ?>) explained.get("owner")).get("accountable")).isEqualTo("team-payments");
        assertThat(explained.get("blueprints").toString()).contains("baseline-ai-limits@");
        Map<?, ?> blast = (Map<?, ?>) explained.get("blastRadius");
        assertThat(blast.get("count")).isEqualTo(2);
        assertThat((List<Object>) blast.get("dependents")).containsExactlyInAnyOrder(world.target("i-orders-api"),
                world.target("i-shipping"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> call(String tool, Map<String, Object> arguments) {
        McpSchema.CallToolResult result = server.client.callTool(new McpSchema.CallToolRequest(tool, arguments));
        assertThat(result.isError()).as(result.content().toString()).isFalse();
        return (Map<String, Object>) result.structuredContent();
    }
}
