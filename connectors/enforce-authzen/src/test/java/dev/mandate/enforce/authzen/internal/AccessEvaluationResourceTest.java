package dev.mandate.enforce.authzen.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mandate.api.decision.Action;
import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.ActorKind;
import dev.mandate.api.decision.Decision;
import dev.mandate.api.decision.Outcome;
import dev.mandate.api.decision.Reason;
import dev.mandate.api.decision.Remedy;
import dev.mandate.api.enforcement.EnforcementAdapter;
import dev.mandate.api.enforcement.EnforcementPoint;
import dev.mandate.api.enforcement.EnforcementResult;
import dev.mandate.api.enforcement.InvalidChangeException;
import dev.mandate.api.model.BlastRadius;

import javax.ws.rs.core.Response;

import org.junit.jupiter.api.Test;

/**
 * The AuthZEN endpoints against the examples of the AuthZEN Authorization API 1.0 specification (kept under
 * {@code src/test/resources/authzen}), with an enforcement point that decides by a rule of the test.
 */
class AccessEvaluationResourceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Decides each request with {@code rule}, recording it; evidence "sha256:cafe". */
    private static final class RuleEnforcementPoint implements EnforcementPoint {
        final List<ActionRequest> seen = new ArrayList<>();
        final List<Boolean> dryRuns = new ArrayList<>();
        Function<ActionRequest, Decision> rule = r -> decision(Outcome.ALLOW, List.of(), List.of(), null);

        @Override
        public <I, O> EnforcementResult<O> enforce(EnforcementAdapter<I, O> adapter, I input)
                throws InvalidChangeException {
            return enforce(adapter, input, false);
        }

        @Override
        public <I, O> EnforcementResult<O> enforce(EnforcementAdapter<I, O> adapter, I input, boolean dryRun)
                throws InvalidChangeException {
            dryRuns.add(dryRun);
            List<ActionRequest> requests = adapter.toRequests(input);
            seen.addAll(requests);
            List<Decision> decisions = requests.stream().map(rule).toList();
            return new EnforcementResult<>(adapter.toResponse(input, decisions), decisions.get(0).outcome(),
                    decisions, "sha256:cafe");
        }
    }

    private final RuleEnforcementPoint point = new RuleEnforcementPoint();
    private final AuthZenAdapter adapter = new AuthZenAdapter(AuthZenAdapter.settingsOf("", new String[] {
        "user=HUMAN, service=SYSTEM", "agent=AI"}, 5, false));
    private final AccessEvaluationResource resource = new AccessEvaluationResource(point, adapter);

    static Decision decision(Outcome outcome, List<Reason> reasons, List<String> approvers, String approvalId) {
        return new Decision("d-" + outcome.name().toLowerCase(), outcome, reasons, List.of("notify-owner"),
                new BlastRadius(2, 1, List.of("team-data"), List.of("prod"), List.of("eu"), List.of(), false),
                approvers, 42, List.of(), "sha256:beef", Instant.parse("2026-11-26T10:00:00Z"),
                outcome == Outcome.ALLOW ? "grant-token" : null, false, approvalId);
    }

    @Test
    void theSpecsSingleRequestExampleIsMappedOntoAnActionRequestAndAllowedWithItsGrant() {
        Response response = resource.evaluation(fixture("evaluation-request.json"), "bfe9eb29-ab87-4ca3-be83", null);

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getHeaderString("X-Request-ID")).isEqualTo("bfe9eb29-ab87-4ca3-be83");
        Map<String, Object> body = body(response);
        assertThat(body).containsEntry("decision", true);
        assertThat(at(body, "context", "id")).isEqualTo("d-allow");
        assertThat(at(body, "context", "grant")).isEqualTo("grant-token");
        assertThat(at(body, "context", "evidence")).isEqualTo("sha256:beef");
        ActionRequest asked = point.seen.get(0);
        assertThat(asked.actor().id()).isEqualTo("alice@acmecorp.com");
        assertThat(asked.actor().kind()).isEqualTo(ActorKind.HUMAN);
        assertThat(asked.action()).isEqualTo(Action.READ);
        assertThat(asked.target()).isEqualTo("account:123");
        assertThat(asked.context()).containsEntry("time", "1985-10-26T01:22-07:00")
                .containsEntry("action", Map.of("method", "GET")).containsEntry("channel", "authzen");
    }

    @Test
    void aDenyIsFalseWithTheReasonsAsAuthZenReasonObjects() {
        point.rule = r -> decision(Outcome.DENY, List.of(new Reason("baseline-data-protection@1.0.0#no-public-prod",
                "deny", "prod data stores may not be made public")), List.of(), null);

        Map<String, Object> body = body(resource.evaluation(fixture("evaluation-request.json"), null, null));

        assertThat(body).containsEntry("decision", false);
        assertThat(at(body, "context", "outcome")).isEqualTo("DENY");
        assertThat(at(body, "context", "reasons")).isEqualTo(List.of(Map.of("id",
                "baseline-data-protection@1.0.0#no-public-prod", "effect", "deny", "reason_admin", Map.of("en",
                        "prod data stores may not be made public"))));
        assertThat(at(body, "context", "grant")).isNull();
    }

    @Test
    void requireApprovalIsFalseAndSaysApprovalIsNeededAndByWhom() {
        point.rule = r -> decision(Outcome.REQUIRE_APPROVAL, List.of(new Reason("mandate#no-decision-right",
                "require-approval", "the owner 'team-data' must approve it")), List.of("team-data"), "apr-7")
                .withRemedies(List.of(new Remedy("request-approval", "ask 'team-data' to approve it",
                        List.of("mandate#no-decision-right"), Map.of("approvers", List.of("team-data")), true)));

        Map<String, Object> body = body(resource.evaluation(fixture("evaluation-request.json"), null, null));

        assertThat(body).containsEntry("decision", false);
        assertThat(at(body, "context", "outcome")).isEqualTo("REQUIRE_APPROVAL");
        assertThat(at(body, "context", "approval", "required")).isEqualTo(true);
        assertThat(at(body, "context", "approval", "approvers")).isEqualTo(List.of("team-data"));
        assertThat(at(body, "context", "approval", "approval_id")).isEqualTo("apr-7");
        assertThat(at(body, "context", "approval", "message")).isEqualTo("approval by team-data is needed before "
                + "this may go ahead; approval request apr-7 is open");
        assertThat(at(body, "context", "obligations")).isEqualTo(List.of("notify-owner"));
        assertThat(at(body, "context", "remedies")).isEqualTo(List.of(Map.of("kind", "request-approval", "message",
                "ask 'team-data' to approve it", "sufficient", true)));
    }

    @Test
    void topLevelValuesAreDefaultsThatAnEvaluationOverrides() {
        Map<String, Object> body = body(resource.evaluations(fixture("evaluations-defaults-override.json"), null, null));

        assertThat((List<?>) body.get("evaluations")).hasSize(3);
        assertThat(point.seen).extracting(ActionRequest::target).containsExactly("document:boxcarring.md",
                "document:subject-search.md", "document:resource-search.md");
        assertThat(point.seen).extracting(ActionRequest::action).containsExactly(Action.READ, Action.READ,
                Action.UPDATE);
        assertThat(point.seen).allSatisfy(r -> {
            assertThat(r.actor().id()).isEqualTo("alice@acmecorp.com");
            assertThat(r.context()).containsEntry("time", "2024-05-31T15:22-07:00");
        });
    }

    @Test
    void evaluationsWithoutDefaultsAreEachDecided() {
        Map<String, Object> body = body(resource.evaluations(fixture("evaluations-no-defaults.json"), null, null));

        assertThat(decisions(body)).containsExactly(true, true, true);
        assertThat(point.seen).hasSize(3);
    }

    @Test
    void theThreeEvaluationsSemanticsGiveTheSpecsAnswers() {
        point.rule = r -> r.target().equals("document:2") ? decision(Outcome.DENY, List.of(), List.of(), null)
                : decision(Outcome.ALLOW, List.of(), List.of(), null);

        assertThat(decisions(body(resource.evaluations(fixture("evaluations-execute_all.json"), null, null))))
                .containsExactly(true, false, true);
        assertThat(decisions(body(resource.evaluations(fixture("evaluations-deny_on_first_deny.json"), null, null))))
                .containsExactly(true, false);
        assertThat(decisions(body(resource.evaluations(fixture("evaluations-permit_on_first_permit.json"), null, null))))
                .containsExactly(true);
        assertThat(point.seen).hasSize(3 + 2 + 1);
    }

    @Test
    void anEvaluationsRequestWithoutAnArrayIsASingleEvaluation() {
        Map<String, Object> body = body(resource.evaluations(fixture("evaluation-request.json"), null, null));

        assertThat(body).containsEntry("decision", true).doesNotContainKey("evaluations");
    }

    @Test
    void aMalformedEvaluationInABatchIsFalseWithItsErrorAndTheOthersAreDecided() {
        String request = "{\"subject\":{\"type\":\"user\",\"id\":\"alice\"},\"action\":{\"name\":\"delete\"},"
                + "\"evaluations\":[{\"resource\":{\"type\":\"element\",\"id\":\"aws:s3:bucket:logs\"}},"
                + "{\"resource\":{\"type\":\"element\"}},{\"action\":{\"name\":\"obliterate\"},"
                + "\"resource\":{\"type\":\"element\",\"id\":\"aws:s3:bucket:logs\"}}]}";

        Map<String, Object> body = body(resource.evaluations(stream(request), null, null));

        assertThat(decisions(body)).containsExactly(true, false, false);
        List<?> answers = (List<?>) body.get("evaluations");
        assertThat(at(cast(answers.get(1)), "context", "error", "status")).isEqualTo(400);
        assertThat(at(cast(answers.get(1)), "context", "error", "message")).isEqualTo("malformed at "
                + "/evaluations/1/resource/id: 'id' is missing");
        assertThat(at(cast(answers.get(2)), "context", "error", "message").toString())
                .startsWith("malformed at /evaluations/2/action/name: unknown action 'obliterate'");
        assertThat(point.seen).singleElement().satisfies(r -> {
            assertThat(r.target()).isEqualTo("aws:s3:bucket:logs");
            assertThat(r.action()).isEqualTo(Action.DELETE);
        });
    }

    @Test
    void malformedRequestsAre400ProblemsThatSayWhere() {
        assertProblem(resource.evaluation(stream("{not json"), "r1", null), "");
        assertProblem(resource.evaluation(stream("[]"), null, null), "");
        assertProblem(resource.evaluation(stream("{\"subject\":{\"type\":\"user\",\"id\":\"a\"},"
                + "\"resource\":{\"type\":\"element\",\"id\":\"x\"}}"), null, null), "/action");
        assertProblem(resource.evaluation(stream("{\"subject\":{\"type\":\"robot\",\"id\":\"a\"},\"action\":"
                + "{\"name\":\"read\"},\"resource\":{\"type\":\"element\",\"id\":\"x\"}}"), null, null), "/subject/type");
        assertProblem(resource.evaluations(stream("{\"evaluations\":{}}"), null, null), "/evaluations");
        assertProblem(resource.evaluations(stream("{\"options\":{\"evaluations_semantic\":\"first_wins\"},"
                + "\"evaluations\":[{}]}"), null, null), "/options/evaluations_semantic");
        assertProblem(resource.evaluations(stream("{\"evaluations\":[{},{},{},{},{},{}]}"), null, null), "/evaluations");
        assertThat(point.seen).isEmpty();
        assertThat(resource.evaluation(stream("{not json"), "r1", null).getHeaderString("X-Request-ID")).isEqualTo("r1");
    }

    @Test
    void anAiSubjectCarriesItsModelAndPromptHash() {
        String request = "{\"subject\":{\"type\":\"agent\",\"id\":\"ops-bot\",\"properties\":{\"model\":\"gpt-5\","
                + "\"prompt_sha256\":\"ab12\",\"team\":\"team-ops\",\"groups\":[\"ops\"],\"ip_address\":\"10.0.0.1\"}},"
                + "\"action\":{\"name\":\"can_delete\"},\"resource\":{\"type\":\"aws:rds:db-instance\","
                + "\"id\":\"eu-west-1:123456789012:orders\",\"properties\":{\"after\":{\"size\":2},\"tier\":\"gold\"}},"
                + "\"context\":{\"justification\":\"cleanup\"}}";

        resource.evaluation(stream(request), null, null);

        ActionRequest asked = point.seen.get(0);
        assertThat(asked.actor().kind()).isEqualTo(ActorKind.AI);
        assertThat(asked.actor().agent().model()).isEqualTo("gpt-5");
        assertThat(asked.actor().agent().promptSha256()).isEqualTo("ab12");
        assertThat(asked.actor().team()).isEqualTo("team-ops");
        assertThat(asked.actor().groups()).containsExactly("ops");
        assertThat(asked.actor().attributes()).containsOnly(Map.entry("ip_address", "10.0.0.1"));
        assertThat(asked.action()).isEqualTo(Action.DELETE);
        assertThat(asked.target()).isEqualTo("aws:rds:db-instance:eu-west-1:123456789012:orders");
        assertThat(asked.after()).containsEntry("size", 2);
        assertThat(asked.context()).containsEntry("resource", Map.of("tier", "gold"));
        assertThat(asked.justification()).isEqualTo("cleanup");
    }

    @Test
    void aWhatIfPdpDecidesDryRunsOnlyAndAnOrdinaryOneForReal() {
        resource.evaluation(fixture("evaluation-request.json"), null, null);
        AuthZenAdapter whatIf = new AuthZenAdapter(AuthZenAdapter.settingsOf("", new String[] {"user=HUMAN"}, 5, true));
        new AccessEvaluationResource(point, whatIf).evaluations(fixture("evaluations-no-defaults.json"), null, null);

        assertThat(point.dryRuns).containsExactly(false, true, true, true);
    }

    @Test
    void theMetadataDocumentNamesThePdpAndTheEndpointsItServes() {
        assertThat(AuthZenMetadataResource.metadata(AuthZenMetadataResource.origin(
                URI.create("https://pdp.mycompany.com:8443/")))).containsExactly(
                Map.entry("policy_decision_point", "https://pdp.mycompany.com:8443"),
                Map.entry("access_evaluation_endpoint", "https://pdp.mycompany.com:8443/access/v1/evaluation"),
                Map.entry("access_evaluations_endpoint", "https://pdp.mycompany.com:8443/access/v1/evaluations"),
                Map.entry("search_resource_endpoint", "https://pdp.mycompany.com:8443/access/v1/search/resource"),
                Map.entry("search_action_endpoint", "https://pdp.mycompany.com:8443/access/v1/search/action"));
        assertThat(AuthZenAdapter.settingsOf("https://pdp.example.com/", new String[0], 1, false).policyDecisionPoint())
                .isEqualTo("https://pdp.example.com");
    }

    private static void assertProblem(Response response, String pointer) {
        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(response.getMediaType().toString()).isEqualTo("application/problem+json");
        Map<String, Object> problem = body(response);
        assertThat(problem).containsEntry("status", 400);
        assertThat(at(cast(((List<?>) problem.get("errors")).get(0)), "pointer")).isEqualTo(pointer);
    }

    private static List<Object> decisions(Map<String, Object> body) {
        return ((List<?>) body.get("evaluations")).stream().map(e -> cast(e).get("decision")).toList();
    }

    private static InputStream fixture(String name) {
        InputStream in = AccessEvaluationResourceTest.class.getResourceAsStream("/authzen/" + name);
        assertThat(in).as(name).isNotNull();
        return in;
    }

    private static InputStream stream(String body) {
        return new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, Object> body(Response response) {
        try {
            return JSON.readValue((byte[]) response.getEntity(), new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object value) {
        return (Map<String, Object>) value;
    }

    private static Object at(Map<String, Object> map, String... path) {
        Object node = map;
        for (String key : path) {
            node = node == null ? null : cast(node).get(key);
        }
        return node;
    }
}
