package dev.mandate.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

/**
 * Drift over REST in a running instance: the demo estate is bound to the blueprints in force (no
 * element is unmanaged), a pack installed at runtime binds its kind with its variations, and a
 * change dropped into the file connector's folder shows up as a diverged finding that clears when
 * reality returns to intent; both are announced as CloudEvents to a webhook through the embedded
 * Camel's http endpoint.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DriftIT extends MandateTestSupport {

    static final String BUCKET = "aws:s3:bucket:eu-west-1:111122223333:nw-drift-it";
    static final String FINDING = "diverged:" + BUCKET + "#publicAccessBlock.blockPublicAcls";
    private static final String INVENTORY = """
            apiVersion: mandate.dev/v1
            kind: Inventory
            metadata: {name: drift-it, description: one bucket whose public access block the test flips}
            elements:
            - id: %s
              kind: aws:s3:bucket
              provider: aws
              environment: prod
              trustZone: eu-internal
              owner: team-platform
              attributes:
                publicAccessBlock:
                  blockPublicAcls: %s
                  ignorePublicAcls: true
                  blockPublicPolicy: true
                  restrictPublicBuckets: true
                encryption: {sseAlgorithm: "aws:kms"}
            """;

    /** Where the webhook that receives the notifications listens: chosen by the driver, read in the container. */
    private static final String WEBHOOK_PORT = "mandate.it.webhook.port";
    private static final List<String> RECEIVED = new CopyOnWriteArrayList<>();
    private static HttpServer webhook;

    @Configuration
    @Override
    public Option[] config() {
        // collect the inventory folder every 2 s instead of every 5 minutes; announce findings to a webhook
        int port = freeWebhookPort();
        return OptionUtils.combine(super.config(),
                systemProperty(WEBHOOK_PORT).value(String.valueOf(port)),
                editConfigurationFilePut("etc/dev.mandate.connector.file.cfg", "interval", "2"),
                editConfigurationFilePut("etc/dev.mandate.kernel.reconciler.notify.cfg", "endpoints",
                        "http://localhost:" + port + "/hooks/mandate"),
                editConfigurationFilePut("etc/dev.mandate.kernel.reconciler.notify.cfg", "intervalMillis", "500"));
    }

    private static int freeWebhookPort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Before
    public void demoEstateLoaded() throws IOException {
        DecisionIT.awaitDemoEstate(this);
        synchronized (DriftIT.class) {
            if (webhook == null) {
                webhook = HttpServer.create(new InetSocketAddress("localhost", Integer.getInteger(WEBHOOK_PORT)), 0);
                webhook.createContext("/hooks/mandate", exchange -> {
                    try (exchange) {
                        String type = exchange.getRequestHeaders().getFirst("Content-Type");
                        RECEIVED.add(type + "\n" + new String(exchange.getRequestBody().readAllBytes(),
                                StandardCharsets.UTF_8));
                        exchange.sendResponseHeaders(202, -1);
                    }
                });
                webhook.start();
            }
        }
    }

    @After
    public void removeTheBucket() throws IOException {
        Files.deleteIfExists(inventoryFile());
    }

    @Test
    public void theDemoEstateIsBoundToTheBaselineSoNothingIsUnmanaged() {
        HttpResponse<String> drift = poll("no unmanaged finding (every demo element bound to the baseline)",
                () -> get("/mandate/v1/drift?kind=unmanaged"),
                response -> response.statusCode() == 200 && json(response).path("count").asInt() == 0
                        && json(response).path("revision").asLong() > 0);
        assertEquals(drift.body(), 0, json(drift).path("findings").size());

        JsonNode element = json(get("/mandate/v1/elements/" + DecisionIT.ORDERS_PROD));
        assertTrue(element.toString(), element.path("layers").path("INTENDED").path("source").asText()
                .matches("intent:.*baseline-data-protection@.*"));
    }

    @Test
    public void aChangeDroppedIntoTheConnectorFolderIsDivergedUntilRealityReturnsToIntent() throws Exception {
        installAndAssertFeature("mandate-blueprints-aws-landing-zone");
        write(false);

        HttpResponse<String> opened = poll("finding '" + FINDING + "' over REST",
                () -> get("/mandate/v1/drift?kind=diverged&class=aws:s3"),
                response -> response.statusCode() == 200 && finding(json(response)) != null);
        JsonNode finding = finding(json(opened));
        assertEquals(finding.toString(), "INTENDED", finding.path("rightLayer").asText());
        assertEquals(finding.toString(), "true", finding.path("expected").asText());
        assertEquals(finding.toString(), "false", finding.path("actual").asText());
        assertTrue(finding.toString(), finding.path("message").asText().contains("aws-s3-public-access@"));
        assertEquals(finding.toString(), "team-platform", finding.path("owner").asText());
        // the shell answers too, right after the pack's install (no bundle of the kernel or shell restarted)
        String shell = executeCommand("mandate:drift --class aws:s3");
        assertTrue(shell, shell.contains(BUCKET) && shell.contains("publicAccessBlock.blockPublicAcls"));

        String event = poll("a cloudevent dev.mandate.drift.opened for '" + FINDING + "' at the webhook",
                () -> RECEIVED.stream().filter(body -> body.contains("\"dev.mandate.drift.opened\"")
                        && body.contains(FINDING)).findFirst().orElse(null), body -> body != null);
        assertTrue(event, event.startsWith("application/cloudevents+json"));
        JsonNode cloudEvent = JSON.readTree(event.substring(event.indexOf('\n') + 1));
        assertEquals(event, "1.0", cloudEvent.path("specversion").asText());
        assertEquals(event, BUCKET, cloudEvent.path("subject").asText());
        assertEquals(event, "INTENDED", cloudEvent.path("data").path("rightLayer").asText());

        write(true);
        poll("finding '" + FINDING + "' cleared", () -> get("/mandate/v1/drift?kind=diverged&class=aws:s3"),
                response -> response.statusCode() == 200 && finding(json(response)) == null);
        poll("a cloudevent dev.mandate.drift.cleared for '" + FINDING + "' at the webhook",
                () -> RECEIVED.stream().anyMatch(body -> body.contains("\"dev.mandate.drift.cleared\"")
                        && body.contains(FINDING)), received -> received);
    }

    private static JsonNode finding(JsonNode drift) {
        for (JsonNode finding : drift.path("findings")) {
            if (FINDING.equals(finding.path("id").asText())) {
                return finding;
            }
        }
        return null;
    }

    private static Path inventoryFile() {
        return Path.of(System.getProperty("karaf.etc"), "mandate", "inventory", "drift-it.yaml");
    }

    /** Writes the bucket's inventory atomically, so the connector never reads half a file. */
    private static void write(boolean blockPublicAcls) throws IOException {
        Path target = inventoryFile();
        Path temporary = target.resolveSibling("drift-it.tmp");
        Files.writeString(temporary, INVENTORY.formatted(BUCKET, blockPublicAcls), StandardCharsets.UTF_8);
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
