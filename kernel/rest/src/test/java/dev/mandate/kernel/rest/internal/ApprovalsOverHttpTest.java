package dev.mandate.kernel.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mandate.api.decision.Action;
import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Decision;
import dev.mandate.kernel.approvals.internal.ApprovalServiceImpl;
import dev.mandate.kernel.decision.internal.DecisionWorld;
import dev.mandate.kernel.decision.internal.EnforcementPointImpl;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The approval endpoints over HTTP: the approver is whoever authenticated with HTTP Basic against
 * the JAAS realm (Karaf's properties login module), never someone named in the body; separation of
 * duties holds; an identical request asked again finds the open approval.
 */
class ApprovalsOverHttpTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static DecisionWorld world;
    private static ApprovalServiceImpl approvals;
    private static RestServer server;

    @BeforeAll
    static void start() throws Exception {
        world = new DecisionWorld("rest-approvals");
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:rest-approvals-queue;DB_CLOSE_DELAY=-1");
        approvals = new ApprovalServiceImpl(world.decisionPoint, world.registry, world.store, world.ledger, h2,
                java.time.Clock.fixed(DecisionWorld.NOW, java.time.ZoneOffset.UTC), Duration.ofHours(4));
        world.useApprovals(approvals);
        server = new RestServer(new ApprovalsResource(approvals), new DecisionsResource(world.decisionPoint,
                new EnforcementPointImpl(world.decisionPoint, world.ledger)));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        world.close();
    }

    @Test
    void theQueueNeedsCredentials() throws Exception {
        HttpResponse<String> anonymous = server.get("mandate/v1/approvals");
        HttpResponse<String> wrong = server.get("mandate/v1/approvals", "paul", "guess");

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).get().asString().startsWith("Basic realm=");
        assertThat(JSON.readTree(anonymous.body()).path("type").asText()).endsWith("/unauthenticated");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(wrong.body()).path("detail").asText()).isEqualTo("user 'paul' could not be authenticated");
        assertThat(server.post("mandate/v1/approvals/x/decide", "{\"approve\":true}").statusCode()).isEqualTo(401);
    }

    @Test
    void anAuthenticatedHolderOfTheRightApprovesAndTheGrantIsIssued() throws Exception {
        String approvalId = requireApproval("i-batch");

        HttpResponse<String> listed = server.get("mandate/v1/approvals?status=pending", "paul", "paul-secret");
        assertThat(listed.statusCode()).isEqualTo(200);
        JsonNode entry = find(JSON.readTree(listed.body()), approvalId);
        assertThat(entry.path("approvers").get(0).asText()).isEqualTo("team-payments");
        assertThat(entry.path("request").path("actor").path("id").asText()).isEqualTo("lars");

        HttpResponse<String> approved = server.post("mandate/v1/approvals/" + approvalId + "/decide",
                "{\"approve\":true,\"comment\":\"go\"}", "paul", "paul-secret");

        assertThat(approved.statusCode()).isEqualTo(200);
        JsonNode result = JSON.readTree(approved.body());
        assertThat(result.path("status").asText()).isEqualTo("APPROVED");
        assertThat(result.path("decidedBy").asText()).isEqualTo("paul");
        assertThat(result.path("outcome").path("outcome").asText()).isEqualTo("ALLOW");
        assertThat(result.path("outcome").path("grant").asText()).isNotBlank();
    }

    /** A grant is a bearer token for the change: every user may read the queue, only two see the grant. */
    @Test
    void anApprovedRequestShowsItsGrantOnlyToItsRequesterAndItsApprover() throws Exception {
        String approvalId = requireApproval("i-batch");
        assertThat(server.post("mandate/v1/approvals/" + approvalId + "/decide", "{\"approve\":true}", "paul",
                "paul-secret").statusCode()).isEqualTo(200);

        JsonNode byRequester = JSON.readTree(server.get("mandate/v1/approvals/" + approvalId, "lars", "lars-secret").body());
        JsonNode byApprover = JSON.readTree(server.get("mandate/v1/approvals/" + approvalId, "paul", "paul-secret").body());
        JsonNode byOther = JSON.readTree(server.get("mandate/v1/approvals/" + approvalId, "priya", "priya-secret").body());
        JsonNode listedToOther = find(JSON.readTree(server.get("mandate/v1/approvals?status=approved", "agent-7",
                "agent-secret").body()), approvalId);

        assertThat(byRequester.path("outcome").path("grant").asText()).isNotBlank();
        assertThat(byApprover.path("outcome").path("grant").asText()).isEqualTo(byRequester.path("outcome").path("grant").asText());
        assertThat(byOther.path("outcome").path("outcome").asText()).isEqualTo("ALLOW");
        assertThat(byOther.path("outcome").path("grant").isMissingNode() || byOther.path("outcome").path("grant").isNull())
                .as("no grant for someone else").isTrue();
        assertThat(listedToOther.path("outcome").path("grant").isMissingNode()
                || listedToOther.path("outcome").path("grant").isNull()).isTrue();
    }

    @Test
    void theRequesterCannotApproveTheirOwnChange() throws Exception {
        String approvalId = requireApproval("i-checkout");

        HttpResponse<String> refused = server.post("mandate/v1/approvals/" + approvalId + "/decide",
                "{\"approve\":true}", "lars", "lars-secret");

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(refused.body()).path("detail").asText())
                .isEqualTo("'lars' asked for this change and cannot approve it");
    }

    @Test
    void aUserWithTheAiRoleCanNeverApprove() throws Exception {
        String approvalId = requireApproval("i-checkout-canary");

        HttpResponse<String> refused = server.post("mandate/v1/approvals/" + approvalId + "/decide",
                "{\"approve\":true}", "agent-7", "agent-secret");

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(refused.body()).path("detail").asText()).contains("an AI actor can never approve");
    }

    @Test
    void someoneOutsideTheApprovingTeamIsRefusedWhateverTheBodyClaims() throws Exception {
        String approvalId = requireApproval("orders-queue-dev");

        HttpResponse<String> claimed = server.post("mandate/v1/approvals/" + approvalId + "/decide",
                "{\"approve\":true,\"approver\":{\"id\":\"paul\",\"kind\":\"HUMAN\",\"team\":\"team-payments\"}}",
                "priya", "priya-secret");
        HttpResponse<String> refused = server.post("mandate/v1/approvals/" + approvalId + "/decide",
                "{\"approve\":true}", "priya", "priya-secret");

        assertThat(claimed.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(claimed.body()).path("errors").get(0).path("message").asText())
                .contains("unknown field 'approver'");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(refused.body()).path("detail").asText()).startsWith("'priya' holds no approving right");
    }

    @Test
    void decidingARequestThatIsNoLongerOpenIsAConflict() throws Exception {
        String approvalId = requireApproval("i-batch");
        assertThat(server.post("mandate/v1/approvals/" + approvalId + "/decide", "{\"approve\":true}", "paul",
                "paul-secret").statusCode()).isEqualTo(200);

        // as when another node sharing the database decided it first
        HttpResponse<String> again = server.post("mandate/v1/approvals/" + approvalId + "/decide",
                "{\"approve\":false,\"comment\":\"too late\"}", "paul", "paul-secret");

        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.headers().firstValue("Content-Type")).get().asString().startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(again.body());
        assertThat(problem.path("type").asText()).endsWith("/approval-conflict");
        assertThat(problem.path("detail").asText())
                .isEqualTo("approval request '" + approvalId + "' is approved and can no longer be decided");
    }

    @Test
    void theSameRequestAskedAgainFindsTheOpenApproval() throws Exception {
        String first = requireApproval("i-ledger-api");
        String again = requireApproval("i-ledger-api");

        assertThat(again).isEqualTo(first);
        long open = approvals.list(null).stream().filter(a -> a.id().equals(first)).count();
        assertThat(open).isEqualTo(1);
    }

    @Test
    void aGroupOfTheRealmMakesItsMembersApprovers() throws Exception {
        // priya's platform group carries grp-platform-engineers: team-platform approves what the baseline asks it to
        Decision decision = world.decisionPoint.decide(ActionRequest.of(world.actor("lars"), Action.RESTART,
                world.target("i-batch"), "patch"));
        assertThat(decision.approvalId()).isNotNull();
        HttpResponse<String> listed = server.get("mandate/v1/approvals/" + decision.approvalId(), "priya", "priya-secret");
        assertThat(listed.statusCode()).isEqualTo(200);
    }

    /** lars (logistics) restarts a payments element: the owner's approval is needed; returns the approval id. */
    private static String requireApproval(String target) throws Exception {
        JsonNode decision = JSON.readTree(server.post("mandate/v1/decisions",
                "{\"actor\":" + MandateJson.newMapper().writeValueAsString(world.actor("lars"))
                        + ",\"action\":\"restart\",\"target\":\"" + world.target(target) + "\",\"justification\":\"patch\"}")
                .body());
        assertThat(decision.path("outcome").asText()).isEqualTo("REQUIRE_APPROVAL");
        return decision.path("approvalId").asText();
    }

    private static JsonNode find(JsonNode list, String id) {
        for (JsonNode entry : list) {
            if (entry.path("id").asText().equals(id)) {
                return entry;
            }
        }
        throw new AssertionError("approval '" + id + "' is not listed");
    }
}
