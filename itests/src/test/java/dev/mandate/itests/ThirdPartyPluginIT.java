package dev.mandate.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A vendor's bundle, built against the api alone (itests/third-party-plugin), plugs into every SPI
 * of the running distribution without a kernel change: its StateConnector feeds the model, its
 * blueprint pack (found through the Mandate-Blueprints header) uses its ConstraintFunction, its
 * EnforcementAdapter serves its own endpoint through the EnforcementPoint, and its EvidenceSink
 * receives the ledger. Uninstalling it withdraws all of that but the elements it reported.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ThirdPartyPluginIT extends MandateTestSupport {

    private static final String PLUGIN = "mandate.it.pluginBundle";
    private static final String GOLD = "acme:cmdb:server:dc1:srv-001";
    private static final String SILVER = "acme:cmdb:server:dc1:srv-102";

    /** The distribution as the other tests boot it, told where the vendor's bundle file is. */
    @Override
    @Configuration
    public Option[] config() {
        List<Option> options = new ArrayList<>(List.of(super.config()));
        options.add(systemProperty(PLUGIN).value(System.getProperty(PLUGIN)));
        return options.toArray(Option[]::new);
    }

    @Test
    public void aVendorBundlePlugsIntoEverySpiAndLeavesCleanly() throws Exception {
        DecisionIT.awaitDemoEstate(this);
        String location = Path.of(System.getProperty(PLUGIN)).toUri().toString();
        Bundle plugin = bundleContext.installBundle(location);
        plugin.start();

        // StateConnector: the reconciler found it and committed what it reported
        poll("the vendor's three elements in the model", () -> json(get("/mandate/v1/elements?provider=acme")),
                page -> page.path("total").asInt() == 3);

        // blueprint pack in the bundle, with the vendor's CEL function
        poll("the vendor's blueprint in force", () -> get("/mandate/v1/blueprints/acme-servers"),
                response -> response.statusCode() == 200);
        JsonNode goldDelete = json(postJson("/mandate/v1/decisions", delete(GOLD)));
        assertEquals(goldDelete.toString(), "DENY", goldDelete.path("outcome").asText());
        assertTrue(goldDelete.toString(), cites(goldDelete, "acme-servers@1.0.0#keep-gold"));
        JsonNode silverDelete = json(postJson("/mandate/v1/decisions", delete(SILVER)));
        assertTrue("acmeTier() says srv-102 is silver: " + silverDelete, !cites(silverDelete, "acme-servers@1.0.0#keep-gold"));

        // EnforcementAdapter behind the vendor's own endpoint
        HttpResponse<String> release = postText("/acme/v1/release", "restart " + SILVER);
        assertEquals(release.body(), 200, release.statusCode());
        JsonNode released = json(release);
        assertEquals(released.toString(), "ALLOW", released.path("outcome").asText());
        String enforcementEvidence = released.path("evidence").asText();
        assertTrue(released.toString(), enforcementEvidence.startsWith("sha256:"));
        HttpResponse<String> malformed = postText("/acme/v1/release", "restart");
        assertEquals(400, malformed.statusCode());
        assertEquals("/0", json(malformed).path("pointer").asText());

        // EvidenceSink: the enforcement record reaches the vendor's archive
        Path archive = Path.of(System.getProperty("karaf.data"), "acme-evidence.log");
        poll("the enforcement record in the vendor's evidence archive", () -> read(archive),
                text -> text.contains(enforcementEvidence) && text.contains(" enforcement "));

        // uninstall: its blueprint and endpoint go, the elements it reported stay
        plugin.uninstall();
        poll("the vendor's blueprint withdrawn", () -> get("/mandate/v1/blueprints/acme-servers"),
                response -> response.statusCode() == 404);
        poll("the vendor's endpoint gone", () -> postText("/acme/v1/release", "restart " + SILVER),
                response -> response.statusCode() == 404);
        assertEquals(3, json(get("/mandate/v1/elements?provider=acme")).path("total").asInt());
        JsonNode afterwards = json(postJson("/mandate/v1/decisions", delete(GOLD)));
        assertTrue(afterwards.toString(), !cites(afterwards, "acme-servers@1.0.0#keep-gold"));
    }

    private static String delete(String target) {
        return "{\"actor\":{\"id\":\"alice\",\"kind\":\"HUMAN\",\"team\":\"team-acme\"},\"action\":\"delete\","
                + "\"target\":\"" + target + "\",\"justification\":\"decommission\"}";
    }

    private static boolean cites(JsonNode decision, String source) {
        for (JsonNode reason : decision.path("reasons")) {
            if (source.equals(reason.path("source").asText())) {
                return true;
            }
        }
        return false;
    }

    private static HttpResponse<String> postText(String path, String body) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "text/plain")
                    .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
