package dev.mandate.enforce.terraform.internal;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.mandate.api.decision.Outcome;
import dev.mandate.api.decision.Reason;
import dev.mandate.kernel.ledger.testing.InMemoryLedger;

import javax.ws.rs.core.Response;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The run task protocol against a local HTTP server playing HCP Terraform (WireMock): the signed request,
 * the plan download through Terraform's redirect to its archive, and the task result PATCHed back.
 */
class RunTaskResourceTest {

    private static final String KEY = "run-task-hmac-key";
    private static final String PLAN_PATH = "/api/v2/plans/plan-6AFmRJW1PFJ7qbAh/json-output";
    private static final String ARCHIVE_PATH = "/archivist/v1/object/dmF1bHQ6djE6b3JkZXJz";
    private static final String CALLBACK_PATH = "/api/v2/task-results/5ea8d46c-2ceb-42cd-83f2-82e54697bddd/callback";
    private static final String TOKEN = "4QEuyyxug1f2rw.atlasv1.iDyxqhXGVZ0ykes53YdQyHyYtFOrdAWNBxcVUgWvzb64NFHjcquu8gJMEdUwoSLRu4Q";
    private static final Path ORDERS_PROD_PLAN = Path.of("../../docs/examples/terraform/delete-orders-prod.plan.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Holds submitted work until the test runs it: shows that Terraform is answered before anything is done. */
    private static class HeldExecutor extends AbstractExecutorService {
        final List<Runnable> held = new ArrayList<>();
        boolean shutdown;

        @Override
        public void execute(Runnable command) {
            held.add(command);
        }

        void runAll() {
            while (!held.isEmpty()) {
                held.remove(0).run();
            }
        }

        @Override
        public void shutdown() {
            shutdown = true;
        }

        @Override
        public List<Runnable> shutdownNow() {
            shutdown = true;
            return List.copyOf(held);
        }

        @Override
        public boolean isShutdown() {
            return shutdown;
        }

        @Override
        public boolean isTerminated() {
            return shutdown;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }
    }

    private WireMockServer tfc;
    /** A delete of orders-prod needs team-payments' approval; the rest is allowed. */
    private final ScriptedEnforcementPoint point = new ScriptedEnforcementPoint("sha256:beef", (id, request) ->
            request.target().endsWith(":orders-prod")
                    ? GateReportTest.decision(id, Outcome.REQUIRE_APPROVAL, List.of(new Reason("mandate#owner-approval",
                            "require-approval", "the element is owned by 'team-payments'")), List.of("team-payments"), null)
                    : GateReportTest.decision(id, Outcome.ALLOW, List.of(), List.of(), "grant"));
    private final HeldExecutor executor = new HeldExecutor();
    private RunTaskResource resource;

    @BeforeEach
    void start() throws IOException {
        tfc = new WireMockServer(options().dynamicPort());
        tfc.start();
        // HCP Terraform answers the plan JSON URL with a redirect to a short-lived archive URL
        tfc.stubFor(get(urlEqualTo(PLAN_PATH)).willReturn(aResponse().withStatus(307)
                .withHeader("Location", tfc.baseUrl() + ARCHIVE_PATH)));
        servePlan(Files.readAllBytes(ORDERS_PROD_PLAN));
        tfc.stubFor(patch(urlEqualTo(CALLBACK_PATH)).willReturn(aResponse().withStatus(200)));
        resource = resource(config(KEY, "", ""), executor);
    }

    @AfterEach
    void stop() {
        tfc.stop();
    }

    private void servePlan(byte[] plan) {
        tfc.stubFor(get(urlEqualTo(ARCHIVE_PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(plan)));
    }

    private RunTaskResource resource(RunTaskConfig config, ExecutorService work) {
        return new RunTaskResource(point, PlanFixtures.adapter(), config, work,
                HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build(), Duration.ofMillis(20));
    }

    private byte[] request(String resourceName) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/run-task/" + resourceName)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("${tfc}", tfc.baseUrl())
                    .getBytes(StandardCharsets.UTF_8);
        }
    }

    private static String sign(byte[] body) {
        return HexFormat.of().formatHex(RunTaskResource.hmac(KEY.getBytes(StandardCharsets.UTF_8), body));
    }

    private Response trigger(byte[] body, String signature, String actor, String team) {
        return resource.trigger(body, signature, actor, null, team, null, null, null, null);
    }

    private JsonNode callback() throws IOException {
        List<LoggedRequest> patches = tfc.findAll(patchRequestedFor(urlEqualTo(CALLBACK_PATH)));
        assertThat(patches).hasSize(1);
        return JSON.readTree(patches.get(0).getBodyAsString());
    }

    @Test
    void aSignedRunIsAnsweredAtOnceThenItsPlanIsDecidedAndTheOwnersApprovalReportedBack() throws IOException {
        byte[] body = request("post-plan-request.json");

        Response response = trigger(body, sign(body), "ci-logistics", "team-logistics");

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(tfc.findAll(anyRequestedFor(anyUrl()))).as("nothing done before terraform has its answer").isEmpty();

        executor.runAll();

        tfc.verify(getRequestedFor(urlEqualTo(PLAN_PATH)).withHeader("Authorization", equalTo("Bearer " + TOKEN)));
        tfc.verify(getRequestedFor(urlEqualTo(ARCHIVE_PATH)).withoutHeader("Authorization"));
        tfc.verify(patchRequestedFor(urlEqualTo(CALLBACK_PATH)).withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withHeader("Content-Type", equalTo("application/vnd.api+json")));
        assertThat(point.seen).singleElement().satisfies(r -> {
            assertThat(r.actor().id()).isEqualTo("ci-logistics");
            assertThat(r.actor().team()).isEqualTo("team-logistics");
            assertThat(r.target()).isEqualTo("aws:rds:db-instance:eu-west-1:111122223333:orders-prod");
            assertThat(r.justification()).isEqualTo("terraform run run-i3Df5to9ELvibKpQ in acme/logistics-prod by dana: "
                    + "retire the old orders database");
        });
        JsonNode data = callback().path("data");
        assertThat(data.path("type").asText()).isEqualTo("task-results");
        assertThat(data.path("attributes").path("status").asText()).isEqualTo("failed");
        assertThat(data.path("attributes").path("message").asText()).isEqualTo("needs approval from team-payments "
                + "for 1 of 1 change; run again once approved (evidence sha256:beef)");
        JsonNode outcome = data.path("relationships").path("outcomes").path("data").path(0);
        assertThat(outcome.path("type").asText()).isEqualTo("task-result-outcomes");
        JsonNode attributes = outcome.path("attributes");
        assertThat(attributes.path("outcome-id").asText()).isEqualTo("module.orders.aws_db_instance.orders");
        assertThat(attributes.path("description").asText())
                .isEqualTo("Needs approval: delete module.orders.aws_db_instance.orders");
        assertThat(attributes.path("body").asText()).contains("`aws:rds:db-instance:eu-west-1:111122223333:orders-prod`",
                "approval needed from team-payments", "`mandate#owner-approval`: the element is owned by 'team-payments'");
        assertThat(attributes.path("tags").path("Status").path(0).path("label").asText()).isEqualTo("Needs approval");
        assertThat(attributes.path("tags").path("Status").path(0).path("level").asText()).isEqualTo("warning");
        assertThat(attributes.path("tags").path("Approvers").path(0).path("label").asText()).isEqualTo("team-payments");
    }

    @Test
    void withoutAnActorTheRunsWorkspaceAsks() throws IOException {
        byte[] body = request("post-plan-request.json");
        trigger(body, sign(body), null, null);
        executor.runAll();
        assertThat(point.seen).singleElement().satisfies(r -> assertThat(r.actor().id()).isEqualTo("tfc:acme/logistics-prod"));
    }

    @Test
    void anAllowedPlanPassesWithOneOutcomePerChange() throws IOException {
        servePlan(Files.readAllBytes(PlanFixtures.PLANS.resolve("checkov_aws_for_each_tf1.9.json")));
        byte[] body = request("post-plan-request.json");

        trigger(body, sign(body), null, null);
        executor.runAll();

        JsonNode data = callback().path("data");
        assertThat(data.path("attributes").path("status").asText()).isEqualTo("passed");
        assertThat(data.path("attributes").path("message").asText()).isEqualTo("mandate allows all 5 changes "
                + "(evidence sha256:beef)");
        assertThat(data.path("relationships").path("outcomes").path("data")).hasSize(5)
                .allSatisfy(o -> assertThat(o.path("attributes").path("tags").path("Status").path(0).path("label")
                        .asText()).isEqualTo("Allowed"));
    }

    @Test
    void aBadOrMissingSignatureIsRefusedAndNothingIsDone() throws IOException {
        byte[] body = request("post-plan-request.json");
        String signature = sign(body);
        byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("logistics-prod", "payments-prod")
                .getBytes(StandardCharsets.UTF_8);

        assertThat(trigger(tampered, signature, null, null).getStatus()).isEqualTo(401);
        assertThat(trigger(body, null, null, null).getStatus()).isEqualTo(401);
        assertThat(trigger(body, "not-hex", null, null).getStatus()).isEqualTo(401);
        Response wrongKey = resource(config("another-key", "", ""), executor).trigger(body, signature, null, null,
                null, null, null, null, null);
        assertThat(wrongKey.getStatus()).isEqualTo(401);
        assertThat(wrongKey.getMediaType().toString()).isEqualTo("application/problem+json");

        assertThat(executor.held).isEmpty();
        assertThat(tfc.findAll(anyRequestedFor(anyUrl()))).isEmpty();
    }

    @Test
    void withoutAConfiguredKeyEveryRequestIsRefused() throws IOException {
        byte[] body = request("post-plan-request.json");
        Response response = resource(config("", "", ""), executor).trigger(body, sign(body), null, null, null, null,
                null, null, null);
        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(executor.held).isEmpty();
    }

    @Test
    void terraformsVerificationRequestIsAnsweredWithoutCallingBack() throws IOException {
        byte[] body = new String(request("post-plan-request.json"), StandardCharsets.UTF_8)
                .replace(TOKEN, RunTaskRequest.TEST_TOKEN).getBytes(StandardCharsets.UTF_8);
        assertThat(trigger(body, sign(body), null, null).getStatus()).isEqualTo(200);
        assertThat(executor.held).isEmpty();
    }

    @Test
    void anUnsupportedPayloadIsA400() throws IOException {
        byte[] body = new String(request("post-plan-request.json"), StandardCharsets.UTF_8)
                .replace("\"payload_version\": 1", "\"payload_version\": 2").getBytes(StandardCharsets.UTF_8);
        Response response = trigger(body, sign(body), null, null);
        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(response.getEntity().toString()).contains("payload_version '2' is not supported (supported: 1)");
    }

    @Test
    void aPlanThatCannotBeDownloadedOrIsMalformedFailsTheRunWithWhy() throws IOException {
        tfc.stubFor(get(urlEqualTo(ARCHIVE_PATH)).willReturn(aResponse().withStatus(404)));
        byte[] body = request("post-plan-request.json");
        trigger(body, sign(body), null, null);
        executor.runAll();
        assertThat(callback().path("data").path("attributes").path("message").asText()).isEqualTo(
                "mandate could not download the plan of run run-i3Df5to9ELvibKpQ in acme/logistics-prod: terraform "
                        + "answered 404");

        tfc.resetRequests();
        servePlan(("{\"format_version\":\"1.2\",\"resource_changes\":[{\"address\":\"a.b\",\"type\":\"aws_instance\","
                + "\"change\":{\"actions\":\"delete\"}}]}").getBytes(StandardCharsets.UTF_8));
        trigger(body, sign(body), null, null);
        executor.runAll();
        JsonNode attributes = callback().path("data").path("attributes");
        assertThat(attributes.path("status").asText()).isEqualTo("failed");
        assertThat(attributes.path("message").asText())
                .startsWith("the terraform plan is malformed at /resource_changes/0/change/actions: ");
        assertThat(point.seen).isEmpty();
    }

    @Test
    void aRunTaskBeforeThePlanFailsSayingWhereToAttachIt() throws IOException {
        byte[] body = new String(request("post-plan-request.json"), StandardCharsets.UTF_8)
                .replace("\"post_plan\"", "\"pre_plan\"")
                .replaceAll("\"plan_json_api_url\": \"[^\"]*\"", "\"plan_json_api_url\": null")
                .getBytes(StandardCharsets.UTF_8);
        trigger(body, sign(body), null, null);
        executor.runAll();
        assertThat(callback().path("data").path("attributes").path("message").asText())
                .isEqualTo("mandate decides plans: attach this run task at the post-plan or pre-apply stage, not 'pre_plan'");
    }

    @Test
    void aCallbackTerraformDoesNotTakeIsSentAgain() throws IOException {
        tfc.stubFor(patch(urlEqualTo(CALLBACK_PATH)).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
        tfc.stubFor(patch(urlEqualTo(CALLBACK_PATH)).inScenario("flaky").whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(200)));
        ExecutorService direct = new HeldExecutor() {
            @Override
            public void execute(Runnable command) {
                command.run();
            }
        };
        RunTaskResource retrying = resource(config(KEY, "", ""), direct);
        byte[] body = request("post-plan-request.json");

        retrying.trigger(body, sign(body), null, null, null, null, null, null, null);

        await(() -> tfc.findAll(patchRequestedFor(urlEqualTo(CALLBACK_PATH))).size() == 2);
        List<LoggedRequest> patches = tfc.findAll(patchRequestedFor(urlEqualTo(CALLBACK_PATH)));
        assertThat(patches.get(1).getBodyAsString()).isEqualTo(patches.get(0).getBodyAsString());
    }

    @Test
    void aRequestNamingAnotherHostIsRefusedRecordedAndTheTokenNeverSent() throws IOException {
        InMemoryLedger ledger = new InMemoryLedger();
        resource.setLedger(ledger);
        // the same local server under another name: reachable, but not a configured terraform host
        String elsewhere = tfc.baseUrl().replace("localhost", "127.0.0.1");
        byte[] body = new String(request("post-plan-request.json"), StandardCharsets.UTF_8)
                .replace(tfc.baseUrl() + "/api/v2/task-results", elsewhere + "/api/v2/task-results")
                .getBytes(StandardCharsets.UTF_8);

        Response response = trigger(body, sign(body), null, null);

        assertThat(response.getStatus()).isEqualTo(403);
        assertThat(response.getMediaType().toString()).isEqualTo("application/problem+json");
        assertThat(response.getEntity().toString()).contains("task_result_callback_url '" + elsewhere
                + "/api/v2/task-results/5ea8d46c-2ceb-42cd-83f2-82e54697bddd/callback' names host '127.0.0.1', which "
                + "is not a configured terraform host (localhost)").doesNotContain(TOKEN);
        assertThat(executor.held).isEmpty();
        executor.runAll();
        assertThat(tfc.findAll(anyRequestedFor(anyUrl()))).as("nothing fetched, nothing called back").isEmpty();
        assertThat(ledger.records()).singleElement().satisfies(r -> {
            assertThat(r.type()).isEqualTo(RunTaskResource.REFUSED);
            assertThat(r.payload()).containsEntry("run", "run-i3Df5to9ELvibKpQ")
                    .containsEntry("workspace", "logistics-prod").containsEntry("actor", "tfc:acme/logistics-prod");
            assertThat(r.payload().toString()).doesNotContain(TOKEN);
        });
    }

    @Test
    void aPlanUrlOnAnotherHostOrOverPlainHttpIsRefused() throws IOException {
        byte[] body = new String(request("post-plan-request.json"), StandardCharsets.UTF_8)
                .replace(tfc.baseUrl() + "/api/v2/plans", "https://app.terraform.io.attacker.example/api/v2/plans")
                .getBytes(StandardCharsets.UTF_8);
        Response response = trigger(body, sign(body), null, null);
        assertThat(response.getStatus()).isEqualTo(403);
        assertThat(response.getEntity().toString()).contains("plan_json_api_url", "'app.terraform.io.attacker.example'");

        RunTaskResource strict = resource(config(KEY, "", "", new String[] {"localhost"}, false), executor);
        byte[] plain = request("post-plan-request.json");
        Response refused = strict.trigger(plain, sign(plain), null, null, null, null, null, null, null);
        assertThat(refused.getStatus()).isEqualTo(403);
        assertThat(refused.getEntity().toString()).contains("is not https");

        assertThat(executor.held).isEmpty();
        assertThat(tfc.findAll(anyRequestedFor(anyUrl()))).isEmpty();
    }

    @Test
    void byDefaultOnlyHcpTerraformOverHttpsIsTrusted() {
        TerraformHosts hosts = TerraformHosts.of(new String[] {"app.terraform.io"}, false);
        assertThat(hosts.refusal("u", "https://app.terraform.io/api/v2/task-results/x/callback")).isEmpty();
        assertThat(hosts.refusal("u", "https://APP.terraform.io:443/api/v2/plans/p/json-output")).isEmpty();
        assertThat(hosts.refusal("u", "http://app.terraform.io/api")).hasValueSatisfying(r -> assertThat(r)
                .endsWith("is not https"));
        assertThat(hosts.refusal("u", "https://evil-app.terraform.io/api")).isPresent();
        assertThat(hosts.refusal("u", "https://terraform.io/api")).isPresent();
        assertThat(hosts.refusal("u", "https://app.terraform.io.evil.example/api")).isPresent();
        assertThat(hosts.refusal("u", "https://app.terraform.io@evil.example/api")).hasValueSatisfying(r -> assertThat(r)
                .endsWith("carries user info"));
        assertThat(hosts.refusal("u", "not a url")).isPresent();
        assertThat(TerraformHosts.of(new String[] {"app.terraform.io, tfe.acme.example"}, false).hosts())
                .containsExactly("app.terraform.io", "tfe.acme.example");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> TerraformHosts.of(new String[] {"*.terraform.io"}, false))
                .withMessage("terraform host '*.terraform.io' is no bare host name (no scheme, port, path or wildcard)");
    }

    private static void await(BooleanSupplier condition) {
        Instant deadline = Instant.now().plusSeconds(10);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("condition within 10 s").isBefore(deadline);
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }

    static RunTaskConfig config(String key, String actor, String team) {
        return config(key, actor, team, new String[] {"localhost"}, true);
    }

    static RunTaskConfig config(String key, String actor, String team, String[] hosts, boolean allowHttp) {
        return new RunTaskConfig() {
            @Override
            public String[] hosts() {
                return hosts;
            }

            @Override
            public boolean allowHttp() {
                return allowHttp;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return RunTaskConfig.class;
            }

            @Override
            public String hmacKey() {
                return key;
            }

            @Override
            public String actor() {
                return actor;
            }

            @Override
            public String kind() {
                return "SYSTEM";
            }

            @Override
            public String team() {
                return team;
            }

            @Override
            public int timeoutSeconds() {
                return 10;
            }

            @Override
            public int callbackAttempts() {
                return 3;
            }
        };
    }
}
