package dev.mandate.kernel.intent.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.cel.runtime.CelFunctionResolver;
import dev.mandate.api.model.Element;

/**
 * Which blueprints of one generation apply to an element: an index by kind, provider and
 * environment that leaves only the {@code appliesTo.match} conditions to evaluate.
 *
 * <p>For each (kind, provider, environment) an element shows, the blueprints whose lists admit it
 * are computed once, on first use, and split into those that apply outright and those with a
 * condition; a lookup is three hash lookups plus the conditions of that bucket. The number of
 * buckets is bounded by the combinations the estate holds (kinds × providers × environments seen),
 * not by the number of elements. Thread-safe; immutable apart from the bucket cache.
 */
final class Applicability {

    /** The blueprints of one bucket, in name order: those that apply outright and those with a condition. */
    private record Bucket(List<CompiledBlueprint> outright, List<CompiledBlueprint> conditional) {
    }

    private static final String NONE = "";

    private final List<CompiledBlueprint> blueprints;
    private final Map<String, Map<String, Map<String, Bucket>>> buckets = new ConcurrentHashMap<>();

    /** @param blueprints the blueprints in force (shadow versions are left out) */
    Applicability(Collection<CompiledBlueprint> blueprints) {
        List<CompiledBlueprint> sorted = new ArrayList<>();
        for (CompiledBlueprint blueprint : blueprints) {
            if (!blueprint.shadow()) {
                sorted.add(blueprint);
            }
        }
        sorted.sort(Comparator.comparing(CompiledBlueprint::name));
        this.blueprints = List.copyOf(sorted);
    }

    /**
     * The blueprints that apply to this element, in name order. A condition that errors does not
     * select (the evaluation of a request reports such errors; this lookup does not).
     */
    List<CompiledBlueprint> applying(Element element, CelFunctionResolver functions, Instant now) {
        Bucket bucket = bucket(orNone(element.kind()), orNone(element.provider()), orNone(element.environment()));
        if (bucket.conditional().isEmpty()) {
            return bucket.outright();
        }
        Map<String, Object> variables = Map.of("element", Activation.element(element), "now", now);
        List<CompiledBlueprint> applying = new ArrayList<>(bucket.outright().size() + bucket.conditional().size());
        applying.addAll(bucket.outright());
        for (CompiledBlueprint blueprint : bucket.conditional()) {
            try {
                if (Boolean.TRUE.equals(blueprint.match().eval(variables, functions))) {
                    applying.add(blueprint);
                }
            } catch (Exception e) {
                // does not select
            }
        }
        if (!bucket.outright().isEmpty() && applying.size() > bucket.outright().size()) {
            applying.sort(Comparator.comparing(CompiledBlueprint::name));
        }
        return applying;
    }

    /** Whether any blueprint applies to this element (stops at the first). */
    boolean governed(Element element, CelFunctionResolver functions, Instant now) {
        Bucket bucket = bucket(orNone(element.kind()), orNone(element.provider()), orNone(element.environment()));
        if (!bucket.outright().isEmpty()) {
            return true;
        }
        if (bucket.conditional().isEmpty()) {
            return false;
        }
        Map<String, Object> variables = Map.of("element", Activation.element(element), "now", now);
        for (CompiledBlueprint blueprint : bucket.conditional()) {
            try {
                if (Boolean.TRUE.equals(blueprint.match().eval(variables, functions))) {
                    return true;
                }
            } catch (Exception e) {
                // does not select
            }
        }
        return false;
    }

    private Bucket bucket(String kind, String provider, String environment) {
        return buckets.computeIfAbsent(kind, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(provider, p -> new ConcurrentHashMap<>())
                .computeIfAbsent(environment, e -> build(kind, provider, environment));
    }

    private Bucket build(String kind, String provider, String environment) {
        List<CompiledBlueprint> outright = new ArrayList<>();
        List<CompiledBlueprint> conditional = new ArrayList<>();
        for (CompiledBlueprint blueprint : blueprints) {
            if ((blueprint.kinds().isEmpty() || blueprint.kinds().contains(kind))
                    && blueprint.selects(provider, environment)) {
                (blueprint.match() == null ? outright : conditional).add(blueprint);
            }
        }
        return new Bucket(List.copyOf(outright), List.copyOf(conditional));
    }

    private static String orNone(String value) {
        return value == null ? NONE : value;
    }
}
