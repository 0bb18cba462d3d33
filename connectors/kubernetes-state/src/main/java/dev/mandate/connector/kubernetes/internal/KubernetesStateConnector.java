package dev.mandate.connector.kubernetes.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import dev.mandate.api.connector.ConnectorState;
import dev.mandate.api.connector.ConnectorStatus;
import dev.mandate.api.connector.Domain;
import dev.mandate.api.connector.ObservationSink;
import dev.mandate.api.connector.StateConnector;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.Relation;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;

/**
 * A {@link StateConnector} for one Kubernetes cluster: lists the configured resources from the API server
 * (paged, with a service account's bearer token) and reports every object as an element of the RUNNING layer
 * under the id the admission webhook decides on, so updates and deletes of existing objects meet an element
 * the model holds. A factory configuration per cluster (PID {@value #PID}). A list that fails makes the
 * whole collection fail: the reconciler then keeps what it had. Activation only validates the configuration
 * (the CA file is read then); the API server is called on the reconciler's thread.
 */
@Component(service = {}, immediate = true, configurationPid = KubernetesStateConnector.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = KubernetesStateConnectorConfig.class, factory = true)
public final class KubernetesStateConnector implements StateConnector {

    /** The factory configuration PID. */
    public static final String PID = "dev.mandate.connector.kubernetes";

    private final String id;
    private final String cluster;
    private final int interval;
    private final List<ResourceType> resources;
    private final ClusterLister lister;
    private volatile ConnectorStatus status = ConnectorStatus.of(ConnectorState.NOT_READY, "not listed yet");
    private ServiceRegistration<StateConnector> registration;

    @Activate
    public KubernetesStateConnector(KubernetesStateConnectorConfig config) {
        this(config, httpClient(config));
    }

    KubernetesStateConnector(KubernetesStateConnectorConfig config, HttpClient http) {
        if (config.cluster() == null || config.cluster().isBlank()) {
            throw new IllegalArgumentException("kubernetes state connector needs the 'cluster' name used in element ids");
        }
        this.cluster = config.cluster().trim();
        this.id = config.id() == null || config.id().isBlank() ? "k8s-" + cluster : config.id().trim();
        if (config.apiServer() == null || !config.apiServer().trim().matches("https?://.+")) {
            throw new IllegalArgumentException("kubernetes state connector '" + id + "' needs an 'apiServer' URL, not '"
                    + config.apiServer() + "'");
        }
        if (config.interval() < 1 || config.pageSize() < 1 || config.timeoutSeconds() < 1) {
            throw new IllegalArgumentException("interval, pageSize and timeoutSeconds of kubernetes state connector '"
                    + id + "' must be positive");
        }
        List<ResourceType> parsed = new ArrayList<>();
        for (String resource : config.resources()) {
            parsed.add(ResourceType.parse(resource));
        }
        // namespaces first: their labels are inherited by the objects in them
        parsed.sort(Comparator.comparing(r -> !(r.group().isEmpty() && "namespaces".equals(r.resource()))));
        this.resources = List.copyOf(parsed);
        this.interval = config.interval();
        this.lister = new ClusterLister(http, URI.create(config.apiServer().trim()), token(config.tokenFile()),
                config.pageSize(), Duration.ofSeconds(config.timeoutSeconds()));
    }

    @Activate
    void activate(BundleContext context) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("mandate.connector.interval", interval);
        properties.put("mandate.connector.layer", "RUNNING");
        properties.put("mandate.connector.id", id);
        registration = context.registerService(StateConnector.class, this, properties);
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework unregistered it while the bundle stopped
            }
            registration = null;
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Domain domain() {
        return Domain.CLOUD;
    }

    @Override
    public ConnectorStatus status() {
        return status;
    }

    @Override
    public void collect(ObservationSink sink) throws Exception {
        ObjectElements mapper = new ObjectElements(cluster);
        List<Element> elements = new ArrayList<>();
        List<Relation> relations = new ArrayList<>();
        try {
            for (ResourceType resource : resources) {
                lister.list(resource, list -> {
                    String kind = ObjectElements.itemKind(list);
                    String apiVersion = list.path("apiVersion").asText(resource.toString());
                    list.path("items").forEach(item -> {
                        Element element = mapper.element(resource.group(), apiVersion, kind, item);
                        elements.add(element);
                        Relation contained = mapper.containment(element);
                        if (contained != null) {
                            relations.add(contained);
                        }
                    });
                });
            }
        } catch (IOException | RuntimeException e) {
            status = ConnectorStatus.of(ConnectorState.ERROR, "cluster '" + cluster + "': " + e.getMessage());
            throw e;
        }
        // only a complete listing is reported: a partial one would look like deletions
        elements.forEach(sink::element);
        relations.forEach(sink::relation);
        status = ConnectorStatus.of(ConnectorState.OK, elements.size() + " objects of cluster '" + cluster + "'");
    }

    private static Supplier<String> token(String tokenFile) {
        if (tokenFile == null || tokenFile.isBlank()) {
            return () -> null;
        }
        Path file = Path.of(tokenFile.trim());
        // read at each call: projected service account tokens are rotated on disk
        return () -> {
            try {
                return Files.readString(file, StandardCharsets.UTF_8).trim();
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the token file '" + file + "': " + e.getMessage(), e);
            }
        };
    }

    private static HttpClient httpClient(KubernetesStateConnectorConfig config) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(
                Math.max(1, config.timeoutSeconds())));
        if (config.caFile() != null && !config.caFile().isBlank()) {
            builder.sslContext(trusting(Path.of(config.caFile().trim())));
        }
        return builder.build();
    }

    /** An SSL context trusting exactly the certificates of a PEM file (the cluster's CA). */
    static SSLContext trusting(Path pem) {
        try {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(pem)));
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("the CA file '" + pem + "' holds no certificate");
            }
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                trusted.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, trust.getTrustManagers(), null);
            return tls;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the CA file '" + pem + "': " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the CA file '" + pem + "' is not a PEM certificate: " + e.getMessage(), e);
        }
    }
}
