package dev.mandate.enforce.mcp.internal;

import static dev.mandate.enforce.mcp.internal.GateDoubles.AI_LIMITS;
import static dev.mandate.enforce.mcp.internal.GateDoubles.ORDERS_API;
import static dev.mandate.enforce.mcp.internal.GateDoubles.ORDERS_DB;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.ActorKind;
import dev.mandate.api.decision.Outcome;
import dev.mandate.api.decision.Reason;
import dev.mandate.api.decision.Remedy;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gate served by a real servlet container (Jetty 9.4, the javax servlet API Pax Web serves) and called by
 * the MCP Java SDK's own client over streamable HTTP, as an agent would call it, with test doubles behind it
 * that decide by a rule of each test (the mapping, the answers and the transport are what is tested here).
 */
class AgentGateServletTest {

    private static final String PLAN = "3f0a6c0e9a3d1f4b2c8e7d6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c";

    private final GateDoubles.Model model = new GateDoubles.Model();
    private final GateDoubles.RuleDecisionPoint decisions = new GateDoubles.RuleDecisionPoint(model);
    private final GateDoubles.DecidingEnforcementPoint enforcement = new GateDoubles.DecidingEnforcementPoint(
            decisions);
    private final GateDoubles.Intent intent = new GateDoubles.Intent();
    private final GateDoubles.Approvals approvals = new GateDoubles.Approvals();
    private GateServer server;
    private McpSyncClient client;
    private String endpoint;

    @BeforeEach
    void start() throws Exception {
        server = new GateServer(new AgentGateServlet(enforcement, approvals, model, intent, new GateDoubles.Grants(),
                Settings.of("ai-agent", new String[] {"DEPENDS_ON, CONTAINS"}, 100, 65_536, 10),
                Clock.fixed(GateDoubles.NOW, ZoneOffset.UTC), null));
        client = server.client;
        endpoint = server.endpoint;
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void theServerOffersTheFourToolsWithJsonSchemas() {
        assertThat(client.getCurrentInitializationResult().serverInfo().name()).isEqualTo("mandate");
        List<McpSchema.Tool> tools = client.listTools().tools();

        assertThat(tools).extracting(McpSchema.Tool::name).containsExactlyInAnyOrder("check_action",
                "request_approval", "explain_element", "verify_grant");
        McpSchema.Tool check = tools.stream().filter(t -> t.name().equals("check_action")).findFirst().orElseThrow();
        assertThat(check.inputSchema()).containsEntry("type", "object")
                .containsEntry("required", List.of("action", "target", "agent"));
        assertThat(at(check.inputSchema(), "properties", "agent", "required")).isEqualTo(List.of("model",
                "planSha256"));
    }

    @Test
    void anAgentAskingToDeleteAProdDataStoreIsDeniedWithWhatToChange() {
        decisions.rule = r -> GateDoubles.decision(Outcome.DENY, List.of(new Reason(AI_LIMITS
                + "@1.0.0#no-ai-delete-prod-data", "deny", "AI agent 'ops-agent' may not delete production data "
                        + "store " + ORDERS_DB + " (aws:rds:db-instance); a human must make this change")), List.of(),
                null, null).withRemedies(List.of(new Remedy("use-human-actor", "have a person of 'team-ops' make this "
                        + "change: it is not one an ai agent may make", List.of(AI_LIMITS
                                + "@1.0.0#no-ai-delete-prod-data"), Map.of("kind", "HUMAN"), false)));

        McpSchema.CallToolResult result = call("check_action", Map.of("action", "delete", "target", ORDERS_DB,
                "justification", "clean up", "agent", agent()));

        assertThat(result.isError()).isFalse();
        Map<String, Object> content = structured(result);
        assertThat(content).containsEntry("outcome", "DENY").containsEntry("allowed", false)
                .doesNotContainKey("grant");
        assertThat(content.get("advice").toString()).contains("rule 'no-ai-delete-prod-data' of blueprint '"
                + AI_LIMITS + "' (owned by 'team-platform') forbids it", "no approval overrides a deny",
                "ask 'team-platform' for a waiver");
        assertThat(content.get("remedies")).asList().singleElement().satisfies(r -> assertThat(r.toString())
                .contains("kind=use-human-actor", "sufficient=false", "clears=[" + AI_LIMITS
                        + "@1.0.0#no-ai-delete-prod-data]"));
        assertThat(text(result)).contains("To get an ALLOW: have a person of 'team-ops' make this change");
        assertThat(text(result)).startsWith("DENY: delete of '" + ORDERS_DB + "' by AI agent 'ops-agent' because "
                + AI_LIMITS + "@1.0.0#no-ai-delete-prod-data: AI agent 'ops-agent' may not delete")
                .contains("To get an ALLOW: ");
        ActionRequest asked = decisions.asked.get(0);
        assertThat(asked.actor().kind()).isEqualTo(ActorKind.AI);
        assertThat(asked.actor().id()).isEqualTo("ops-agent");
        assertThat(asked.actor().agent().model()).isEqualTo("claude-sonnet-4-5");
        assertThat(asked.actor().agent().promptSha256()).isEqualTo(PLAN);
        assertThat(asked.context()).containsEntry("channel", "mcp");
        assertThat(decisions.dryRuns).containsExactly(false);
    }

    @Test
    void anAgentThatDoesNotDeclareItsModelAndPlanIsPassedOnUndeclaredAndTheDenyExplainsWhy() {
        decisions.rule = r -> r.actor().agent().isComplete() ? GateDoubles.decision(Outcome.ALLOW, List.of(),
                List.of(), null, "tok-1") : GateDoubles.decision(Outcome.DENY, List.of(new Reason(
                        "mandate#ai-agent-identity", "deny", "an AI actor must declare its model id and the SHA-256 of "
                                + "its prompt or plan")), List.of(), null, null);

        Map<String, Object> undeclared = structured(call("check_action", Map.of("action", "restart", "target",
                ORDERS_API, "agent", Map.of("id", "ops-agent", "planSha256", "not-a-hash"))));

        assertThat(undeclared).containsEntry("outcome", "DENY");
        assertThat(undeclared.get("advice").toString()).contains("send agent.model", "agent.planSha256");
        assertThat(decisions.asked.get(0).actor().kind()).isEqualTo(ActorKind.AI);
        assertThat(decisions.asked.get(0).actor().agent().isComplete()).isFalse();
        assertThat(structured(call("check_action", Map.of("action", "restart", "target", ORDERS_API))))
                .containsEntry("outcome", "DENY");
        assertThat(decisions.asked.get(1).actor().id()).isEqualTo("ai-agent");
    }

    @Test
    void anAllowCarriesTheGrantWhichVerifyGrantConfirms() {
        Map<String, Object> allowed = structured(call("check_action", Map.of("action", "delete", "target", ORDERS_API,
                "agent", agent())));

        assertThat(allowed).containsEntry("outcome", "ALLOW").containsEntry("grant", "tok-1")
                .containsEntry("enforcementEvidence", "sha256:enforced");
        Map<String, Object> covered = structured(call("verify_grant", Map.of("grant", "tok-1", "action", "delete",
                "target", ORDERS_API)));
        assertThat(covered).containsEntry("valid", true).containsEntry("covers", true);
        assertThat(at(covered, "grant", "expiresAt")).isEqualTo("2026-11-26T10:05:00Z");
        Map<String, Object> other = structured(call("verify_grant", Map.of("grant", "tok-1", "action", "delete",
                "target", ORDERS_DB)));
        assertThat(other).containsEntry("valid", true).containsEntry("covers", false);
        assertThat(structured(call("verify_grant", Map.of("grant", "forged")))).containsEntry("valid", false);
    }

    @Test
    void aDryRunIsAWhatIfWithoutGrantAndAnUnknownTargetIsDenied() {
        Map<String, Object> whatIf = structured(call("check_action", Map.of("action", "delete", "target", ORDERS_API,
                "dryRun", true, "agent", agent())));
        assertThat(whatIf).containsEntry("outcome", "ALLOW").containsEntry("dryRun", true).doesNotContainKey("grant");
        assertThat(whatIf.get("advice").toString()).contains("ask again without dryRun");
        assertThat(decisions.dryRuns).containsExactly(true);

        Map<String, Object> unknown = structured(call("check_action", Map.of("action", "delete", "target",
                "aws:s3:bucket:nowhere", "dryRun", true, "agent", agent())));
        assertThat(unknown).containsEntry("outcome", "DENY");
        assertThat(unknown.get("advice").toString()).contains("is not in the model", "explain_element");
    }

    @Test
    void aChangeThatNeedsApprovalOpensAnApprovalRequestThatTheAgentFollows() {
        decisions.rule = r -> {
            var d = GateDoubles.decision(Outcome.REQUIRE_APPROVAL, List.of(new Reason("mandate#no-decision-right",
                    "require-approval", "'ops-agent' holds no decision right for update on '" + ORDERS_DB
                            + "': the owner 'team-data' must approve it")), List.of("team-data"), "apr-1", null);
            approvals.open(d, r);
            return d;
        };

        McpSchema.CallToolResult opened = call("request_approval", Map.of("action", "update", "target", ORDERS_DB,
                "justification", "raise storage", "after", Map.of("allocatedStorage", 200), "agent", agent()));

        Map<String, Object> content = structured(opened);
        assertThat(content).containsEntry("outcome", "REQUIRE_APPROVAL").containsEntry("approvalId", "apr-1")
                .containsEntry("approvers", List.of("team-data"));
        assertThat(at(content, "approval", "status")).isEqualTo("PENDING");
        assertThat(text(opened)).startsWith("approval request 'apr-1' is open for team-data");
        assertThat(decisions.asked.get(0).after()).containsEntry("allocatedStorage", 200);

        Map<String, Object> pending = structured(call("request_approval", Map.of("approvalId", "apr-1")));
        assertThat(at(pending, "approval", "status")).isEqualTo("PENDING");
        approvals.approve("apr-1", new dev.mandate.api.decision.Actor("dana", ActorKind.HUMAN, "team-data",
                List.of(), null, "mfa"), "ok");
        Map<String, Object> approved = structured(call("request_approval", Map.of("approvalId", "apr-1")));
        assertThat(approved).containsEntry("outcome", "ALLOW").containsEntry("grant", "tok-approved");
        assertThat(at(approved, "approval", "decidedBy")).isEqualTo("dana");

        McpSchema.CallToolResult noJustification = call("request_approval", Map.of("action", "update", "target",
                ORDERS_DB, "agent", agent()));
        assertThat(noJustification.isError()).isTrue();
        assertThat(text(noJustification)).contains("'justification' is missing");
    }

    @Test
    void explainElementNamesOwnersBlueprintsAndBlastRadius() {
        Map<String, Object> explained = structured(call("explain_element", Map.of("target", ORDERS_DB, "agent",
                agent())));

        assertThat(at(explained, "owner", "accountable")).isEqualTo("team-data");
        assertThat(at(explained, "owner", "responsible")).isEqualTo(List.of("team-dba"));
        assertThat(at(explained, "owner", "source")).isEqualTo("ownership:estate@1.0.0#databases");
        assertThat(at(explained, "owner", "escalation")).isEqualTo(List.of("team-platform"));
        assertThat(explained.get("blueprints").toString()).contains(AI_LIMITS + "@1.0.0", "owner=team-platform");
        assertThat(at(explained, "blastRadius", "count")).isEqualTo(1);
        assertThat(at(explained, "blastRadius", "dependents")).isEqualTo(List.of(ORDERS_API));
        assertThat(intent.evaluated).singleElement().satisfies(c -> {
            assertThat(c.request().actor().kind()).isEqualTo(ActorKind.AI);
            assertThat(c.request().action().wireName()).isEqualTo("read");
        });

        McpSchema.CallToolResult missing = call("explain_element", Map.of("target", "aws:s3:bucket:nowhere"));
        assertThat(missing.isError()).isTrue();
        assertThat(text(missing)).contains("no element 'aws:s3:bucket:nowhere' in the model at revision 7");
    }

    @Test
    void badArgumentsAreToolErrorsThatNameTheArgument() {
        McpSchema.CallToolResult result = call("check_action", Map.of("action", "obliterate", "target", ORDERS_DB,
                "agent", agent()));

        assertThat(result.isError()).isTrue();
        assertThat(text(result)).startsWith("invalid argument 'action' of check_action: unknown action 'obliterate'");
        assertThat(decisions.asked).isEmpty();
    }

    @Test
    void theTransportAnswersOnlyPostAndRefusesWhatIsNoJsonRpc() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(endpoint)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);

        HttpResponse<String> noAccept = http.send(HttpRequest.newBuilder(URI.create(endpoint))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noAccept.statusCode()).isEqualTo(406);

        HttpResponse<String> garbage = http.send(HttpRequest.newBuilder(URI.create(endpoint))
                .POST(HttpRequest.BodyPublishers.ofString("{not json")).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(garbage.body()).contains("\"code\":-32700");

        HttpResponse<String> tooLarge = http.send(HttpRequest.newBuilder(URI.create(endpoint))
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(70_000))).header("Content-Type",
                        "application/json").header("Accept", "application/json, text/event-stream").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(tooLarge.statusCode()).isEqualTo(413);
    }

    private McpSchema.CallToolResult call(String tool, Map<String, Object> arguments) {
        return client.callTool(new McpSchema.CallToolRequest(tool, arguments));
    }

    private static Map<String, Object> agent() {
        Map<String, Object> agent = new LinkedHashMap<>();
        agent.put("id", "ops-agent");
        agent.put("model", "claude-sonnet-4-5");
        agent.put("planSha256", PLAN);
        return agent;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> structured(McpSchema.CallToolResult result) {
        assertThat(result.isError()).as(text(result)).isFalse();
        return (Map<String, Object>) result.structuredContent();
    }

    private static String text(McpSchema.CallToolResult result) {
        return ((McpSchema.TextContent) result.content().get(0)).text();
    }

    @SuppressWarnings("unchecked")
    private static Object at(Map<String, Object> map, String... path) {
        Object node = map;
        for (String key : path) {
            node = ((Map<String, Object>) node).get(key);
        }
        return node;
    }
}
