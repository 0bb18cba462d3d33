package dev.mandate.kernel.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mandate.api.evidence.EvidenceRecord;
import dev.mandate.kernel.decision.internal.DecisionWorld;
import dev.mandate.kernel.decision.internal.EnforcementPointImpl;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /mandate/v1/decisions} over HTTP on the real decision path (model store, intent engine,
 * baseline pack, decision point, enforcement point): one request, a plan decided as one with a
 * breakdown per change, what-if plans, malformed plans, and the remedies in the JSON.
 */
class DecisionsOverHttpTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static DecisionWorld world;
    private static RestServer server;

    @BeforeAll
    static void start() throws Exception {
        world = new DecisionWorld("rest-decisions");
        server = new RestServer(new DecisionsResource(world.decisionPoint,
                new EnforcementPointImpl(world.decisionPoint, world.ledger)));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        world.close();
    }

    @Test
    void oneRequestIsDecidedWithoutCredentials() throws Exception {
        HttpResponse<String> response = server.post("mandate/v1/decisions", request("alice", "restart", "i-batch", "patch"));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode decision = JSON.readTree(response.body());
        assertThat(decision.path("outcome").asText()).isEqualTo("ALLOW");
        assertThat(decision.path("reasons").get(0).path("source").asText()).isEqualTo("team:team-payments#operate");
        assertThat(decision.path("grant").asText()).isNotBlank();
        assertThat(decision.path("remedies")).isEmpty();
    }

    @Test
    void aDecisionThatIsNoAllowSaysWhatToChangeInItsJson() throws Exception {
        JsonNode decision = JSON.readTree(server.post("mandate/v1/decisions?dryRun=true",
                request("agent-7", "delete", "sessions-cache", "rebuild")).body());

        assertThat(decision.path("outcome").asText()).isEqualTo("DENY");
        JsonNode human = remedy(decision, "use-human-actor");
        assertThat(human.path("sufficient").asBoolean()).isTrue();
        assertThat(human.path("clears").get(0).asText()).isEqualTo("baseline-ai-limits@1.0.0#no-ai-delete-prod-data");
        assertThat(human.path("message").asText()).startsWith("have a person of 'team-payments' make this change");
        assertThat(remedy(decision, "use-other-environment").path("parameters").path("environment").asText())
                .isEqualTo("dev");
    }

    @Test
    void aPlanIsDecidedAsOneWithADecisionPerChange() throws Exception {
        int recorded = world.ledger.records().size();
        String plan = plan("alice", "release 42", change("restart", "i-batch"), change("delete", "orders-db"),
                change("update", "orders-db", Map.of("storageEncrypted", false)));

        HttpResponse<String> response = server.post("mandate/v1/decisions", plan);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode result = JSON.readTree(response.body());
        assertThat(result.path("outcome").asText()).isEqualTo("DENY");
        assertThat(result.path("counts").path("ALLOW").asInt()).isEqualTo(1);
        assertThat(result.path("counts").path("REQUIRE_APPROVAL").asInt()).isEqualTo(1);
        assertThat(result.path("counts").path("DENY").asInt()).isEqualTo(1);
        assertThat(result.path("changes")).extracting(change -> change.path("outcome").asText())
                .containsExactly("ALLOW", "REQUIRE_APPROVAL", "DENY");
        assertThat(result.path("changes").get(1).path("reasons").get(0).path("source").asText())
                .isEqualTo("baseline-dependents@1.0.0#protect-dependents");
        assertThat(result.path("changes").get(2).path("reasons").get(0).path("source").asText())
                .isEqualTo("baseline-data-protection@1.0.0#encryption-at-rest");
        assertThat(result.path("changes").get(0).path("grant").asText()).isNotBlank();
        assertThat(result.path("evidence").asText()).startsWith("sha256:");
        List<EvidenceRecord> records = world.ledger.records().subList(recorded, world.ledger.records().size());
        assertThat(records).extracting(EvidenceRecord::type).containsExactly("decision", "decision", "decision",
                "enforcement");
        assertThat(records.get(3).payload()).containsEntry("adapter", "plan").containsEntry("outcome", "DENY");
        assertThat(records.get(0).payload().get("request").toString()).contains("changes=3");
    }

    @Test
    void aWhatIfPlanIssuesNoGrant() throws Exception {
        JsonNode result = JSON.readTree(server.post("mandate/v1/decisions?dryRun=true",
                plan("alice", "try", change("restart", "i-batch"), change("scale", "i-batch"))).body());

        assertThat(result.path("outcome").asText()).isEqualTo("ALLOW");
        assertThat(result.path("dryRun").asBoolean()).isTrue();
        assertThat(result.path("changes")).allSatisfy(change -> {
            assertThat(change.path("dryRun").asBoolean()).isTrue();
            assertThat(change.has("grant")).isFalse();
        });
    }

    @Test
    void aChangeOnAnElementTheModelDoesNotHoldIsDeniedNotSkipped() throws Exception {
        JsonNode result = JSON.readTree(server.post("mandate/v1/decisions", plan("alice", "x",
                change("restart", "i-batch"), "{\"action\":\"delete\",\"target\":\"aws:ec2:instance:eu-west-1:111122223333:i-nowhere\"}"))
                .body());

        assertThat(result.path("outcome").asText()).isEqualTo("DENY");
        assertThat(result.path("changes").get(1).path("reasons").get(0).path("source").asText())
                .isEqualTo("mandate#unknown-target");
    }

    @Test
    void aMalformedPlanIsA400SayingWhere() throws Exception {
        HttpResponse<String> response = server.post("mandate/v1/decisions",
                plan("alice", "x", change("restart", "i-batch"), "{\"action\":\"delete\"}"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).get().asString().startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("errors").get(0).path("pointer").asText()).isEqualTo("/changes/1/target");
        assertThat(problem.path("detail").asText()).isEqualTo("change 1 has no target");
    }

    @Test
    void aPlanNamesItsChangesOnlyInChanges() throws Exception {
        String mixed = "{\"actor\":" + actor("alice") + ",\"action\":\"delete\",\"changes\":[" + change("restart", "i-batch")
                + "]}";

        HttpResponse<String> response = server.post("mandate/v1/decisions", mixed);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).path("detail").asText()).contains("in 'changes', not at the top");
        assertThat(server.post("mandate/v1/decisions", "{\"actor\":" + actor("alice") + ",\"changes\":[]}").statusCode())
                .isEqualTo(400);
    }

    private static JsonNode remedy(JsonNode decision, String kind) {
        for (JsonNode remedy : decision.path("remedies")) {
            if (remedy.path("kind").asText().equals(kind)) {
                return remedy;
            }
        }
        throw new AssertionError("no remedy '" + kind + "' in " + decision.path("remedies"));
    }

    static String request(String actor, String action, String target, String justification) throws Exception {
        return "{\"actor\":" + actor(actor) + ",\"action\":\"" + action + "\",\"target\":\"" + world.target(target)
                + "\",\"justification\":\"" + justification + "\"}";
    }

    private static String plan(String actor, String justification, String... changes) throws Exception {
        return "{\"actor\":" + actor(actor) + ",\"justification\":\"" + justification + "\",\"changes\":["
                + String.join(",", changes) + "]}";
    }

    private static String change(String action, String target) {
        return "{\"action\":\"" + action + "\",\"target\":\"" + world.target(target) + "\"}";
    }

    private static String change(String action, String target, Map<String, Object> after) throws Exception {
        return "{\"action\":\"" + action + "\",\"target\":\"" + world.target(target) + "\",\"after\":"
                + JSON.writeValueAsString(after) + "}";
    }

    static String actor(String alias) throws Exception {
        return MandateJson.newMapper().writeValueAsString(world.actor(alias));
    }
}
