package dev.mandate.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The enforcement adapters in the distribution, in the path of change: the Terraform plan gate
 * (booted with the default set) and the Kubernetes admission webhook (installed as a feature at
 * runtime), each on real input.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class EnforcementIT extends MandateTestSupport {

    private static final String FIXTURES = "mandate.it.fixtures";
    private static final String EXAMPLES = "mandate.it.examples";

    @Override
    @Configuration
    public Option[] config() {
        List<Option> options = new ArrayList<>(List.of(super.config()));
        options.add(systemProperty(FIXTURES).value(System.getProperty(FIXTURES)));
        options.add(systemProperty(EXAMPLES).value(System.getProperty(EXAMPLES)));
        return options.toArray(Option[]::new);
    }

    @Test
    public void aPipelineDeletingAnotherTeamsProductionDatabaseNeedsTheOwnersApproval() throws IOException {
        DecisionIT.awaitDemoEstate(this);
        String plan = read(Path.of(System.getProperty(EXAMPLES), "terraform", "delete-orders-prod.plan.json"));

        JsonNode report = json(postJson(
                "/mandate/v1/enforce/terraform?actor=ci-logistics&kind=SYSTEM&team=team-logistics", plan));

        assertEquals(report.toString(), "REQUIRE_APPROVAL", report.path("outcome").asText());
        JsonNode change = report.path("changes").path(0);
        assertEquals(DecisionIT.ORDERS_PROD, change.path("elementId").asText());
        assertEquals("team-payments", change.path("approvers").path(0).asText());
        assertTrue(report.path("evidence").asText().startsWith("sha256:"));
    }

    @Test
    public void aMalformedPlanIsA400SayingWhere() {
        String malformed = "{\"format_version\":\"1.2\",\"resource_changes\":[{\"address\":\"a.b\","
                + "\"type\":\"aws_instance\",\"change\":{\"actions\":\"delete\"}}]}";
        var response = poll("the Terraform gate at /mandate/v1/enforce/terraform",
                () -> postJson("/mandate/v1/enforce/terraform", malformed), MandateTestSupport::servedByTheResource);

        assertEquals(response.body(), 400, response.statusCode());
        assertTrue(contentType(response), contentType(response).startsWith("application/problem+json"));
        assertEquals("/resource_changes/0/change/actions", json(response).path("errors").path(0).path("pointer").asText());
    }

    @Test
    public void theAdmissionWebhookInstalledAtRuntimeRejectsAPrivilegedPod() throws Exception {
        installAndAssertFeature("mandate-enforce-kubernetes");
        installAndAssertFeature("mandate-blueprints-kubernetes");
        String request = read(Path.of(System.getProperty(FIXTURES), "k8s-admission",
                "kw_request_pod_create_privileged_init.json"));
        String review = "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":" + request + "}";
        String uid = JSON.readTree(request).path("uid").asText();

        JsonNode answer = json(poll("the webhook's answer citing a Pod Security rule",
                () -> postJson("/mandate/v1/enforce/kubernetes/admission", review),
                response -> response.statusCode() == 200 && response.body().contains("k8s-pss-baseline@")));

        JsonNode body = answer.path("response");
        assertEquals(uid, body.path("uid").asText());
        assertFalse(answer.toString(), body.path("allowed").asBoolean(true));
        assertTrue(answer.toString(), body.path("status").path("message").asText().contains("k8s-pss-baseline@1.0.0#"));
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
