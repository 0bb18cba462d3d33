package dev.mandate.kernel.reconciler.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.mandate.api.connector.ConnectorState;
import dev.mandate.api.connector.ConnectorStatus;
import dev.mandate.api.connector.Domain;
import dev.mandate.api.connector.ObservationSink;
import dev.mandate.api.connector.StateConnector;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.ElementPage;
import dev.mandate.api.model.ElementQuery;
import dev.mandate.api.model.ModelSnapshot;
import dev.mandate.api.model.ModelStore;
import dev.mandate.api.model.Relation;
import dev.mandate.api.model.RelationType;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Observed data flows (IOM §8): reads a folder of VPC flow log files ({@code *.log}, {@code *.txt}) and
 * of the generic CSV and JSON flow formats ({@code *.csv}, {@code *.json}, {@code *.jsonl}, see
 * {@link GenericFlowParser}) and reports each accepted flow
 * between two known elements as a {@code FLOWS_DATA_TO} relation of the RUNNING layer, aggregated per
 * pair (bytes, packets, flows, protocol/port pairs, first and last seen). Observations are evidence,
 * not authority. An address belongs to the element whose attributes name it ({@code privateIpAddress},
 * {@code publicIpAddress}, {@code private_ip} …); a private address no element names falls back to the
 * record's {@code instance-id}. Flows with an end outside the model are counted, not reported. The
 * service is a {@link StateConnector}, so the reconciler runs it on route {@code connector-<id>} and
 * removes a flow after consecutive complete reads without it (log files rotated away).
 */
@Component(service = {}, immediate = true, configurationPid = FlowLogConnector.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = FlowLogConnectorConfig.class, factory = true)
public final class FlowLogConnector implements StateConnector {
    static final String PID = "dev.mandate.kernel.reconciler.flowlogs";
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern ADDRESS_KEY = Pattern.compile("(?i).*(ip|ipaddress|ip_address|ipv4|address)(es|s)?");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]+)}");
    private static final int MAX_PORTS = 20;

    private final ModelStore model;
    private final String id;
    private final int interval;
    private final FlowLogSource source;
    private volatile ConnectorStatus status = ConnectorStatus.of(ConnectorState.NOT_READY, "not read yet");
    private ServiceRegistration<StateConnector> registration;

    @Activate
    public FlowLogConnector(@Reference ModelStore model, FlowLogConnectorConfig config) {
        this(model, config.id(), config.interval(), source(config));
    }

    /** A folder source, without Config Admin (tests, benchmarks). */
    public FlowLogConnector(ModelStore model, String id, int interval, Path folder) {
        this(model, id, interval, new FolderFlowSource(folder));
    }

    FlowLogConnector(ModelStore model, String id, int interval, FlowLogSource source) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("flow log connector needs an 'id'");
        }
        this.model = model;
        this.id = id.trim();
        this.interval = Math.max(1, interval);
        this.source = source;
    }

    /** {@code s3://bucket/prefix}: the bucket; anything else: a local folder. */
    private static FlowLogSource source(FlowLogConnectorConfig config) {
        String location = resolve(config.folder());
        List<String> s3 = S3FlowSource.parse(location);
        if (s3 == null) {
            return new FolderFlowSource(Path.of(location));
        }
        if (config.retainDays() < 1) {
            throw new IllegalArgumentException("flow log 'retainDays' must be at least 1, was " + config.retainDays());
        }
        String state = config.stateFolder() == null || config.stateFolder().isBlank()
                ? System.getProperty("karaf.data", "data") + "/mandate/flowlogs" : resolve(config.stateFolder());
        String file = config.id().trim().replaceAll("[^A-Za-z0-9._-]", "_") + ".json";
        return new S3FlowSource(s3.get(0), s3.get(1), S3FlowSource.client(config.s3Region(), config.s3Endpoint(),
                config.s3PathStyle()), Path.of(state, file), java.time.Duration.ofDays(config.retainDays()),
                java.time.Clock.systemUTC());
    }

    @Activate
    void activate(BundleContext context) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(ConnectorSlot.INTERVAL_PROPERTY, interval);
        properties.put("mandate.connector.id", id);
        synchronized (this) {
            registration = context.registerService(StateConnector.class, this, properties);
        }
    }

    @Deactivate
    synchronized void deactivate() {
        source.close();
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // unregistered while the bundle stopped
            }
            registration = null;
        }
    }

    private static String resolve(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("flow log connector needs a 'folder' (a path or s3://bucket/prefix)");
        }
        Matcher matcher = PLACEHOLDER.matcher(value.trim());
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String replacement = System.getProperty(matcher.group(1));
            if (replacement == null) {
                throw new IllegalArgumentException("placeholder '" + matcher.group() + "' in folder '" + value
                        + "' names no system property");
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Domain domain() {
        return Domain.NETWORK;
    }

    @Override
    public ConnectorStatus status() {
        return status;
    }

    /** Aggregated flows of one pair of elements. */
    private static final class Pair {
        long bytes;
        long packets;
        long flows;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        final TreeSet<String> ports = new TreeSet<>();
    }

    @Override
    public void collect(ObservationSink sink) throws IOException {
        Map<String, FlowTally> tallies;
        try {
            tallies = source.read();
        } catch (IOException e) {
            status = ConnectorStatus.of(ConnectorState.ERROR, e.getMessage());
            throw e;
        }
        Map<String, String> byAddress = new HashMap<>();
        Map<String, String> byInstance = new HashMap<>();
        index(model.current(), byAddress, byInstance);
        Map<List<String>, Pair> pairs = new LinkedHashMap<>();
        long accepted = 0;
        long rejected = 0;
        long unresolved = 0;
        List<String> malformed = new ArrayList<>();
        for (Map.Entry<String, FlowTally> file : tallies.entrySet()) {
            if (Thread.currentThread().isInterrupted()) {
                throw new IOException("reading flow logs was interrupted");
            }
            FlowTally tally = file.getValue();
            accepted += tally.accepted;
            rejected += tally.rejected;
            String name = file.getKey().substring(file.getKey().lastIndexOf('/') + 1);
            tally.malformed.forEach(problem -> malformed.add(name + " " + problem));
            for (Map.Entry<FlowTally.Key, FlowTally.Counts> entry : tally.flows.entrySet()) {
                FlowTally.Key flow = entry.getKey();
                FlowTally.Counts counts = entry.getValue();
                String from = resolve(flow.src(), flow.instance(), byAddress, byInstance);
                String to = resolve(flow.dst(), flow.instance(), byAddress, byInstance);
                if (from == null || to == null || from.equals(to)) {
                    unresolved += counts.flows;
                    continue;
                }
                Pair pair = pairs.computeIfAbsent(List.of(from, to), key -> new Pair());
                pair.bytes += counts.bytes;
                pair.packets += counts.packets;
                pair.flows += counts.flows;
                pair.first = Math.min(pair.first, counts.first);
                pair.last = Math.max(pair.last, counts.last);
                if (pair.ports.size() < MAX_PORTS) {
                    pair.ports.add(protocol(flow.protocol()) + "/" + flow.dstport());
                }
            }
        }
        for (Map.Entry<List<String>, Pair> entry : pairs.entrySet()) {
            Pair pair = entry.getValue();
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put("observedBy", id);
            properties.put("bytes", pair.bytes);
            properties.put("packets", pair.packets);
            properties.put("flows", pair.flows);
            properties.put("ports", List.copyOf(pair.ports));
            if (pair.first != Long.MAX_VALUE) {
                properties.put("firstSeen", Instant.ofEpochSecond(pair.first).toString());
            }
            if (pair.last != Long.MIN_VALUE) {
                properties.put("lastSeen", Instant.ofEpochSecond(pair.last).toString());
            }
            sink.relation(new Relation(RelationType.FLOWS_DATA_TO, entry.getKey().get(0), entry.getKey().get(1),
                    properties));
        }
        String summary = pairs.size() + " flows between elements from " + tallies.size() + " files (" + accepted
                + " accepted records, " + rejected + " rejected, " + unresolved + " with an end outside the model)";
        status = malformed.isEmpty() ? ConnectorStatus.of(ConnectorState.OK, summary)
                : ConnectorStatus.of(ConnectorState.WARN, summary + "; " + malformed.size() + " malformed: "
                        + malformed.get(0));
    }

    private static String resolve(String address, String instance, Map<String, String> byAddress,
            Map<String, String> byInstance) {
        if (address == null) {
            return null;
        }
        String element = byAddress.get(address);
        if (element == null && instance != null && isPrivate(address)) {
            element = byInstance.get(instance);
        }
        return element;
    }

    static boolean isPrivate(String address) {
        return address.startsWith("10.") || address.startsWith("192.168.")
                || address.matches("172\\.(1[6-9]|2\\d|3[01])\\..*");
    }

    private static String protocol(String number) {
        return switch (number == null ? "" : number) {
            case "6" -> "tcp";
            case "17" -> "udp";
            case "1" -> "icmp";
            default -> number == null ? "any" : number;
        };
    }

    /** Addresses named by element attributes, and EC2 instances by instance id. */
    static void index(ModelSnapshot snapshot, Map<String, String> byAddress, Map<String, String> byInstance) {
        String cursor = null;
        do {
            ElementPage page = snapshot.query(new ElementQuery(null, null, null, null, null, null, cursor, 1000));
            for (Element element : page.items()) {
                if ("aws:ec2:instance".equals(element.kind())) {
                    byInstance.put(element.id().substring(element.id().lastIndexOf(':') + 1), element.id());
                }
                addresses(element.attributes(), element.id(), byAddress, 0);
            }
            cursor = page.nextCursor();
        } while (cursor != null);
    }

    @SuppressWarnings("unchecked")
    private static void addresses(Map<String, Object> attributes, String elementId, Map<String, String> byAddress,
            int depth) {
        if (depth > 3) {
            return;
        }
        for (Map.Entry<String, Object> entry : attributes.entrySet()) {
            Object value = entry.getValue();
            if (value instanceof Map<?, ?> nested) {
                addresses((Map<String, Object>) nested, elementId, byAddress, depth + 1);
            } else if (ADDRESS_KEY.matcher(entry.getKey()).matches()) {
                if (value instanceof String text && IPV4.matcher(text).matches()) {
                    byAddress.putIfAbsent(text, elementId);
                } else if (value instanceof List<?> list) {
                    for (Object item : list) {
                        if (item instanceof String text && IPV4.matcher(text).matches()) {
                            byAddress.putIfAbsent(text, elementId);
                        }
                    }
                }
            }
        }
    }
}
