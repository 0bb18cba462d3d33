package dev.mandate.enforce.kubernetes.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Decision;
import dev.mandate.api.decision.Outcome;
import dev.mandate.api.decision.Reason;
import dev.mandate.api.enforcement.EnforcementAdapter;
import dev.mandate.api.enforcement.EnforcementPoint;
import dev.mandate.api.enforcement.EnforcementResult;
import dev.mandate.api.enforcement.InvalidChangeException;

import javax.ws.rs.core.Response;

import org.junit.jupiter.api.Test;

/** The webhook endpoint with an enforcement point that decides by a rule of the test. */
class AdmissionWebhookResourceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Decides each request with {@code rule}; records as "sha256:cafe" unless {@code evidence} says otherwise. */
    private static final class FakeEnforcementPoint implements EnforcementPoint {
        final List<ActionRequest> seen = new ArrayList<>();
        Function<ActionRequest, Decision> rule = r -> Fixtures.decision("d1", Outcome.ALLOW, List.of(), List.of(),
                List.of(), null);
        String evidence = "sha256:cafe";

        @Override
        public <I, O> EnforcementResult<O> enforce(EnforcementAdapter<I, O> adapter, I input)
                throws InvalidChangeException {
            List<ActionRequest> requests = adapter.toRequests(input);
            seen.addAll(requests);
            List<Decision> decisions = requests.stream().map(rule).toList();
            Outcome outcome = decisions.stream().map(Decision::outcome).filter(o -> o != Outcome.ALLOW).findFirst()
                    .orElse(Outcome.ALLOW);
            return new EnforcementResult<>(adapter.toResponse(input, decisions), evidence == null ? Outcome.DENY
                    : outcome, decisions, evidence);
        }
    }

    private final FakeEnforcementPoint point = new FakeEnforcementPoint();

    @Test
    void aPrivilegedPodIsRefusedWithTheReasonAndTheUidEchoed() throws IOException {
        point.rule = r -> Fixtures.decision("d9", Outcome.DENY, List.of(new Reason(
                "k8s-pss-baseline@1.0.0#privileged", "deny", "privileged containers: nginx")), List.of(), List.of(),
                null);

        Map<String, Object> answer = body(post("kw_request_pod_create_privileged_init.json"));

        assertThat(Fixtures.<Object>at(answer, "response", "uid")).isEqualTo("1299d386-525b-4032-98ae-1949f69f9cfc");
        assertThat(Fixtures.<Object>at(answer, "response", "allowed")).isEqualTo(false);
        assertThat(Fixtures.<String>at(answer, "response", "status", "message")).isEqualTo("mandate denied this change: "
                + "k8s-pss-baseline@1.0.0#privileged: privileged containers: nginx");
        assertThat(Fixtures.<Object>at(answer, "response", "auditAnnotations")).isEqualTo(Map.of("outcome", "DENY",
                "evidence", "sha256:cafe", "decision", "d9"));
        assertThat(point.seen).singleElement().satisfies(r ->
                assertThat(r.target()).isEqualTo("k8s:core:pod:prod-eu:default:nginx"));
    }

    @Test
    void anAllowedReviewIsAdmitted() throws IOException {
        Map<String, Object> answer = body(post("kw_review_v1_deployment_create.json"));

        assertThat(Fixtures.<Object>at(answer, "response", "uid")).isEqualTo("12345-67890-abcdef");
        assertThat(Fixtures.<Object>at(answer, "response", "allowed")).isEqualTo(true);
    }

    @Test
    void aMalformedReviewIsAProblemWithItsPointerAndNothingIsDecided() throws IOException {
        Response response = resource().review(stream("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":"
                + "\"AdmissionReview\",\"request\":{\"uid\":\"u\",\"operation\":\"CREATE\",\"kind\":{\"kind\":\"Pod\"},"
                + "\"userInfo\":{\"username\":7}}}"));

        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(response.getMediaType().toString()).isEqualTo("application/problem+json");
        Map<String, Object> problem = body(response);
        assertThat(problem).containsEntry("status", 400)
                .containsEntry("type", "https://mandate.dev/problems/invalid-admission-review");
        assertThat(Fixtures.<Object>at(problem, "errors", "0", "pointer")).isEqualTo("/request/userInfo/username");
        assertThat((String) problem.get("detail")).startsWith("the admission review is malformed at "
                + "/request/userInfo/username: ");
        assertThat(point.seen).isEmpty();
    }

    @Test
    void anInternalErrorFailsClosedByDefaultAndOpenWhenConfigured() throws IOException {
        point.rule = r -> {
            throw new IllegalStateException("the model is not loaded");
        };

        Map<String, Object> closed = body(post("kw_request_deployment_delete.json"));
        Map<String, Object> open = body(new AdmissionWebhookResource(point,
                new AdmissionReviewAdapter(Fixtures.settings(true))).review(file("kw_request_deployment_delete.json")));

        assertThat(Fixtures.<Object>at(closed, "response", "allowed")).isEqualTo(false);
        assertThat(Fixtures.<Object>at(closed, "response", "uid")).isEqualTo("4477bb16-cc59-496f-91ec-91dcbe6658a3");
        assertThat(Fixtures.<String>at(closed, "response", "status", "message")).isEqualTo("mandate could not decide "
                + "this change: the model is not loaded (refused: the webhook fails closed)");
        assertThat(Fixtures.<Object>at(open, "response", "allowed")).isEqualTo(true);
        assertThat(Fixtures.<List<String>>at(open, "response", "warnings")).singleElement().asString()
                .contains("the model is not loaded");
    }

    @Test
    void anEnforcementThatCouldNotBeRecordedIsNotAdmitted() throws IOException {
        point.evidence = null;

        Map<String, Object> answer = body(post("kw_review_v1_deployment_create.json"));

        assertThat(Fixtures.<Object>at(answer, "response", "allowed")).isEqualTo(false);
        assertThat(Fixtures.<String>at(answer, "response", "status", "message"))
                .contains("could not be recorded as evidence");
    }

    @Test
    void aConnectIsAdmittedWithoutAskingTheDecisionPoint() throws IOException {
        Map<String, Object> answer = body(resource().review(stream("{\"uid\":\"c-1\",\"operation\":\"CONNECT\","
                + "\"kind\":{\"group\":\"\",\"version\":\"v1\",\"kind\":\"PodExecOptions\"},\"namespace\":\"a\","
                + "\"name\":\"p\",\"userInfo\":{\"username\":\"alice\"},\"object\":{}}")));

        assertThat(Fixtures.<Object>at(answer, "response", "allowed")).isEqualTo(true);
        assertThat(Fixtures.<Object>at(answer, "response", "uid")).isEqualTo("c-1");
        assertThat(point.seen).isEmpty();
    }

    private AdmissionWebhookResource resource() {
        return new AdmissionWebhookResource(point, Fixtures.adapter());
    }

    private Response post(String file) throws IOException {
        return resource().review(file(file));
    }

    private static InputStream file(String file) throws IOException {
        return new ByteArrayInputStream(Files.readAllBytes(Fixtures.SAMPLES.resolve(file)));
    }

    private static InputStream stream(String json) {
        return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(Response response) throws IOException {
        assertThat(response.getEntity()).isInstanceOf(byte[].class);
        if (response.getStatus() == 200) {
            assertThat(response.getMediaType().toString()).isEqualTo("application/json");
        }
        return JSON.readValue((byte[]) response.getEntity(), Map.class);
    }
}
