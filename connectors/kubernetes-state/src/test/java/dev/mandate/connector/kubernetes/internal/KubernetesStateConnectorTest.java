package dev.mandate.connector.kubernetes.internal;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.mandate.api.connector.ConnectorState;
import dev.mandate.api.connector.ObservationSink;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.Relation;
import dev.mandate.api.model.RelationType;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The connector against a local HTTP server playing the API server (WireMock replaying list responses). */
class KubernetesStateConnectorTest {

    private static final String TOKEN = "eyJhbGciOiJSUzI1NiIsImtpZCI6InNhIn0.service-account";

    /** What the connector reported. */
    private static final class RecordingSink implements ObservationSink {
        final List<Element> elements = new ArrayList<>();
        final List<Relation> relations = new ArrayList<>();

        @Override
        public void element(Element element) {
            elements.add(element);
        }

        @Override
        public void relation(Relation relation) {
            relations.add(relation);
        }

        @Override
        public void absent(String elementId) {
            throw new AssertionError("a full collection reports no absences");
        }
    }

    @TempDir
    Path dir;

    private WireMockServer api;
    private final RecordingSink sink = new RecordingSink();

    @BeforeEach
    void start() {
        api = new WireMockServer(options().dynamicPort());
        api.start();
        serve("/api/v1/namespaces", null, "namespaces.json");
        serve("/apis/apps/v1/deployments", null, "deployments-page1.json");
        serve("/apis/apps/v1/deployments",
                "eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6NDgyMTMsInN0YXJ0IjoiZGVmYXVsdC9uZ2lueFx1MDAwMCJ9",
                "deployments-page2.json");
        serve("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", null, "clusterrolebindings.json");
    }

    @AfterEach
    void stop() {
        api.stop();
    }

    private void serve(String path, String continueToken, String file) {
        var request = get(urlPathEqualTo(path)).withQueryParam("limit", equalTo("1"));
        if (continueToken != null) {
            request = request.withQueryParam("continue", equalTo(continueToken));
        }
        api.stubFor(request.atPriority(continueToken == null ? 5 : 1).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(resource(file))));
    }

    private static String resource(String name) {
        try (InputStream in = KubernetesStateConnectorTest.class.getResourceAsStream("/api/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private KubernetesStateConnector connector(String... resources) throws IOException {
        Path token = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        return new KubernetesStateConnector(config("prod-eu", api.baseUrl(), token.toString(), resources),
                HttpClient.newHttpClient());
    }

    @Test
    void everyListedObjectBecomesAnElementUnderTheWebhooksIdWithItsNamespace() throws Exception {
        KubernetesStateConnector connector = connector("apps/v1/deployments", "v1/namespaces",
                "rbac.authorization.k8s.io/v1/clusterrolebindings");

        connector.collect(sink);

        assertThat(sink.elements).extracting(Element::id).containsExactly(
                "k8s:core:namespace:prod-eu:_cluster:default",
                "k8s:core:namespace:prod-eu:_cluster:payments-cde",
                "k8s:apps:deployment:prod-eu:default:nginx",
                "k8s:apps:deployment:prod-eu:payments-cde:checkout",
                "k8s:rbac.authorization.k8s.io:clusterrolebinding:prod-eu:_cluster:cluster-admin");
        Element checkout = sink.elements.get(3);
        assertThat(checkout.kind()).isEqualTo("k8s:apps:deployment");
        assertThat(checkout.provider()).isEqualTo("k8s");
        assertThat(checkout.environment()).as("from the namespace").isEqualTo("prod");
        assertThat(checkout.trustZone()).as("from the namespace").isEqualTo("pci-cde");
        assertThat(checkout.owner()).as("its own label wins").isEqualTo("team-checkout");
        assertThat(checkout.attributes()).containsEntry("apiVersion", "apps/v1").containsEntry("kind", "Deployment")
                .containsEntry("namespace", "payments-cde").containsKey("spec").doesNotContainKey("status");
        Element nginx = sink.elements.get(2);
        assertThat(nginx.environment()).isNull();
        assertThat(nginx.attributes().get("annotations")).isEqualTo(Map.of("deployment.kubernetes.io/revision", "1"));
        Element binding = sink.elements.get(4);
        assertThat(binding.attributes()).containsKeys("roleRef", "subjects").doesNotContainKey("namespace");
        assertThat(sink.relations).containsExactly(
                Relation.of(RelationType.CONTAINS, "k8s:core:namespace:prod-eu:_cluster:default",
                        "k8s:apps:deployment:prod-eu:default:nginx"),
                Relation.of(RelationType.CONTAINS, "k8s:core:namespace:prod-eu:_cluster:payments-cde",
                        "k8s:apps:deployment:prod-eu:payments-cde:checkout"));
        api.verify(2, getRequestedFor(urlPathEqualTo("/apis/apps/v1/deployments"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN)));
        assertThat(connector.status().state()).isEqualTo(ConnectorState.OK);
        assertThat(connector.status().message()).isEqualTo("5 objects of cluster 'prod-eu'");
    }

    @Test
    void aListTheServiceAccountMayNotReadFailsTheWholeCollection() throws Exception {
        api.stubFor(get(urlPathEqualTo("/api/v1/services")).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json").withBody(resource("forbidden.json"))));
        KubernetesStateConnector connector = connector("v1/namespaces", "v1/services", "apps/v1/deployments");

        assertThatThrownBy(() -> connector.collect(sink)).isInstanceOf(IOException.class)
                .hasMessage("listing v1/services answered 403: services is forbidden: User "
                        + "\"system:serviceaccount:mandate-system:mandate\" cannot list resource \"services\" in API "
                        + "group \"\" at the cluster scope");
        assertThat(sink.elements).as("nothing of a partial listing is reported").isEmpty();
        assertThat(connector.status().state()).isEqualTo(ConnectorState.ERROR);
    }

    @Test
    void aBadConfigurationFailsActivationSayingWhat() {
        assertThatThrownBy(() -> new KubernetesStateConnector(config("", api.baseUrl(), "", "v1/namespaces"),
                HttpClient.newHttpClient())).hasMessageContaining("needs the 'cluster' name");
        assertThatThrownBy(() -> new KubernetesStateConnector(config("prod", "kubernetes:6443", "", "v1/namespaces"),
                HttpClient.newHttpClient())).hasMessageContaining("needs an 'apiServer' URL, not 'kubernetes:6443'");
        assertThatThrownBy(() -> new KubernetesStateConnector(config("prod", api.baseUrl(), "", "deployments"),
                HttpClient.newHttpClient())).hasMessage("resource 'deployments' is not <group>/<version>/<resource> "
                        + "(core: v1/<resource>)");
        assertThatThrownBy(() -> KubernetesStateConnector.trusting(dir.resolve("missing.pem")))
                .hasMessageStartingWith("cannot read the CA file");
    }

    static KubernetesStateConnectorConfig config(String cluster, String apiServer, String tokenFile,
            String... resources) {
        return new KubernetesStateConnectorConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return KubernetesStateConnectorConfig.class;
            }

            @Override
            public String cluster() {
                return cluster;
            }

            @Override
            public String apiServer() {
                return apiServer;
            }

            @Override
            public String tokenFile() {
                return tokenFile;
            }

            @Override
            public String caFile() {
                return "";
            }

            @Override
            public String id() {
                return "";
            }

            @Override
            public String[] resources() {
                return resources;
            }

            @Override
            public int pageSize() {
                return 1;
            }

            @Override
            public int interval() {
                return 300;
            }

            @Override
            public int timeoutSeconds() {
                return 10;
            }
        };
    }
}
