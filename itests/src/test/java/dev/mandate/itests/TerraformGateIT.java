package dev.mandate.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The Terraform entry points beside the REST gate (see {@link EnforcementIT}), in the distribution, on the
 * pipeline that deletes another team's production database: the standalone CLI jar run as a process against
 * the instance, and the HCP Terraform run task with Terraform played by WireMock in the Maven JVM. Both must
 * answer "needs approval" and name the owner.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TerraformGateIT extends MandateTestSupport {

    private static final String EXAMPLES = "mandate.it.examples";
    private static final String TF_GATE_JAR = "mandate.it.tfGateJar";
    private static final String TFC = "mandate.it.tfc";
    private static final String HMAC_KEY = "it-run-task-key";
    private static final String TOKEN = "it.atlasv1.run-token";

    @Override
    @Configuration
    public Option[] config() {
        List<Option> options = new ArrayList<>(List.of(super.config()));
        Path plan = Path.of(System.getProperty(EXAMPLES), "terraform", "delete-orders-prod.plan.json");
        options.add(systemProperty(EXAMPLES).value(System.getProperty(EXAMPLES)));
        options.add(systemProperty(TF_GATE_JAR).value(System.getProperty(TF_GATE_JAR)));
        options.add(systemProperty(TFC).value(TerraformCloudPeer.start(plan)));
        options.add(editConfigurationFilePut("etc/dev.mandate.enforce.terraform.runtask.cfg", "hmacKey", HMAC_KEY));
        // the local server playing terraform: the token may go to it, over plain http
        options.add(editConfigurationFilePut("etc/dev.mandate.enforce.terraform.runtask.cfg", "hosts", "localhost"));
        options.add(editConfigurationFilePut("etc/dev.mandate.enforce.terraform.runtask.cfg", "allowHttp", "true"));
        return options.toArray(Option[]::new);
    }

    /** A file in the container's data folder, which goes with the container, not in the system temp folder. */
    private static Path scratchFile(String prefix, String suffix) throws IOException {
        return Files.createTempFile(Files.createDirectories(Path.of(System.getProperty("karaf.data"), "tmp")), prefix,
                suffix);
    }

    @Test
    public void theCliJarExitsTwoAndNamesTheOwnerOfTheProductionDatabase() throws Exception {
        DecisionIT.awaitDemoEstate(this);
        Path plan = Path.of(System.getProperty(EXAMPLES), "terraform", "delete-orders-prod.plan.json");
        Path output = scratchFile("tf-gate", ".out");
        Process gate = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                System.getProperty(TF_GATE_JAR), plan.toString(), "--server", baseUrl(), "--actor", "ci-logistics",
                "--kind", "SYSTEM", "--team", "team-logistics", "--justification", "retire orders v1")
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        assertTrue("the gate answers within a minute", gate.waitFor(60, TimeUnit.SECONDS));
        String printed = Files.readString(output, StandardCharsets.UTF_8);

        assertEquals(printed, 2, gate.exitValue());
        assertTrue(printed, printed.startsWith("mandate terraform gate: needs approval (1 change, 0 skipped)"));
        assertTrue(printed, printed.matches("(?s).*module\\.orders\\.aws_db_instance\\.orders +delete +"
                + "aws:rds:db-instance:eu-west-1:111122223333:orders-prod +needs approval +team-payments.*"));
        assertTrue(printed, printed.contains("needs approval from team-payments: apply once approved (exit 2)"));
    }

    @Test
    public void theCliJarExitsThreeOnAMalformedPlanWithWhereItIsWrong() throws Exception {
        Path plan = Files.writeString(scratchFile("malformed", ".json"), "{\"format_version\":\"1.2\","
                + "\"resource_changes\":[{\"address\":\"a.b\",\"type\":\"aws_instance\",\"change\":{\"actions\":\"delete\"}}]}");
        Path output = scratchFile("tf-gate", ".out");
        Process gate = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                System.getProperty(TF_GATE_JAR), plan.toString(), "--server", baseUrl())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        assertTrue(gate.waitFor(60, TimeUnit.SECONDS));
        String printed = Files.readString(output, StandardCharsets.UTF_8);

        assertEquals(printed, 3, gate.exitValue());
        assertTrue(printed, printed.contains("the server answered 400: the terraform plan is malformed at "
                + "/resource_changes/0/change/actions"));
    }

    @Test
    public void theRunTaskFailsTheRunWithTheOwnersApprovalNeeded() throws Exception {
        DecisionIT.awaitDemoEstate(this);
        String tfc = System.getProperty(TFC);
        String payload = """
                {"payload_version":1,"stage":"post_plan","access_token":"%2$s","capabilities":{"outcomes":true},
                 "is_speculative":false,"organization_name":"acme","workspace_name":"logistics-prod",
                 "workspace_id":"ws-2CVbB2Xn9r3R6Gh3","run_id":"run-i3Df5to9ELvibKpQ","run_created_by":"dana",
                 "run_message":"retire the old orders database","task_result_id":"taskrs-2nH5dncYoXaMVQmJ",
                 "task_result_enforcement_level":"mandatory",
                 "plan_json_api_url":"%1$s%3$s","task_result_callback_url":"%1$s%4$s"}"""
                .formatted(tfc, TOKEN, "/api/v2/plans/plan-6AFmRJW1PFJ7qbAh/json-output",
                        "/api/v2/task-results/5ea8d46c-2ceb-42cd-83f2-82e54697bddd/callback");
        String path = "/mandate/v1/enforce/terraform/run-task?actor=ci-logistics&team=team-logistics";

        HttpResponse<String> unsigned = post(path, payload, "00");
        assertEquals(unsigned.body(), 401, unsigned.statusCode());
        String elsewhere = payload.replace(tfc + "/api/v2/task-results", tfc.replace("localhost", "127.0.0.1")
                + "/api/v2/task-results");
        HttpResponse<String> refused = post(path, elsewhere, sign(elsewhere));
        assertEquals(refused.body(), 403, refused.statusCode());
        assertTrue(refused.body(), refused.body().contains("names host '127.0.0.1', which is not a configured "
                + "terraform host (localhost)"));
        HttpResponse<String> accepted = post(path, payload, sign(payload));
        assertEquals(accepted.body(), 200, accepted.statusCode());

        JsonNode patched = poll("the task result PATCHed to terraform", () -> callbacks(tfc),
                found -> found.path("requests").size() > 0).path("requests").path(0);
        assertEquals(patched.path("headers").toString(), "Bearer " + TOKEN, header(patched, "Authorization"));
        JsonNode data = JSON.readTree(patched.path("body").asText()).path("data");
        assertEquals(data.toString(), "failed", data.path("attributes").path("status").asText());
        assertTrue(data.toString(), data.path("attributes").path("message").asText()
                .startsWith("needs approval from team-payments for 1 of 1 change"));
        JsonNode outcome = data.path("relationships").path("outcomes").path("data").path(0).path("attributes");
        assertEquals("module.orders.aws_db_instance.orders", outcome.path("outcome-id").asText());
        assertEquals("team-payments", outcome.path("tags").path("Approvers").path(0).path("label").asText());
    }

    private HttpResponse<String> post(String path, String body, String signature) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .header("Content-Type", "application/json").header("X-TFC-Task-Signature", signature)
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** What WireMock saw PATCHed to the callback URL, through its admin API. */
    private static JsonNode callbacks(String tfc) throws Exception {
        HttpResponse<String> found = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(tfc + "/__admin/requests/find")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"method\":\"PATCH\",\"url\":\""
                        + "/api/v2/task-results/5ea8d46c-2ceb-42cd-83f2-82e54697bddd/callback\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(found.body());
    }

    /** A header of a request WireMock logged, whatever the case of its name (HTTP/2 names are lower case). */
    private static String header(JsonNode request, String name) {
        var fields = request.path("headers").fields();
        while (fields.hasNext()) {
            var field = fields.next();
            if (field.getKey().equalsIgnoreCase(name)) {
                return field.getValue().isArray() ? field.getValue().path(0).asText() : field.getValue().asText();
            }
        }
        return null;
    }

    private static String sign(String body) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA512");
        mac.init(new SecretKeySpec(HMAC_KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA512"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }
}
