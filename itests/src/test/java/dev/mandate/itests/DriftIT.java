package dev.mandate.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

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

/**
 * Drift over REST in a running instance: the demo estate is bound to the blueprints in force (no
 * element is unmanaged), a pack installed at runtime binds its kind with its variations, and a
 * change dropped into the file connector's folder shows up as a diverged finding that clears when
 * reality returns to intent.
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

    @Configuration
    @Override
    public Option[] config() {
        // collect the inventory folder every 2 s instead of every 5 minutes
        return OptionUtils.combine(super.config(),
                editConfigurationFilePut("etc/dev.mandate.connector.file.cfg", "interval", "2"));
    }

    @Before
    public void demoEstateLoaded() {
        DecisionIT.awaitDemoEstate(this);
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

        write(true);
        poll("finding '" + FINDING + "' cleared", () -> get("/mandate/v1/drift?kind=diverged&class=aws:s3"),
                response -> response.statusCode() == 200 && finding(json(response)) == null);
        String shell = executeCommand("mandate:drift --class aws:s3");
        assertTrue(shell, !shell.contains(BUCKET + "#publicAccessBlock.blockPublicAcls"));
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
