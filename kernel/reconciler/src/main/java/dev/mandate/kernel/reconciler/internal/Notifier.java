package dev.mandate.kernel.reconciler.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.mandate.api.evidence.EvidenceLedger;
import dev.mandate.api.evidence.EvidenceRecord;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * Sends what needs people's attention to the Camel endpoints in its configuration, as CloudEvents
 * 1.0 in structured JSON mode ({@code Content-Type: application/cloudevents+json}): drift findings
 * opened and cleared, grant mismatches, and approvals opened or escalated (decisions that need a
 * human). The events come from the evidence ledger, so what is announced is what was recorded; the
 * event id is the record's hash, its type {@code dev.mandate.<record type>} ({@code
 * dev.mandate.drift.opened}), its data the record's payload. Route {@code notify} reads the records
 * appended since the previous tick; each endpoint has its own position and gets every event at least
 * once, in ledger order: an endpoint that fails is tried again from the same event at the next tick,
 * without holding up the others. Announcements start at the ledger's head when the component starts
 * (history is not replayed). Without endpoints nothing is sent.
 */
@Component(immediate = true, configurationPid = Notifier.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = Notifier.Config.class)
public final class Notifier {
    static final String PID = "dev.mandate.kernel.reconciler.notify";
    static final String ROUTE_ID = "notify";
    static final String CONTENT_TYPE = CloudEvents.CONTENT_TYPE;
    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);

    /** Configuration (PID {@value #PID}). */
    @ObjectClassDefinition(name = "Mandate notifications", description = "Sends drift findings and approvals that need "
            + "a human as CloudEvents to Camel endpoints")
    public @interface Config {
        @AttributeDefinition(name = "Endpoints", description = "Camel endpoint URIs, e.g. "
                + "http://hooks.example/mandate or log:dev.mandate.notifications?level=INFO")
        String[] endpoints() default {};

        @AttributeDefinition(name = "Record types", description = "Evidence record types announced")
        String[] types() default {"drift.opened", "drift.cleared", "grant.mismatch", "approval.opened",
            "approval.escalated"};

        @AttributeDefinition(name = "Source", description = "The CloudEvents source attribute of this instance")
        String source() default "urn:mandate:reconciler";

        @AttributeDefinition(name = "Interval", description = "Milliseconds between reads of the ledger", min = "100")
        long intervalMillis() default 1000;

        @AttributeDefinition(name = "Batch", description = "At most this many records read per endpoint and tick",
                min = "1")
        int batch() default 200;
    }

    private final EvidenceLedger ledger;
    private final RouteHost routes;
    private final List<String> endpoints;
    private final Set<String> types;
    private final String source;
    private final int batch;
    private final Map<String, Long> positions = new LinkedHashMap<>(); // guarded by this; next sequence per endpoint
    private final Map<String, String> errors = new LinkedHashMap<>(); // guarded by this

    @Activate
    public Notifier(@Reference EvidenceLedger ledger, @Reference RouteHost routes, Config config) {
        this(ledger, routes, List.of(config.endpoints()), Set.of(config.types()), config.source(), config.batch());
        if (!endpoints.isEmpty()) {
            long interval = Math.max(100, config.intervalMillis());
            routes.schedule(ROUTE_ID, "send findings and approvals as cloudevents to " + endpoints.size()
                    + " endpoints", interval, interval, this::check);
        }
    }

    /** Without a route: the caller runs {@link #check} (tests). */
    Notifier(EvidenceLedger ledger, RouteHost routes, List<String> endpoints, Set<String> types, String source,
            int batch) {
        this.ledger = ledger;
        this.routes = routes;
        this.endpoints = endpoints.stream().map(String::trim).filter(uri -> !uri.isEmpty()).distinct().toList();
        this.types = Set.copyOf(types);
        this.source = source == null || source.isBlank() ? "urn:mandate:reconciler" : source.trim();
        this.batch = Math.max(1, batch);
    }

    @Deactivate
    void close() {
        routes.remove(ROUTE_ID);
    }

    /** One tick: sends what each endpoint has not had yet. Returns the error line, or null. */
    synchronized String check() {
        if (positions.isEmpty()) {
            long start = ledger.head().map(record -> record.sequence() + 1).orElse(1L);
            endpoints.forEach(uri -> positions.put(uri, start));
        }
        for (String uri : endpoints) {
            deliver(uri);
        }
        List<String> failing = new ArrayList<>();
        errors.forEach((uri, error) -> failing.add("'" + uri + "': " + error));
        return failing.isEmpty() ? null : "notifications waiting for " + String.join("; ", failing);
    }

    private void deliver(String uri) {
        long next = positions.get(uri);
        List<EvidenceRecord> page;
        do {
            page = ledger.read(next, batch);
            for (EvidenceRecord record : page) {
                if (types.contains(record.type())) {
                    try {
                        routes.send(uri, event(record), CloudEvents.headers(uri, record));
                    } catch (Exception e) {
                        String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                        if (!error.equals(errors.put(uri, error))) {
                            LOG.warn("notification {} to '{}' failed; tried again from it: {}", record.sequence(), uri,
                                    error);
                        }
                        positions.put(uri, next);
                        return;
                    }
                }
                next = record.sequence() + 1;
            }
            positions.put(uri, next);
        } while (page.size() == batch);
        errors.remove(uri);
    }

    /** The record as a CloudEvent 1.0 in structured JSON mode. */
    String event(EvidenceRecord record) throws JsonProcessingException {
        return CloudEvents.event(record, source);
    }
}
