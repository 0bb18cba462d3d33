package dev.mandate.kernel.reconciler.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import dev.mandate.api.intent.IntendedState;
import dev.mandate.api.intent.IntentService;
import dev.mandate.api.model.ChangeSet;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.ElementPage;
import dev.mandate.api.model.ElementQuery;
import dev.mandate.api.model.Layer;
import dev.mandate.api.model.LayerState;
import dev.mandate.api.model.ModelSnapshot;
import dev.mandate.api.model.ModelUnavailableException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Materialises the INTENDED layer from the blueprints in force (IOM §16): every element that some
 * source observes (RUNNING) or built (BUILT) and that a blueprint's {@code appliesTo} selects gets an
 * INTENDED layer with the binding ({@code mandate:binding.blueprints}) and the blueprints' variations
 * ({@code mandate:variations}, per attribute path), its source {@code intent:<name>@<version>,...}.
 * An element no blueprint selects any longer, or that no source reports any longer, loses it.
 *
 * <p>Route {@code intent-layer} runs when the intent in force changed (all elements) or the model has
 * a new revision (only the elements that revision touched, from {@link ModelChanges}; everything
 * when that is not known). Only this class writes the INTENDED layer; connectors cannot (the
 * scheduler refuses the layer and {@code intent:} ids, the model refuses other sources).
 */
@Component(immediate = true, configurationPid = "dev.mandate.kernel.reconciler.intent")
@Designate(ocd = IntentLayer.Config.class)
public final class IntentLayer {
    static final String ROUTE_ID = "intent-layer";
    static final String SOURCE_PREFIX = "intent:";
    static final String BINDING = "mandate:binding";
    static final String VARIATIONS = "mandate:variations";
    /** Elements per commit, so that a change of the intent in force on a large estate is no single huge write. */
    static final int BATCH = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(IntentLayer.class);

    /** Configuration (PID {@code dev.mandate.kernel.reconciler.intent}). */
    @ObjectClassDefinition(name = "Mandate intended layer", description = "Writes what the blueprints in force "
            + "intend for each observed element into the model's INTENDED layer")
    public @interface Config {
        @AttributeDefinition(name = "Check interval", description = "Milliseconds between checks for a new revision "
                + "or a change of the intent in force (route 'intent-layer')", min = "50")
        long intervalMillis() default 500;
    }

    private final ModelChanges model;
    private final IntentService intent;
    private final RouteHost routes;

    // guarded by this
    private long checkedRevision = -1;
    private long checkedGeneration = -1;

    @Activate
    public IntentLayer(@Reference ModelChanges model, @Reference IntentService intent, @Reference RouteHost routes,
            Config config) {
        this(model, intent, routes);
        long interval = Math.max(50, config.intervalMillis());
        routes.schedule(ROUTE_ID, "write the intended layer from the blueprints in force", interval, interval,
                this::check);
    }

    /** Without a route: the caller runs {@link #check} (tests). */
    IntentLayer(ModelChanges model, IntentService intent, RouteHost routes) {
        this.model = model;
        this.intent = intent;
        this.routes = routes;
    }

    @Deactivate
    void close() {
        routes.remove(ROUTE_ID);
    }

    /** One tick: brings the INTENDED layer up to date; returns the error line, or null. */
    synchronized String check() {
        ModelSnapshot snapshot;
        try {
            snapshot = model.current();
        } catch (ModelUnavailableException e) {
            return "waiting for the model: " + e.getMessage();
        }
        long generation = intent.generation();
        if (generation == checkedGeneration && snapshot.revision() == checkedRevision) {
            return null;
        }
        Set<String> touched = generation == checkedGeneration && checkedRevision >= 0
                ? model.touched(checkedRevision, snapshot.revision()) : null;
        Map<String, List<Element>> upserts = new TreeMap<>();
        List<String> withdrawals = new ArrayList<>();
        if (touched == null) {
            String cursor = null;
            do {
                ElementPage page = snapshot.query(new ElementQuery(null, null, null, null, null, null, cursor, 1000));
                page.items().forEach(element -> plan(element, upserts, withdrawals));
                cursor = page.nextCursor();
            } while (cursor != null);
        } else {
            for (String id : touched) {
                snapshot.element(id).ifPresent(element -> plan(element, upserts, withdrawals));
            }
        }
        try {
            int written = 0;
            for (Map.Entry<String, List<Element>> group : upserts.entrySet()) {
                List<Element> elements = group.getValue();
                for (int from = 0; from < elements.size(); from += BATCH) {
                    model.commit(new ChangeSet(group.getKey(), Layer.INTENDED,
                            elements.subList(from, Math.min(elements.size(), from + BATCH)), List.of(), List.of(),
                            List.of()));
                }
                written += elements.size();
            }
            for (int from = 0; from < withdrawals.size(); from += BATCH) {
                model.commit(new ChangeSet(SOURCE_PREFIX + "withdrawn", Layer.INTENDED, List.of(),
                        withdrawals.subList(from, Math.min(withdrawals.size(), from + BATCH)), List.of(), List.of()));
            }
            if (written > 0 || !withdrawals.isEmpty()) {
                LOG.info("intended layer at intent generation {}: {} elements bound or rebound, {} withdrawn",
                        generation, written, withdrawals.size());
            }
        } catch (ModelUnavailableException | IllegalArgumentException e) {
            return "the model did not take the intended layer: " + e.getMessage();
        }
        checkedGeneration = generation;
        checkedRevision = snapshot.revision(); // the next check also sees its own commits: they plan nothing new
        return null;
    }

    private void plan(Element element, Map<String, List<Element>> upserts, List<String> withdrawals) {
        LayerState current = element.layers().get(Layer.INTENDED);
        boolean observed = element.layers().containsKey(Layer.RUNNING) || element.layers().containsKey(Layer.BUILT);
        Optional<IntendedState> state = Optional.empty();
        if (observed) {
            try {
                state = intent.intended(element);
            } catch (RuntimeException e) {
                LOG.warn("what the blueprints intend for '{}' could not be worked out: {}", element.id(), e.getMessage());
                return; // keep what it has; the next change of intent tries again
            }
        }
        if (state.isEmpty()) {
            if (current != null) {
                withdrawals.add(element.id());
            }
            return;
        }
        IntendedState intended = state.get();
        Map<String, Object> attributes = attributes(intended);
        if (current != null && current.source().equals(intended.source()) && current.attributes().equals(attributes)) {
            return;
        }
        upserts.computeIfAbsent(intended.source(), key -> new ArrayList<>()).add(new Element(element.id(),
                element.kind(), element.provider(), element.environment(), element.trustZone(), element.owner(),
                element.labels(), attributes, Map.of()));
    }

    /** The INTENDED layer's attributes: the binding and the variations. */
    static Map<String, Object> attributes(IntendedState intended) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put(BINDING, Map.of("blueprints", intended.blueprints()));
        if (!intended.variations().isEmpty()) {
            attributes.put(VARIATIONS, new TreeMap<>(intended.variations()));
        }
        return attributes;
    }
}
