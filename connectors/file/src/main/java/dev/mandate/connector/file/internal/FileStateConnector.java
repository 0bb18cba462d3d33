package dev.mandate.connector.file.internal;

import dev.mandate.api.connector.ConnectorState;
import dev.mandate.api.connector.ConnectorStatus;
import dev.mandate.api.connector.Domain;
import dev.mandate.api.connector.ObservationSink;
import dev.mandate.api.connector.StateConnector;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.Relation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 * A {@link StateConnector} that reads an inventory folder of YAML and JSON files (the demo estate,
 * or an export of a CMDB) and reports its elements and relations as one full snapshot.
 *
 * <p>Configured by PID {@value #PID} (configuration required: the distribution ships
 * {@code etc/dev.mandate.connector.file.cfg}; deleting it removes the connector). The component
 * registers its {@link StateConnector} service itself so that it can publish
 * {@value #INTERVAL_PROPERTY} (the reconciler's schedule, seconds) next to the configuration and
 * update it in place on reconfiguration. Activation only validates the configuration; the folder is
 * read on the reconciler's thread in {@link #collect}.
 */
@Component(service = {}, immediate = true, configurationPid = FileStateConnector.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = FileStateConnectorConfig.class)
public final class FileStateConnector implements StateConnector {
    /** The configuration PID. */
    public static final String PID = "dev.mandate.connector.file";
    /** Service property: seconds between full collections (an {@link Integer}). */
    public static final String INTERVAL_PROPERTY = "mandate.connector.interval";
    /** Service property: the connector id. */
    public static final String ID_PROPERTY = "mandate.connector.id";
    /** Service property: the connector domain name. */
    public static final String DOMAIN_PROPERTY = "mandate.connector.domain";

    private static final Logger LOG = LoggerFactory.getLogger(FileStateConnector.class);
    private static final int DEFAULT_INTERVAL = 300;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]+)}");
    private static final int SHOWN_SKIPPED = 3;

    private final InventoryReader reader = new InventoryReader();
    private final UnaryOperator<String> systemProperties;
    private final Object registrationLock = new Object();

    /** The current configuration; replaced whole on reconfiguration. */
    private volatile Settings settings;
    private volatile ConnectorStatus status;
    private volatile List<SkippedEntry> lastSkipped = List.of();
    private ServiceRegistration<StateConnector> registration; // guarded by registrationLock

    /** Validated configuration: {@code problem} is non-null when it cannot be used. */
    record Settings(String id, Domain domain, int interval, Path folder, String problem) {
    }

    @Activate
    public FileStateConnector(FileStateConnectorConfig config) {
        this(config, System::getProperty);
    }

    /** With another source of placeholder values than the system properties (tests). */
    FileStateConnector(FileStateConnectorConfig config, UnaryOperator<String> systemProperties) {
        this.systemProperties = systemProperties;
        apply(config);
    }

    @Activate
    void activate(BundleContext context) {
        synchronized (registrationLock) {
            registration = context.registerService(StateConnector.class, this, serviceProperties(settings));
        }
    }

    @Modified
    void modified(FileStateConnectorConfig config) {
        apply(config);
        synchronized (registrationLock) {
            if (registration != null) {
                registration.setProperties(serviceProperties(settings));
            }
        }
    }

    @Deactivate
    void deactivate() {
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

    @Override
    public String id() {
        return settings.id();
    }

    @Override
    public Domain domain() {
        return settings.domain();
    }

    @Override
    public ConnectorStatus status() {
        return status;
    }

    /** The service properties for the current configuration. */
    Dictionary<String, Object> serviceProperties() {
        return serviceProperties(settings);
    }

    /**
     * Reads the whole folder, then reports every element and relation. Fails (and reports nothing
     * usable) when the configuration is invalid, the folder is missing, or any file is malformed.
     */
    @Override
    public void collect(ObservationSink sink) throws Exception {
        Settings current = settings;
        if (current.problem() != null) {
            throw new IllegalStateException(current.problem());
        }
        Inventory inventory;
        try {
            inventory = reader.read(current.folder());
        } catch (InventoryFormatException | IOException | RuntimeException e) {
            setStatus(current, ConnectorStatus.of(ConnectorState.ERROR, e.getMessage()));
            throw e;
        }
        for (Element element : inventory.elements()) {
            sink.element(element);
        }
        for (Relation relation : inventory.relations()) {
            sink.relation(relation);
        }
        setStatus(current, summary(current, inventory));
        logSkipped(inventory.skipped());
    }

    private ConnectorStatus summary(Settings current, Inventory inventory) {
        String counts = "collected " + inventory.elements().size() + " elements and " + inventory.relations().size()
                + " relations from " + inventory.files() + " files in '" + current.folder() + "'";
        if (inventory.files() == 0) {
            return ConnectorStatus.of(ConnectorState.WARN, "no inventory files (*.yaml, *.yml, *.json) in '"
                    + current.folder() + "': the estate it reports is empty");
        }
        List<SkippedEntry> skipped = inventory.skipped();
        if (skipped.isEmpty()) {
            return ConnectorStatus.of(ConnectorState.OK, counts);
        }
        StringBuilder message = new StringBuilder(counts).append("; skipped ").append(skipped.size())
                .append(skipped.size() == 1 ? " entry: " : " entries: ");
        for (int i = 0; i < Math.min(SHOWN_SKIPPED, skipped.size()); i++) {
            message.append(i == 0 ? "" : "; ").append(skipped.get(i));
        }
        if (skipped.size() > SHOWN_SKIPPED) {
            message.append("; and ").append(skipped.size() - SHOWN_SKIPPED).append(" more");
        }
        return ConnectorStatus.of(ConnectorState.WARN, message.toString());
    }

    private void logSkipped(List<SkippedEntry> skipped) {
        // warn when the set of skipped entries changes, not on every scheduled run
        boolean changed = !skipped.equals(lastSkipped);
        lastSkipped = skipped;
        for (SkippedEntry entry : skipped) {
            if (changed) {
                LOG.warn("inventory entry skipped: {}", entry);
            } else {
                LOG.debug("inventory entry skipped: {}", entry);
            }
        }
    }

    /** Sets the status unless the configuration changed since {@code basis} was read. */
    private void setStatus(Settings basis, ConnectorStatus next) {
        if (settings == basis) {
            status = next;
        }
    }

    private void apply(FileStateConnectorConfig config) {
        Settings next = validate(config);
        settings = next;
        lastSkipped = List.of();
        if (next.problem() != null) {
            LOG.error("file connector '{}' is misconfigured: {}", next.id(), next.problem());
            status = ConnectorStatus.of(ConnectorState.ERROR, next.problem());
        } else if (!Files.isDirectory(next.folder())) {
            // not fatal: collections fail (keeping what the model had) until the folder appears
            String problem = "inventory folder '" + next.folder() + "' does not exist or is not a folder (set 'path' in"
                    + " configuration '" + PID + "')";
            LOG.error("file connector '{}': {}", next.id(), problem);
            status = ConnectorStatus.of(ConnectorState.ERROR, problem);
        } else {
            status = ConnectorStatus.of(ConnectorState.NOT_READY,
                    "waiting for the first collection of '" + next.folder() + "'");
        }
    }

    private Settings validate(FileStateConnectorConfig config) {
        String id = config.id() == null || config.id().isBlank() ? "file" : config.id().strip();
        Domain domain = config.domain() == null ? Domain.CLOUD : config.domain();
        int interval = config.interval();
        if (config.id() == null || config.id().isBlank()) {
            return new Settings(id, domain, DEFAULT_INTERVAL, null, "connector id is missing in configuration '"
                    + PID + "'");
        }
        if (interval < 1) {
            return new Settings(id, domain, DEFAULT_INTERVAL, null,
                    "interval must be at least 1 second, got '" + interval + "'");
        }
        String raw = config.path();
        if (raw == null || raw.isBlank()) {
            return new Settings(id, domain, interval, null, "inventory path is missing in configuration '" + PID + "'");
        }
        StringBuilder resolved = new StringBuilder();
        Matcher placeholder = PLACEHOLDER.matcher(raw.strip());
        while (placeholder.find()) {
            String value = systemProperties.apply(placeholder.group(1));
            if (value == null) {
                return new Settings(id, domain, interval, null, "inventory path '" + raw
                        + "' names system property '" + placeholder.group(1) + "', which is not set");
            }
            placeholder.appendReplacement(resolved, Matcher.quoteReplacement(value));
        }
        placeholder.appendTail(resolved);
        Path folder;
        try {
            folder = Path.of(resolved.toString()).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            return new Settings(id, domain, interval, null, "inventory path '" + resolved + "' is not a valid path");
        }
        return new Settings(id, domain, interval, folder, null);
    }

    private static Dictionary<String, Object> serviceProperties(Settings settings) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(INTERVAL_PROPERTY, settings.interval());
        properties.put(ID_PROPERTY, settings.id());
        properties.put(DOMAIN_PROPERTY, settings.domain().name());
        return properties;
    }
}
