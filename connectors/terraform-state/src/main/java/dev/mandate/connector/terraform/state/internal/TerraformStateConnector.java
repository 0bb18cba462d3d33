package dev.mandate.connector.terraform.state.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.mandate.api.connector.ConnectorState;
import dev.mandate.api.connector.ConnectorStatus;
import dev.mandate.api.connector.Domain;
import dev.mandate.api.connector.ObservationSink;
import dev.mandate.api.connector.StateConnector;
import dev.mandate.api.model.Element;
import dev.mandate.terraform.ids.IdContext;
import dev.mandate.terraform.ids.TerraformResourceIds;
import dev.mandate.terraform.ids.TerraformState;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link StateConnector} for the BUILT layer: reads one Terraform state (format 4) and reports the
 * managed resources as elements whose ids follow {@code docs/ids.md}, so that what Terraform built and
 * what cloud connectors observe running meet on one element. A factory configuration per state file
 * (PID {@value #PID}). The service carries {@code mandate.connector.layer=BUILT}: the reconciler commits
 * its collections to the BUILT layer, with the same guarantees as for RUNNING (a state that cannot be
 * read or parsed changes nothing; a resource leaves the layer after consecutive complete reads without
 * it). Activation only validates the configuration; the file is read on the reconciler's thread.
 */
@Component(service = {}, immediate = true, configurationPid = TerraformStateConnector.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = TerraformStateConnectorConfig.class, factory = true)
public final class TerraformStateConnector implements StateConnector {
    /** The factory configuration PID. */
    public static final String PID = "dev.mandate.connector.terraform.state";
    static final String INTERVAL_PROPERTY = "mandate.connector.interval";
    static final String LAYER_PROPERTY = "mandate.connector.layer";
    static final String ID_PROPERTY = "mandate.connector.id";
    private static final Logger LOG = LoggerFactory.getLogger(TerraformStateConnector.class);
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]+)}");
    private static final int SHOWN_SKIPPED = 3;

    /** Validated configuration. */
    record Settings(String id, int interval, StateSource source, StateMapper mapper) {
    }

    private final TerraformResourceIds ids = new TerraformResourceIds();
    private final UnaryOperator<String> systemProperties;
    private final Object registrationLock = new Object();
    private volatile Settings settings;
    private volatile ConnectorStatus status = ConnectorStatus.of(ConnectorState.NOT_READY, "not read yet");
    private ServiceRegistration<StateConnector> registration; // guarded by registrationLock

    @Activate
    public TerraformStateConnector(TerraformStateConnectorConfig config) {
        this(config, System::getProperty);
    }

    /** With another source of placeholder values than the system properties (tests). */
    TerraformStateConnector(TerraformStateConnectorConfig config, UnaryOperator<String> systemProperties) {
        this.systemProperties = systemProperties;
        this.settings = settings(config);
    }

    @Activate
    void activate(BundleContext context) {
        synchronized (registrationLock) {
            registration = context.registerService(StateConnector.class, this, serviceProperties());
        }
    }

    @Modified
    void modified(TerraformStateConnectorConfig config) {
        Settings next = settings(config);
        if (!next.id().equals(settings.id())) {
            // the id is the source of the BUILT layer: a new id is a new connector
            throw new IllegalArgumentException("the id of terraform state connector '" + settings.id()
                    + "' cannot change to '" + next.id() + "'; delete the configuration and create another");
        }
        Settings before = settings;
        settings = next;
        close(before.source());
        synchronized (registrationLock) {
            if (registration != null) {
                registration.setProperties(serviceProperties());
            }
        }
    }

    @Deactivate
    void deactivate() {
        close(settings.source());
        synchronized (registrationLock) {
            if (registration != null) {
                try {
                    registration.unregister();
                } catch (IllegalStateException alreadyGone) {
                    // the framework unregistered it while the bundle stopped
                }
                registration = null;
            }
        }
    }

    private static void close(StateSource source) {
        if (source instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.debug("closing the client of '{}' failed", source.location(), e);
            }
        }
    }

    Dictionary<String, Object> serviceProperties() {
        Settings current = settings;
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(INTERVAL_PROPERTY, current.interval());
        properties.put(LAYER_PROPERTY, "BUILT");
        properties.put(ID_PROPERTY, current.id());
        return properties;
    }

    private Settings settings(TerraformStateConnectorConfig config) {
        String raw = config.path();
        if (raw == null || raw.isBlank()) {
            throw new IllegalArgumentException("terraform state connector needs a 'path' to a terraform.tfstate");
        }
        String where = resolve(raw.trim());
        StateSource source = source(where, config);
        String id = config.id() == null || config.id().isBlank() ? defaultId(source) : config.id().trim();
        if (config.interval() < 1) {
            throw new IllegalArgumentException("interval '" + config.interval() + "' of terraform state connector '"
                    + id + "' is not a positive number of seconds");
        }
        IdContext context = new IdContext(config.awsAccount(), config.awsRegion(), config.azureSubscription());
        StateMapper mapper = new StateMapper(ids, context,
                new StateMapper.Defaults(config.environment(), config.owner(), config.trustZone()));
        return new Settings(id, config.interval(), source, mapper);
    }

    /**
     * The source a path names: {@code s3://bucket/key}, an {@code http(s)} URL of an Azure blob, else a
     * local file. Builds no client (that happens on the first read).
     */
    static StateSource source(String where, TerraformStateConnectorConfig config) {
        if (where.startsWith("s3://")) {
            String rest = where.substring("s3://".length());
            int slash = rest.indexOf('/');
            if (slash <= 0 || slash == rest.length() - 1) {
                throw new IllegalArgumentException("path '" + where + "' is not s3://<bucket>/<key>");
            }
            String region = !blank(config.s3Region()) ? config.s3Region().trim()
                    : !blank(config.awsRegion()) ? config.awsRegion().trim() : "us-east-1";
            return new S3ObjectSource(rest.substring(0, slash), rest.substring(slash + 1),
                    S3ObjectSource.client(region, config.s3Endpoint(), config.s3PathStyle()));
        }
        if (where.startsWith("https://") || where.startsWith("http://")) {
            java.net.URI uri;
            try {
                uri = java.net.URI.create(where);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("path '" + where + "' is not a url of an azure blob");
            }
            if (uri.getHost() == null || uri.getPath() == null || uri.getPath().split("/").length < 3) {
                throw new IllegalArgumentException("path '" + where
                        + "' is not https://<account>.blob.core.windows.net/<container>/<blob>");
            }
            return new AzureBlobSource(where, AzureBlobSource.client(where, config.azureSasToken(),
                    config.azureAccountKey()));
        }
        return new LocalFileSource(Path.of(where).toAbsolutePath().normalize());
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    static String defaultId(StateSource source) {
        String location = source instanceof LocalFileSource local ? String.valueOf(local.path().getFileName())
                : source.location();
        String name = location.substring(location.lastIndexOf('/') + 1);
        if (name.isEmpty() || name.equals("null")) {
            name = "state";
        }
        int dot = name.lastIndexOf('.');
        return "tfstate-" + (dot > 0 ? name.substring(0, dot) : name);
    }


    private String resolve(String value) {
        Matcher matcher = PLACEHOLDER.matcher(value);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String replacement = systemProperties.apply(matcher.group(1));
            if (replacement == null) {
                throw new IllegalArgumentException("placeholder '" + matcher.group() + "' in path '" + value
                        + "' names no system property");
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    @Override
    public String id() {
        return settings.id();
    }

    @Override
    public Domain domain() {
        return Domain.CLOUD;
    }

    @Override
    public ConnectorStatus status() {
        return status;
    }

    /**
     * Reads the whole state, then reports every mapped element. A state that is missing, unreadable,
     * not JSON or not format 4 fails the collection (nothing reported is applied).
     */
    @Override
    public void collect(ObservationSink sink) throws IOException {
        Settings current = settings;
        TerraformState state;
        try (InputStream in = current.source().open()) {
            state = TerraformState.read(in);
        } catch (IOException | IllegalArgumentException e) {
            String message = "terraform state '" + current.source().location() + "' cannot be read: " + e.getMessage();
            status = ConnectorStatus.of(ConnectorState.ERROR, message);
            throw new IOException(message, e);
        }
        StateMapper.Result result = current.mapper().map(state);
        for (Element element : result.elements()) {
            sink.element(element);
        }
        if (result.skipped().isEmpty()) {
            status = ConnectorStatus.of(ConnectorState.OK, result.elements().size() + " resources from '"
                    + current.source().location() + "' (terraform " + state.terraformVersion() + ")");
        } else {
            List<String> shown = result.skipped().subList(0, Math.min(SHOWN_SKIPPED, result.skipped().size()));
            status = ConnectorStatus.of(ConnectorState.WARN, result.elements().size() + " resources from '"
                    + current.source().location() + "', " + result.skipped().size() + " skipped: "
                    + String.join("; ", shown));
            LOG.debug("terraform state '{}': skipped {}", current.source().location(), result.skipped());
        }
    }
}
