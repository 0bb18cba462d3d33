package dev.mandate.tools.tfgate;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The gate's main against a local HTTP server playing the Mandate plan gate (WireMock answering with gate
 * reports and problems in the server's shapes), with the shared real plans: what is sent, how the answer is
 * shown, and the exit code.
 */
class TfGateTest {

    private static final Path PLANS = Path.of("/work/shared/fixtures/terraform-plan");
    private static final Path ORDERS_PROD_PLAN = Path.of("../../docs/examples/terraform/delete-orders-prod.plan.json");
    private static final String GATE = "/mandate/v1/enforce/terraform";

    private WireMockServer server;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void start() {
        server = new WireMockServer(options().dynamicPort());
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private int gate(String... args) {
        return gate(Map.of(), new ByteArrayInputStream(new byte[0]), args);
    }

    private int gate(Map<String, String> env, InputStream stdin, String... args) {
        return new TfGate(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), stdin).run(args, env);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private void answer(int status, String contentType, String resource) {
        server.stubFor(post(urlPathEqualTo(GATE)).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", contentType).withBody(resource(resource))));
    }

    private static String resource(String name) {
        try (InputStream in = TfGateTest.class.getResourceAsStream("/reports/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aPlanDeletingAnotherTeamsProductionDatabaseExitsTwoAndNamesTheOwner() throws IOException {
        answer(200, "application/json", "delete-orders-prod.json");

        int exit = gate(ORDERS_PROD_PLAN.toString(), "--server", server.baseUrl(), "--actor", "ci-logistics",
                "--kind", "SYSTEM", "--team", "team-logistics", "--justification", "CHG 42/orders",
                "--token", "s3cret");

        assertThat(exit).isEqualTo(TfGate.NEEDS_APPROVAL);
        server.verify(postRequestedFor(urlPathEqualTo(GATE)).withQueryParam("actor", equalTo("ci-logistics"))
                .withQueryParam("kind", equalTo("SYSTEM")).withQueryParam("team", equalTo("team-logistics"))
                .withQueryParam("justification", equalTo("CHG 42/orders"))
                .withHeader("Authorization", equalTo("Bearer s3cret"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(binaryEqualTo(Files.readAllBytes(ORDERS_PROD_PLAN))));
        List<String> lines = stdout().lines().toList();
        assertThat(lines.get(0)).isEqualTo("mandate terraform gate: needs approval (1 change, 0 skipped)");
        assertThat(lines.get(2)).matches("ADDRESS +ACTION +ELEMENT +OUTCOME +APPROVERS");
        assertThat(lines.get(3)).matches("module\\.orders\\.aws_db_instance\\.orders +delete +"
                + "aws:rds:db-instance:eu-west-1:111122223333:orders-prod +needs approval +team-payments");
        assertThat(lines.get(4)).startsWith("    - mandate#owner-approval: ").contains("team-payments");
        assertThat(stdout()).contains("evidence: sha256:5b1c0f8e")
                .endsWith("needs approval from team-payments: apply once approved (exit 2)" + System.lineSeparator());
        assertThat(stderr()).isEmpty();
    }

    @Test
    void aDeniedChangeExitsOneAndTheTableShowsEveryRowItsReasonsAndTheSkipped() {
        answer(200, "application/json", "sg-rule-update.json");

        int exit = gate(PLANS.resolve("checkov_aws_sg_rule_update.json").toString(), "--server", server.baseUrl() + "/");

        assertThat(exit).isEqualTo(TfGate.DENY);
        assertThat(stdout()).contains("mandate terraform gate: deny (2 changes, 1 skipped)")
                .containsPattern("aws_security_group\\.sg +update +aws:ec2:security-group:\\S+ +allow +-")
                .containsPattern("aws_security_group_rule\\.ingress +update +\\S+sg-547cc4cd5f94bb696 \\[rule\\] +deny +-")
                .contains("    - mandate#unknown-target: ")
                .contains("skipped:\n  random_id.suffix: provider 'random' is not governed".replace("\n",
                        System.lineSeparator()))
                .contains("denied: do not apply the plan (exit 1)");
    }

    @Test
    void anAllowedPlanExitsZeroAndJsonPrintsTheServersAnswerAsItIs() throws IOException {
        answer(200, "application/json", "allow.json");

        int exit = gate(PLANS.resolve("checkov_aws_for_each_tf1.9.json").toString(), "--server", server.baseUrl(),
                "--json");

        assertThat(exit).isEqualTo(TfGate.ALLOW);
        assertThat(new ObjectMapper().readTree(stdout())).isEqualTo(new ObjectMapper().readTree(resource("allow.json")));
    }

    static Stream<Path> plans() throws IOException {
        try (Stream<Path> files = Files.list(PLANS)) {
            return Stream.concat(files.filter(p -> p.toString().endsWith(".json")).sorted().toList().stream(),
                    Stream.of(ORDERS_PROD_PLAN));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plans")
    void everyRealPlanIsSentByteForByteFromAFileOrStandardInput(Path plan) throws IOException {
        answer(200, "application/json", "allow.json");
        byte[] bytes = Files.readAllBytes(plan);

        assertThat(gate(plan.toString(), "--server", server.baseUrl())).isEqualTo(TfGate.ALLOW);
        assertThat(gate(Map.of("MANDATE_SERVER", server.baseUrl()), new ByteArrayInputStream(bytes), "-"))
                .isEqualTo(TfGate.ALLOW);

        server.verify(2, postRequestedFor(urlPathEqualTo(GATE)).withRequestBody(binaryEqualTo(bytes)));
    }

    @Test
    void aMalformedPlanExitsThreeWithTheProblemAndWhereItIsWrong() {
        answer(400, "application/problem+json", "malformed-plan.problem.json");

        int exit = gate(ORDERS_PROD_PLAN.toString(), "--server", server.baseUrl());

        assertThat(exit).isEqualTo(TfGate.ERROR);
        assertThat(stdout()).isEmpty();
        assertThat(stderr()).startsWith("mandate-tf-gate: the server answered 400: the terraform plan is malformed at "
                + "/resource_changes/0/change/actions: actions must be a list");
    }

    @Test
    void withJsonAProblemIsPrintedAsTheServerSentIt() throws IOException {
        answer(400, "application/problem+json", "malformed-plan.problem.json");

        assertThat(gate(ORDERS_PROD_PLAN.toString(), "--server", server.baseUrl(), "--json")).isEqualTo(TfGate.ERROR);
        assertThat(new ObjectMapper().readTree(stdout()).path("errors").path(0).path("pointer").asText())
                .isEqualTo("/resource_changes/0/change/actions");
    }

    @Test
    void anUnreachableServerExitsThree() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        int exit = gate(ORDERS_PROD_PLAN.toString(), "--server", "http://localhost:" + port, "--timeout", "5");

        assertThat(exit).isEqualTo(TfGate.ERROR);
        assertThat(stderr()).startsWith("mandate-tf-gate: cannot reach the mandate server at 'http://localhost:" + port
                + "'");
    }

    @Test
    void aFailingServerOrAnAnswerThatIsNoReportExitsThree() {
        server.stubFor(post(urlPathEqualTo(GATE)).willReturn(aResponse().withStatus(502)
                .withHeader("Content-Type", "text/html").withBody("<html>bad gateway</html>")));
        assertThat(gate(ORDERS_PROD_PLAN.toString(), "--server", server.baseUrl())).isEqualTo(TfGate.ERROR);
        assertThat(stderr()).contains("the server answered 502: <html>bad gateway</html>");

        server.stubFor(post(urlPathEqualTo(GATE)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"elements\":[]}")));
        assertThat(gate(ORDERS_PROD_PLAN.toString(), "--server", server.baseUrl())).isEqualTo(TfGate.ERROR);
        assertThat(stderr()).contains("the server's answer is not a gate report: {\"elements\":[]}");
    }

    @Test
    void theTokenMayComeFromTheEnvironmentOrAFileAndTheServerUrlMayEndInTheApiBase(@TempDir Path dir)
            throws IOException {
        answer(200, "application/json", "allow.json");
        Path tokenFile = Files.writeString(dir.resolve("token"), "from-file\n");

        gate(Map.of("MANDATE_TOKEN", "from-env"), new ByteArrayInputStream(new byte[0]), ORDERS_PROD_PLAN.toString(),
                "--server", server.baseUrl() + "/mandate/v1");
        gate(ORDERS_PROD_PLAN.toString(), "--server=" + server.baseUrl(), "--token-file", tokenFile.toString(),
                "--header", "X-Request-Id: 77");

        server.verify(postRequestedFor(urlPathEqualTo(GATE)).withHeader("Authorization", equalTo("Bearer from-env")));
        server.verify(postRequestedFor(urlPathEqualTo(GATE)).withHeader("Authorization", equalTo("Bearer from-file"))
                .withHeader("X-Request-Id", equalTo("77")));
    }

    @Test
    void badUsageAndAMissingPlanExitThreeWithoutCallingTheServer() {
        assertThat(gate("--server", server.baseUrl())).isEqualTo(TfGate.ERROR);
        assertThat(stderr()).contains("the plan is missing");
        assertThat(gate("plan.json")).isEqualTo(TfGate.ERROR);
        assertThat(stderr()).contains("the server is missing: --server <url> or MANDATE_SERVER");
        assertThat(gate("plan.json", "--server", "ftp://x")).isEqualTo(TfGate.ERROR);
        assertThat(stderr()).contains("the server is an http(s) URL, not 'ftp://x'");
        assertThat(gate("plan.json", "--server", server.baseUrl(), "--colour")).isEqualTo(TfGate.ERROR);
        assertThat(stderr()).contains("unknown option '--colour'");
        assertThat(gate("no-such-plan.json", "--server", server.baseUrl())).isEqualTo(TfGate.ERROR);
        assertThat(stderr()).contains("the plan file 'no-such-plan.json' does not exist");
        assertThat(server.getAllServeEvents()).isEmpty();

        assertThat(gate("--help")).isEqualTo(TfGate.ALLOW);
        assertThat(stdout()).startsWith("usage: java -jar mandate-tf-gate.jar");
    }
}
