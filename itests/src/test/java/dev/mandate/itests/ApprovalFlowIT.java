package dev.mandate.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.replaceConfigurationFile;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The approval and grant flow over REST in the distribution: a request that needs the owner's
 * approval opens an approval request; the queue and its decisions need credentials of Karaf's JAAS
 * realm; the requester cannot approve; an approver of the owning team approves and the decision is
 * taken again with a signed grant, which {@code /grants/verify} accepts for exactly that change and
 * rejects when tampered with.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ApprovalFlowIT extends MandateTestSupport {

    private static final String LARS = "{\"id\":\"lars\",\"kind\":\"HUMAN\",\"team\":\"team-logistics\","
            + "\"groups\":[\"grp-logistics-engineers\"],\"assurance\":\"mfa\"}";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Override
    @Configuration
    public Option[] config() {
        List<Option> options = new ArrayList<>(List.of(super.config()));
        // two more users of the karaf realm: an approver of the owning team, and the requester
        try {
            options.add(replaceConfigurationFile("etc/users.properties",
                    new File(ApprovalFlowIT.class.getResource("/approval-flow/users.properties").toURI())));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        // on a loaded machine the test probe may start well before Pax Exam's invoker does
        options.add(systemProperty("org.ops4j.pax.exam.raw.extender.intern.Parser.DEFAULT_TIMEOUT").value("120000"));
        return options.toArray(Option[]::new);
    }

    @Before
    public void demoEstateLoaded() {
        DecisionIT.awaitDemoEstate(this);
    }

    @Test
    public void anApproverApprovesWithCredentialsAndTheGrantVerifies() {
        JsonNode decision = json(postJson("/mandate/v1/decisions", "{\"actor\":" + LARS
                + ",\"action\":\"restart\",\"target\":\"" + DecisionIT.ORDERS_PROD + "\",\"justification\":\"patch\"}"));
        assertEquals(decision.toString(), "REQUIRE_APPROVAL", decision.path("outcome").asText());
        String approvalId = decision.path("approvalId").asText();
        assertFalse(decision.toString(), approvalId.isEmpty());
        assertEquals(decision.toString(), "request-approval", decision.path("remedies").path(0).path("kind").asText());

        HttpResponse<String> anonymous = get("/mandate/v1/approvals");
        assertEquals(anonymous.body(), 401, anonymous.statusCode());
        assertTrue(contentType(anonymous), contentType(anonymous).startsWith("application/problem+json"));

        JsonNode listed = json(call("GET", "/mandate/v1/approvals/" + approvalId, null, "paula", "paula-secret"));
        assertEquals(listed.toString(), "PENDING", listed.path("status").asText());
        assertEquals(listed.toString(), "team-payments", listed.path("approvers").path(0).asText());

        HttpResponse<String> own = call("POST", "/mandate/v1/approvals/" + approvalId + "/decide",
                "{\"approve\":true}", "lars", "lars-secret");
        assertEquals(own.body(), 403, own.statusCode());
        assertTrue(own.body(), json(own).path("detail").asText().contains("cannot approve it"));

        HttpResponse<String> approved = call("POST", "/mandate/v1/approvals/" + approvalId + "/decide",
                "{\"approve\":true,\"comment\":\"patch window agreed\"}", "paula", "paula-secret");
        assertEquals(approved.body(), 200, approved.statusCode());
        JsonNode result = json(approved);
        assertEquals(result.toString(), "APPROVED", result.path("status").asText());
        assertEquals(result.toString(), "paula", result.path("decidedBy").asText());
        assertEquals(result.toString(), "ALLOW", result.path("outcome").path("outcome").asText());
        String grant = result.path("outcome").path("grant").asText();
        assertFalse(result.toString(), grant.isEmpty());

        JsonNode verified = json(postJson("/mandate/v1/grants/verify", verify(grant, "restart")));
        assertTrue(verified.toString(), verified.path("valid").asBoolean());
        assertTrue(verified.toString(), verified.path("covers").asBoolean());
        assertEquals(verified.toString(), "lars", verified.path("grant").path("actor").asText());

        JsonNode outside = json(postJson("/mandate/v1/grants/verify", verify(grant, "delete")));
        assertTrue(outside.toString(), outside.path("valid").asBoolean());
        assertFalse(outside.toString(), outside.path("covers").asBoolean());

        JsonNode tampered = json(postJson("/mandate/v1/grants/verify", verify(tamper(grant), "restart")));
        assertFalse(tampered.toString(), tampered.path("valid").asBoolean());
        assertFalse(tampered.toString(), tampered.path("covers").asBoolean());
    }

    @Test
    public void theSamePlanSubmittedTwiceAsksForOneApprovalAndIsDecidedPerChange() {
        String plan = "{\"actor\":" + LARS + ",\"justification\":\"maintenance\",\"changes\":["
                + "{\"action\":\"restart\",\"target\":\"" + DecisionIT.ORDERS_PROD + "\"},"
                + "{\"action\":\"scale\",\"target\":\"" + DecisionIT.ORDERS_PROD + "\",\"after\":{\"instanceClass\":\"db.r6g.2xlarge\"}}]}";

        JsonNode first = json(postJson("/mandate/v1/decisions", plan));
        JsonNode second = json(postJson("/mandate/v1/decisions", plan));

        assertEquals(first.toString(), "REQUIRE_APPROVAL", first.path("outcome").asText());
        assertEquals(first.toString(), 2, first.path("changes").size());
        assertTrue(first.toString(), first.path("evidence").asText().startsWith("sha256:"));
        for (int i = 0; i < 2; i++) {
            String opened = first.path("changes").path(i).path("approvalId").asText();
            assertFalse(first.toString(), opened.isEmpty());
            assertEquals(second.toString(), opened, second.path("changes").path(i).path("approvalId").asText());
        }
        assertNotEquals(first.path("changes").path(0).path("approvalId").asText(),
                first.path("changes").path(1).path("approvalId").asText());
    }

    private static String verify(String grant, String action) {
        return "{\"grant\":\"" + grant + "\",\"change\":{\"action\":\"" + action + "\",\"target\":\""
                + DecisionIT.ORDERS_PROD + "\"}}";
    }

    /** The same grant with one character of its signature changed. */
    private static String tamper(String grant) {
        int at = grant.lastIndexOf('.') + 5;
        char replacement = grant.charAt(at) == 'A' ? 'B' : 'A';
        return grant.substring(0, at) + replacement + grant.substring(at + 1);
    }

    private HttpResponse<String> call(String method, String path, String body, String user, String password) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .timeout(Duration.ofSeconds(30)).header("Accept", "application/json")
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling the REST API", e);
        }
    }
}
