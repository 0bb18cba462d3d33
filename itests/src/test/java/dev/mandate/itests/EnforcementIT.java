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
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.jaxrs.runtime.JaxrsServiceRuntime;
import org.osgi.service.jaxrs.runtime.dto.DTOConstants;
import org.osgi.service.jaxrs.runtime.dto.FailedResourceDTO;
import org.osgi.util.tracker.ServiceTracker;

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

    /**
     * The gate's resource selects Mandate's JSON provider: while the provider is gone the whiteboard holds the
     * gate back for its missing extension (and the path is a 404), rather than serving a gate that has nothing
     * to write its answers with (a 500 "no message body writer").
     */
    @Test
    public void theGateIsServedOnlyWhileMandatesJsonProviderIs() throws Exception {
        String malformed = "{\"format_version\":\"1.2\",\"resource_changes\":7}";
        poll("the Terraform gate served", () -> postJson("/mandate/v1/enforce/terraform", malformed),
                MandateTestSupport::servedByTheResource);
        // held while the test reads it: Aries's runtime DTO fails on a runtime service no bundle uses
        ServiceTracker<JaxrsServiceRuntime, JaxrsServiceRuntime> tracker =
                new ServiceTracker<>(bundleContext, JaxrsServiceRuntime.class, null);
        tracker.open();
        String provider = "dev.mandate.kernel.rest.internal.JsonProvider";
        try {
            JaxrsServiceRuntime runtime = tracker.waitForService(TIMEOUT.toMillis());
            executeCommand("scr:disable " + provider);
            try {
                poll("the gate held back for its missing extension", () -> gateFailure(runtime),
                        reason -> reason == DTOConstants.FAILURE_REASON_REQUIRED_EXTENSIONS_UNAVAILABLE);
                assertEquals(404, postJson("/mandate/v1/enforce/terraform", malformed).statusCode());
            } finally {
                executeCommand("scr:enable " + provider);
            }
            var back = poll("the gate served again", () -> postJson("/mandate/v1/enforce/terraform", malformed),
                    MandateTestSupport::servedByTheResource);
            assertEquals(back.body(), 400, back.statusCode());
            assertTrue(contentType(back), contentType(back).startsWith("application/problem+json"));
            assertEquals(-1, gateFailure(runtime));
        } finally {
            tracker.close();
        }
    }

    /** Why the whiteboard does not serve the gate's resource, or -1 when it does. */
    private int gateFailure(JaxrsServiceRuntime runtime) throws InvalidSyntaxException {
        ServiceReference<?>[] gate = bundleContext.getServiceReferences((String) null,
                "(component.name=dev.mandate.enforce.terraform.internal.TerraformGateResource)");
        assertTrue("the gate's resource is registered", gate != null && gate.length == 1);
        long serviceId = (Long) gate[0].getProperty(Constants.SERVICE_ID);
        FailedResourceDTO[] failures = runtime.getRuntimeDTO().failedResourceDTOs;
        for (FailedResourceDTO failed : failures == null ? new FailedResourceDTO[0] : failures) {
            if (failed.serviceId == serviceId) {
                return failed.failureReason;
            }
        }
        return -1;
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
