package dev.mandate.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The admission webhook as the API server calls it: over HTTPS, with the certificate configured in Pax Web
 * (a PKCS12 keystore made by keytool for this run), trusted by the caller through that certificate alone.
 * Every shared AdmissionReview sample goes through a real TLS handshake; a Deployment into a namespace of the
 * cardholder-data environment, derived from the sample Deployment, is refused with the PCI pack's reason.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class KubernetesWebhookTlsIT extends MandateTestSupport {

    private static final String FIXTURES = "mandate.it.fixtures";
    private static final String KEYSTORE = "mandate.it.tls.keystore";
    private static final String SECURE_PORT = "mandate.it.tls.port";
    private static final String PASSWORD = "webhook-store-secret";
    private static final String ADMISSION = "/mandate/v1/enforce/kubernetes/admission";
    private static final String PCI_NAMESPACE = "payments-cde";

    @Override
    @Configuration
    public Option[] config() {
        Path keystore = keystore();
        String securePort = String.valueOf(freePort());
        List<Option> options = new ArrayList<>(List.of(super.config()));
        options.add(systemProperty(FIXTURES).value(System.getProperty(FIXTURES)));
        options.add(systemProperty(KEYSTORE).value(keystore.toString()));
        options.add(systemProperty(SECURE_PORT).value(securePort));
        String pax = "etc/org.ops4j.pax.web.cfg";
        options.add(editConfigurationFilePut(pax, "org.osgi.service.http.secure.enabled", "true"));
        options.add(editConfigurationFilePut(pax, "org.osgi.service.http.port.secure", securePort));
        options.add(editConfigurationFilePut(pax, "org.ops4j.pax.web.ssl.keystore", keystore.toString()));
        options.add(editConfigurationFilePut(pax, "org.ops4j.pax.web.ssl.keystore.type", "PKCS12"));
        options.add(editConfigurationFilePut(pax, "org.ops4j.pax.web.ssl.keystore.password", PASSWORD));
        options.add(editConfigurationFilePut(pax, "org.ops4j.pax.web.ssl.key.password", PASSWORD));
        options.add(editConfigurationFilePut(pax, "org.ops4j.pax.web.ssl.key.alias", "mandate-webhook"));
        options.add(editConfigurationFilePut(pax, "org.ops4j.pax.web.ssl.protocols.included", "TLSv1.3, TLSv1.2"));
        options.add(editConfigurationFilePut("etc/dev.mandate.enforce.kubernetes.cfg", "namespaces",
                PCI_NAMESPACE + ": environment=prod, trustZone=pci-cde, podSecurity=restricted, owner=team-payments"));
        return options.toArray(Option[]::new);
    }

    /** A self-signed certificate for localhost, made with the JDK's keytool in the Maven JVM. */
    private static Path keystore() {
        try {
            Path folder = Files.createDirectories(Path.of(System.getProperty("mandate.it.unpackDirectory"), "..", "tls"));
            Path keystore = folder.resolve("webhook-" + System.nanoTime() + ".p12").toAbsolutePath().normalize();
            Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-alias", "mandate-webhook", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                    "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", PASSWORD,
                    "-keypass", PASSWORD).redirectErrorStream(true).start();
            String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
            return keystore;
        } catch (IOException e) {
            throw new IllegalStateException("cannot make the webhook's keystore: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making the webhook's keystore", e);
        }
    }

    /** Trusts exactly the webhook's certificate, as the API server trusts its caBundle. */
    private static HttpClient tlsClient() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(System.getProperty(KEYSTORE)))) {
            store.load(in, PASSWORD.toCharArray());
        }
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("webhook", store.getCertificate("mandate-webhook"));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10)).build();
    }

    private static HttpResponse<String> review(HttpClient client, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + System.getProperty(SECURE_PORT)
                + ADMISSION)).header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String wrapped(String file) throws IOException {
        String text = Files.readString(Path.of(System.getProperty(FIXTURES), "k8s-admission", file));
        JsonNode sample = JSON.readTree(text);
        if (sample.has("request")) {
            return text;
        }
        return "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":" + text + "}";
    }

    @Test
    public void everySampleReviewIsAnsweredOverTlsWithItsUidEchoed() throws Exception {
        installAndAssertFeature("mandate-enforce-kubernetes");
        installAndAssertFeature("mandate-blueprints-kubernetes");
        HttpClient client = tlsClient();
        List<Path> samples;
        try (Stream<Path> files = Files.list(Path.of(System.getProperty(FIXTURES), "k8s-admission"))) {
            samples = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertEquals(10, samples.size());
        poll("the webhook served over https", () -> review(client, wrapped(samples.get(0).getFileName().toString())),
                response -> response.statusCode() == 200);
        for (Path sample : samples) {
            String body = wrapped(sample.getFileName().toString());
            HttpResponse<String> response = review(client, body);
            assertEquals(sample + ": " + response.body(), 200, response.statusCode());
            JsonNode answer = JSON.readTree(response.body());
            assertEquals(sample.toString(), "AdmissionReview", answer.path("kind").asText());
            assertEquals(sample.toString(), JSON.readTree(body).path("request").path("uid").asText(),
                    answer.path("response").path("uid").asText());
            assertTrue(sample + ": " + answer, answer.path("response").path("allowed").isBoolean());
        }
        JsonNode privileged = JSON.readTree(review(client, wrapped("kw_request_pod_create_privileged_init.json")).body());
        assertFalse(privileged.toString(), privileged.path("response").path("allowed").asBoolean(true));
        assertTrue(privileged.toString(), privileged.path("response").path("status").path("message").asText()
                .contains("k8s-pss-baseline@1.0.0#privileged"));
    }

    @Test
    public void aDeploymentIntoTheCardholderDataEnvironmentIsRefusedWithThePciReason() throws Exception {
        DecisionIT.awaitDemoEstate(this);
        installAndAssertFeature("mandate-enforce-kubernetes");
        installAndAssertFeature("mandate-blueprints-pci-segmentation");
        ObjectNode review = (ObjectNode) JSON.readTree(wrapped("kw_review_v1_deployment_create.json"));
        ObjectNode request = (ObjectNode) review.path("request");
        request.put("namespace", PCI_NAMESPACE);
        ((ObjectNode) request.path("object").path("metadata")).put("namespace", PCI_NAMESPACE);
        HttpClient client = tlsClient();

        // the sample's user holds no decision right in the CDE: the PCI pack falls back to deny
        JsonNode outsider = JSON.readTree(poll("the webhook's answer citing the PCI pack",
                () -> review(client, review.toString()),
                response -> response.statusCode() == 200 && response.body().contains("pci-cde-")).body())
                .path("response");
        assertEquals("12345-67890-abcdef", outsider.path("uid").asText());
        assertFalse(outsider.toString(), outsider.path("allowed").asBoolean(true));
        assertEquals(outsider.toString(), 403, outsider.path("status").path("code").asInt());
        String denial = outsider.path("status").path("message").asText();
        assertTrue(denial, denial.startsWith("mandate denied this change: "));
        assertTrue(denial, denial.contains("'k8s:apps:deployment:default:payments-cde:nginx'"));
        assertTrue(denial, denial.contains("pci-cde-isolation@1.0.0) falls back to deny"));
        assertTrue(outsider.toString(), outsider.path("auditAnnotations").path("evidence").asText().startsWith("sha256:"));

        // a payments engineer may deploy to production, but not into the CDE without a change ticket
        ObjectNode engineer = (ObjectNode) request.path("userInfo");
        engineer.put("username", "dana@northwind.example");
        engineer.putArray("groups").add("system:authenticated").add("grp-payments-engineers");
        JsonNode insider = JSON.readTree(review(client, review.toString()).body()).path("response");
        assertFalse(insider.toString(), insider.path("allowed").asBoolean(true));
        String message = insider.path("status").path("message").asText();
        assertTrue(message, message.contains("pci-cde-isolation@1.0.0#change-ticket: create on "
                + "k8s:apps:deployment:default:payments-cde:nginx in the cardholder-data environment carries no change ticket"));
        assertTrue(insider.toString(), insider.path("warnings").toString().contains("team-payments"));
    }

    @Test
    public void aCallerThatDoesNotTrustTheCertificateCannotTalkToTheWebhook() throws Exception {
        installAndAssertFeature("mandate-enforce-kubernetes");
        HttpClient client = tlsClient();
        poll("the webhook served over https", () -> review(client, wrapped("kw_request_pod_delete.json")),
                response -> response.statusCode() == 200);
        HttpClient untrusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        try {
            review(untrusting, wrapped("kw_request_pod_delete.json"));
            throw new AssertionError("a client without the webhook's certificate completed the handshake");
        } catch (SSLHandshakeException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("PKIX")
                    || expected.getMessage().contains("certificat"));
        }
    }
}
