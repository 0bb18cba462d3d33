package dev.mandate.itests;

import static org.junit.Assert.assertEquals;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The Terraform state connector installed at runtime reads state from an S3 bucket and from an Azure
 * blob container through the AWS and Azure SDK clients embedded in its bundle, and what they hold
 * becomes the BUILT layer over REST. The two services are played by a small HTTP server in the
 * container that answers HEAD and GET the way S3 (path-style) and Azure Blob do, around the real
 * tfstate samples.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TerraformStateIT extends MandateTestSupport {

    private static final Path FIXTURES = Path.of("/work/shared/fixtures/terraform-state");
    private static final String S3_OBJECT = "/tf-states/network.tfstate";
    private static final String BLOB = "/nwtfstate/tfstate/azure.tfstate";
    private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    private HttpServer server;

    @Configuration
    @Override
    public Option[] config() {
        // the AWS SDK's default credential chain reads these; nothing reaches AWS
        return OptionUtils.combine(super.config(),
                systemProperty("aws.accessKeyId").value("AKIAIOSFODNN7EXAMPLE"),
                systemProperty("aws.secretAccessKey").value("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));
    }

    @Before
    public void serveTheStates() throws IOException {
        objects.put(S3_OBJECT, Files.readAllBytes(FIXTURES.resolve("driftctl_aws_vpc.tfstate")));
        objects.put(BLOB, Files.readAllBytes(FIXTURES.resolve("driftctl_azurerm_nsg.tfstate")));
        server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    @After
    public void stop() throws IOException {
        Files.deleteIfExists(config("network"));
        Files.deleteIfExists(config("azure"));
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        byte[] content = objects.get(exchange.getRequestURI().getPath());
        try (exchange) {
            if (content == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            String etag = "\"" + HexFormat.of().formatHex(md5(content)) + "\"";
            var headers = exchange.getResponseHeaders();
            headers.set("ETag", etag);
            headers.set("Last-Modified", "Wed, 25 Nov 2026 18:02:11 GMT");
            headers.set("Content-Type", "application/json");
            if (exchange.getRequestURI().getPath().equals(BLOB)) {
                headers.set("x-ms-blob-type", "BlockBlob");
                headers.set("x-ms-version", "2025-01-05");
                headers.set("x-ms-request-id", "2a0b1c3d-301e-0055-4f6a-3e1f2b000000");
            } else {
                headers.set("x-amz-request-id", "0A49CE4060975EAC");
                headers.set("Server", "AmazonS3");
            }
            if (exchange.getRequestMethod().equals("HEAD")) {
                headers.set("Content-Length", String.valueOf(content.length));
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            exchange.sendResponseHeaders(200, content.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(content);
            }
        }
    }

    private static byte[] md5(byte[] content) {
        try {
            return MessageDigest.getInstance("MD5").digest(content);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path config(String name) {
        return Path.of(System.getProperty("karaf.etc"), "dev.mandate.connector.terraform.state-" + name + ".cfg");
    }

    @Test
    public void statesInS3AndInAnAzureBlobContainerBecomeTheBuiltLayer() throws Exception {
        installAndAssertFeature("mandate-connector-terraform-state");
        String endpoint = "http://localhost:" + server.getAddress().getPort();
        Files.writeString(config("network"), String.join("\n",
                "path = s3:/" + S3_OBJECT, "id = tfstate-network", "interval = 3600", "awsAccount = 111122223333",
                "awsRegion = eu-west-1", "s3Endpoint = " + endpoint, "s3PathStyle = true", "owner = team-network", ""),
                StandardCharsets.UTF_8);
        Files.writeString(config("azure"), String.join("\n",
                "path = " + endpoint + BLOB, "id = tfstate-azure", "interval = 3600",
                "azureSasToken = sv=2024-11-04&sp=r&se=2030-01-01T00:00:00Z&sig=c2lnbmF0dXJl", ""),
                StandardCharsets.UTF_8);

        JsonNode vpc = built("/mandate/v1/elements?kind=aws:ec2:vpc&q=vpc-0a5666c0cfc366714", "tfstate-network");
        assertEquals(vpc.toString(), "aws:ec2:vpc:us-east-1:929327065333:vpc-0a5666c0cfc366714", vpc.path("id").asText());
        JsonNode nsg = built("/mandate/v1/elements?q=acceptanceTestSecurityGroup1", "tfstate-azure");
        assertEquals(nsg.toString(), "azure", nsg.path("provider").asText());
    }

    /** The first element the query finds once it has a BUILT layer from {@code source}. */
    private JsonNode built(String query, String source) {
        HttpResponse<String> page = poll("an element of '" + source + "' in the BUILT layer (" + query + ")",
                () -> get(query), response -> response.statusCode() == 200 && first(json(response), source) != null);
        return first(json(page), source);
    }

    private static JsonNode first(JsonNode page, String source) {
        for (JsonNode item : page.path("items")) {
            if (source.equals(item.path("layers").path("BUILT").path("source").asText())) {
                return item;
            }
        }
        return null;
    }
}
