package dev.mandate.kernel.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.Annotation;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mandate.kernel.decision.internal.DecisionWorld;
import dev.mandate.kernel.decision.internal.EnforcementPointImpl;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /mandate/v1/decisions} as the plain servlet serves it, in Jetty 9.4 (Pax Web's container) on the
 * real decision path: the resource's answers and the API's problems, without the JAX-RS runtime.
 */
class DecisionsServletTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long LIMIT = 4096;
    private static DecisionWorld world;
    private static Server jetty;
    private static URI decisions;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        world = new DecisionWorld("servlet-decisions");
        DecisionsResource resource = new DecisionsResource(world.decisionPoint,
                new EnforcementPointImpl(world.decisionPoint, world.ledger));
        jetty = new Server(new InetSocketAddress("127.0.0.1", 0));
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder(new DecisionsServlet(resource, limit(LIMIT))), "/" + DecisionsServlet.PATH);
        jetty.setHandler(context);
        jetty.start();
        decisions = URI.create("http://127.0.0.1:" + ((ServerConnector) jetty.getConnectors()[0]).getLocalPort() + "/"
                + DecisionsServlet.PATH);
    }

    @AfterAll
    static void stop() throws Exception {
        jetty.stop();
        world.close();
    }

    @Test
    void aRequestIsDecidedAndRecordedAsTheResourceDecidesIt() throws Exception {
        int recorded = world.ledger.records().size();

        HttpResponse<String> response = post("", request("alice", "restart", "i-batch", "patch"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).get().asString().startsWith("application/json");
        JsonNode decision = JSON.readTree(response.body());
        assertThat(decision.path("outcome").asText()).isEqualTo("ALLOW");
        assertThat(decision.path("reasons").get(0).path("source").asText()).isEqualTo("team:team-payments#operate");
        assertThat(decision.path("grant").asText()).isNotBlank();
        assertThat(decision.path("evidence").asText()).startsWith("sha256:");
        assertThat(world.ledger.records()).hasSize(recorded + 1);
        assertThat(world.ledger.records().get(recorded).type()).isEqualTo("decision");
    }

    @Test
    void aWhatIfIsRecordedAsOneAndIssuesNoGrant() throws Exception {
        int recorded = world.ledger.records().size();

        JsonNode decision = JSON.readTree(post("?dryRun=true",
                request("alice", "restart", "i-batch", "try")).body());

        assertThat(decision.path("outcome").asText()).isEqualTo("ALLOW");
        assertThat(decision.path("dryRun").asBoolean()).isTrue();
        assertThat(decision.has("grant")).isFalse();
        assertThat(world.ledger.records().get(recorded).type()).isEqualTo("decision.dry-run");
    }

    @Test
    void aPlanIsDecidedAsOne() throws Exception {
        String plan = "{\"actor\":" + actor("alice") + ",\"justification\":\"r\",\"changes\":["
                + "{\"action\":\"restart\",\"target\":\"" + world.target("i-batch") + "\"},"
                + "{\"action\":\"delete\",\"target\":\"" + world.target("orders-db") + "\"}]}";

        JsonNode result = JSON.readTree(post("", plan).body());

        assertThat(result.path("changes")).extracting(change -> change.path("outcome").asText())
                .containsExactly("ALLOW", "REQUIRE_APPROVAL");
        assertThat(result.path("evidence").asText()).startsWith("sha256:");
    }

    @Test
    void malformedJsonIsA400ProblemSayingWhere() throws Exception {
        HttpResponse<String> response = post("", "{\"actor\": {\"id\": \"agent-7\",");

        assertProblem(response, 400, "malformed-request");
        assertThat(JSON.readTree(response.body()).path("errors").get(0).path("pointer").asText()).isEqualTo("/actor");
    }

    @Test
    void anUnknownFieldIsRefused() throws Exception {
        HttpResponse<String> response = post("", "{\"actor\":" + actor("alice")
                + ",\"action\":\"restart\",\"target\":\"" + world.target("i-batch") + "\",\"colour\":\"red\"}");

        assertProblem(response, 400, "malformed-request");
        assertThat(JSON.readTree(response.body()).path("detail").asText()).contains("unknown field 'colour'");
    }

    @Test
    void anEmptyBodyOrAMissingActorIsA400Problem() throws Exception {
        assertProblem(post("", ""), 400, "invalid-request");
        assertProblem(post("", "{\"action\":\"restart\",\"target\":\"" + world.target("i-batch") + "\"}"), 400,
                "invalid-request");
    }

    @Test
    void anUnknownTargetIsA404Problem() throws Exception {
        HttpResponse<String> response = post("", "{\"actor\":" + actor("alice")
                + ",\"action\":\"delete\",\"target\":\"aws:ec2:instance:eu-west-1:111122223333:i-nowhere\"}");

        assertProblem(response, 404, "unknown-element");
    }

    @Test
    void aBodyOverTheLimitIsA413Problem() throws Exception {
        String big = request("alice", "restart", "i-batch", "x".repeat((int) LIMIT));

        assertProblem(post("", big), 413, "body-too-large");
        HttpResponse<String> chunked = client.send(HttpRequest.newBuilder(decisions)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big.getBytes())))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertProblem(chunked, 413, "body-too-large");
    }

    @Test
    void otherMethodsAndMediaTypesAreProblems() throws Exception {
        HttpResponse<String> get = client.send(HttpRequest.newBuilder(decisions).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertProblem(get, 405, "method-not-allowed");
        assertThat(get.headers().firstValue("Allow")).contains("POST, OPTIONS");

        assertProblem(client.send(HttpRequest.newBuilder(decisions).POST(HttpRequest.BodyPublishers.ofString("a=b"))
                .header("Content-Type", "application/x-www-form-urlencoded").build(),
                HttpResponse.BodyHandlers.ofString()), 415, "unsupported-media-type");
        assertProblem(client.send(HttpRequest.newBuilder(decisions).POST(HttpRequest.BodyPublishers.ofString("{}"))
                .header("Content-Type", "application/json").header("Accept", "text/html").build(),
                HttpResponse.BodyHandlers.ofString()), 406, "not-acceptable");
    }

    private HttpResponse<String> post(String query, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(decisions + query))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json")
                .header("Accept", "application/json").timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void assertProblem(HttpResponse<String> response, int status, String type) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).get().asString()
                .startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("type").asText()).isEqualTo("https://mandate.dev/problems/" + type);
    }

    private static String request(String actor, String action, String target, String justification) throws Exception {
        return "{\"actor\":" + actor(actor) + ",\"action\":\"" + action + "\",\"target\":\"" + world.target(target)
                + "\",\"justification\":\"" + justification + "\"}";
    }

    private static String actor(String alias) throws Exception {
        return MandateJson.newMapper().writeValueAsString(world.actor(alias));
    }

    private static BodySizeLimit.Config limit(long bytes) {
        return new BodySizeLimit.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return BodySizeLimit.Config.class;
            }

            @Override
            public long maxBodyBytes() {
                return bytes;
            }
        };
    }
}
