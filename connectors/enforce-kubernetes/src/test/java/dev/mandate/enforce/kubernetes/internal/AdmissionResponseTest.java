package dev.mandate.enforce.kubernetes.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mandate.api.decision.Outcome;
import dev.mandate.api.decision.Reason;
import dev.mandate.enforce.kubernetes.AdmissionReview;

import org.junit.jupiter.api.Test;

/** Decisions back into AdmissionReview v1 answers. */
class AdmissionResponseTest {

    private final AdmissionReviewAdapter adapter = Fixtures.adapter();
    private final AdmissionReview review = Fixtures.review("kw_request_pod_create_privileged_init.json");

    @Test
    void anAllowEchoesTheUidAndCarriesObligationsAsWarnings() throws Exception {
        AdmissionReview answer = adapter.toResponse(review, List.of(Fixtures.decision("d1", Outcome.ALLOW, List.of(),
                List.of("notify-owner"), List.of(), null)));

        Map<String, Object> json = read(answer);
        assertThat(json).containsEntry("apiVersion", "admission.k8s.io/v1").containsEntry("kind", "AdmissionReview");
        assertThat(Fixtures.<Object>at(json, "response", "uid")).isEqualTo("1299d386-525b-4032-98ae-1949f69f9cfc");
        assertThat(Fixtures.<Object>at(json, "response", "allowed")).isEqualTo(true);
        assertThat(Fixtures.<Object>at(json, "response", "status")).isNull();
        assertThat(Fixtures.<Object>at(json, "response", "warnings")).isEqualTo(List.of("mandate obligation: notify-owner"));
    }

    @Test
    void aDenyCarriesTheDenyingReasonsInTheStatus() throws Exception {
        AdmissionReview answer = adapter.toResponse(review, List.of(Fixtures.decision("d1", Outcome.DENY, List.of(
                new Reason("k8s-pss-baseline@1.0.0#privileged", "deny", "container 'nginx' is privileged"),
                new Reason("team:team-web#change", "allow", "team-web may change it")), List.of(), List.of(), null)));

        Map<String, Object> json = read(answer);
        assertThat(Fixtures.<Object>at(json, "response", "allowed")).isEqualTo(false);
        assertThat(Fixtures.<Object>at(json, "response", "status", "code")).isEqualTo(403);
        assertThat(Fixtures.<Object>at(json, "response", "status", "reason")).isEqualTo("Forbidden");
        assertThat(answer.message()).isEqualTo("mandate denied this change: k8s-pss-baseline@1.0.0#privileged: "
                + "container 'nginx' is privileged");
        assertThat(answer.uid()).isEqualTo(review.uid());
    }

    @Test
    void requireApprovalIsRefusedNamingTheApproversAndTheApprovalRequest() {
        AdmissionReview answer = adapter.toResponse(review, List.of(Fixtures.decision("d1", Outcome.REQUIRE_APPROVAL,
                List.of(new Reason("mandate#owner-approval", "require-approval", "team-web owns it")), List.of(),
                List.of("team-web"), "apr-7")));

        assertThat(answer.allowed()).isFalse();
        assertThat(answer.message()).isEqualTo("mandate requires approval by team-web (approval request apr-7): "
                + "mandate#owner-approval: team-web owns it");
        assertThat(answer.warnings()).singleElement().asString().contains("cannot wait").contains("apr-7");
    }

    @Test
    void failuresFollowThePolicy() {
        AdmissionReview closed = adapter.failure(review, "the ledger is unavailable");
        AdmissionReview open = new AdmissionReviewAdapter(Fixtures.settings(true)).failure(review, "the ledger is "
                + "unavailable");

        assertThat(closed.allowed()).isFalse();
        assertThat(closed.message()).isEqualTo("mandate could not decide this change: the ledger is unavailable "
                + "(refused: the webhook fails closed)");
        assertThat(closed.response()).containsKey("status");
        assertThat(open.allowed()).isTrue();
        assertThat(open.warnings()).singleElement().asString().endsWith("(admitted: the webhook fails open)");
        assertThat(open.uid()).isEqualTo(review.uid());
    }

    @Test
    void withoutDecisionsTheChangeIsAdmitted() {
        assertThat(adapter.toResponse(review, List.of()).allowed()).isTrue();
        assertThat(adapter.admittedWithoutDecision(review).uid()).isEqualTo(review.uid());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> read(AdmissionReview answer) throws Exception {
        return new ObjectMapper().readValue(answer.toJson(), Map.class);
    }
}
