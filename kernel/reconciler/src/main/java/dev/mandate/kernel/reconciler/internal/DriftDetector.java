package dev.mandate.kernel.reconciler.internal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import dev.mandate.api.model.Element;
import dev.mandate.api.model.ElementPage;
import dev.mandate.api.model.ElementQuery;
import dev.mandate.api.model.Layer;
import dev.mandate.api.model.LayerState;
import dev.mandate.api.model.ModelSnapshot;
import dev.mandate.kernel.reconciler.DriftKind;

/**
 * Compares the three layers of every element of one revision: what is running but neither built nor
 * intended (unmanaged), what is built or intended but not running (missing, only for providers some
 * source observes running: without a cloud connector for a provider, nothing of it can be seen
 * missing), and attributes that differ (diverged). Only attribute paths that both layers carry are
 * compared: a state file and a cloud API describe the same thing with different sets of attributes.
 * The right value is INTENDED's where the intended layer has the path, else BUILT's. Stateless and
 * thread-safe.
 */
final class DriftDetector {

    /** What one pass found, before severity and evidence. */
    record Candidate(DriftKind kind, String elementId, String elementKind, String owner, String path, Object expected,
            Object actual, String rightLayer, String message, String key, String severity, String severitySource) {

        Candidate(DriftKind kind, String elementId, String elementKind, String owner, String path, Object expected,
                Object actual, String rightLayer, String message) {
            this(kind, elementId, elementKind, owner, path, expected, actual, rightLayer, message, null, null, null);
        }

        /** {@code <kind>:<element>}, {@code diverged:<element>#<path>}, or {@code <kind>:<key>} where a key is given. */
        String id() {
            if (key != null) {
                return kind.wireName() + ":" + key;
            }
            return kind == DriftKind.DIVERGED ? kind.wireName() + ":" + elementId + "#" + path
                    : kind.wireName() + ":" + elementId;
        }
    }

    private final int maxDivergedPerElement;
    private final Set<String> ignoredPaths;

    DriftDetector(int maxDivergedPerElement, Set<String> ignoredPaths) {
        this.maxDivergedPerElement = Math.max(1, maxDivergedPerElement);
        this.ignoredPaths = Set.copyOf(ignoredPaths);
    }

    /** Every unmanaged, missing and diverged candidate of {@code snapshot}, keyed by finding id. */
    Map<String, Candidate> detect(ModelSnapshot snapshot) {
        return detect(snapshot, new LinkedHashMap<>());
    }

    /**
     * Every unmanaged, missing and diverged candidate of {@code snapshot}, keyed by finding id; puts
     * {@code <source>\n<content hash>} of every element's RUNNING layer into {@code runningHashes}.
     */
    Map<String, Candidate> detect(ModelSnapshot snapshot, Map<String, String> runningHashes) {
        return detect(snapshot, runningHashes, new HashMap<>());
    }

    /** As {@link #detect(ModelSnapshot, Map)}, and puts the provider ("" for none) of every running element into {@code providers}. */
    Map<String, Candidate> detect(ModelSnapshot snapshot, Map<String, String> runningHashes,
            Map<String, String> providers) {
        List<Element> all = new ArrayList<>(snapshot.size());
        Set<String> observedProviders = new HashSet<>();
        String cursor = null;
        do {
            ElementPage page = snapshot.query(new ElementQuery(null, null, null, null, null, null, cursor, 1000));
            for (Element element : page.items()) {
                all.add(element);
                LayerState running = element.layers().get(Layer.RUNNING);
                if (running != null) {
                    observedProviders.add(element.provider());
                    runningHashes.put(element.id(), running.source() + "\n" + running.contentHash());
                    providers.put(element.id(), element.provider() == null ? "" : element.provider());
                }
            }
            cursor = page.nextCursor();
        } while (cursor != null);

        Map<String, Candidate> found = new LinkedHashMap<>();
        for (Element element : all) {
            detect(element, observedProviders, found);
        }
        return found;
    }

    /** The unmanaged, missing and diverged candidates of one element, given the providers some source observes. */
    void detect(Element element, Set<String> observedProviders, Map<String, Candidate> found) {
        {
            LayerState running = element.layers().get(Layer.RUNNING);
            LayerState built = element.layers().get(Layer.BUILT);
            LayerState intended = element.layers().get(Layer.INTENDED);
            if (running != null && built == null && intended == null) {
                add(found, new Candidate(DriftKind.UNMANAGED, element.id(), element.kind(), element.owner(), null, null,
                        null, null, "'" + element.id() + "' runs (observed by '" + running.source()
                                + "') but no infrastructure as code built it and no blueprint intends it"));
            } else if (running == null && (built != null || intended != null && !bindingOnly(intended))
                    && observedProviders.contains(element.provider())) {
                LayerState claim = built != null ? built : intended;
                add(found, new Candidate(DriftKind.MISSING, element.id(), element.kind(), element.owner(), null, null,
                        null, built != null ? Layer.BUILT.name() : Layer.INTENDED.name(),
                        "'" + element.id() + "' is " + (built != null ? "built (by '" : "intended (by '") + claim.source()
                                + "') but not observed running"));
            } else if (running != null) {
                diverged(found, element, running, built, intended);
            }
        }
    }

    private void diverged(Map<String, Candidate> found, Element element, LayerState running, LayerState built,
            LayerState intended) {
        Object variations = intended == null ? null : intended.attributes().get(IntentLayer.VARIATIONS);
        if (intended == null || bindingAndVariationsOnly(intended)) {
            // the common case (the INTENDED layer only binds blueprints): BUILT against RUNNING, walked in
            // place; paths are spelled out only for a difference
            if (built != null) {
                walk("", built.attributes(), running.attributes(), found, element, new int[1]);
            }
            if (variations instanceof Map<?, ?> allowed && !allowed.isEmpty()) {
                outsideVariations(found, element, flatten(running.attributes()), allowed);
            }
            return;
        }
        Map<String, Object> actual = flatten(running.attributes());
        Map<String, Object> expected = new LinkedHashMap<>();
        Map<String, String> rightLayer = new LinkedHashMap<>();
        if (built != null) {
            flatten(built.attributes()).forEach((path, value) -> {
                expected.put(path, value);
                rightLayer.put(path, Layer.BUILT.name());
            });
        }
        flatten(intended.attributes()).forEach((path, value) -> {
            if (!path.startsWith(IntentLayer.BINDING) && !path.startsWith(IntentLayer.VARIATIONS)) {
                expected.put(path, value); // what a blueprint intends is right over what was built
                rightLayer.put(path, Layer.INTENDED.name());
            }
        });
        int count = 0;
        for (Map.Entry<String, Object> entry : expected.entrySet()) {
            String path = entry.getKey();
            if (!actual.containsKey(path) || same(entry.getValue(), actual.get(path))) {
                continue;
            }
            if (++count > maxDivergedPerElement) {
                break;
            }
            addDiverged(found, element, path, entry.getValue(), actual.get(path), rightLayer.get(path));
        }
        if (variations instanceof Map<?, ?> allowed) {
            outsideVariations(found, element, actual, allowed);
        }
    }

    /**
     * BUILT's leaves against RUNNING's at the same nested path, in BUILT's order, as {@link #flatten} and a
     * comparison of both would: a path RUNNING does not carry as a leaf is not compared. Returns false once
     * {@code maxDivergedPerElement} differences were found.
     */
    @SuppressWarnings("unchecked")
    private boolean walk(String prefix, Map<String, Object> expected, Map<String, Object> actual,
            Map<String, Candidate> found, Element element, int[] count) {
        for (Map.Entry<String, Object> entry : expected.entrySet()) {
            String key = entry.getKey();
            if (ignoredPaths.contains(key) || !prefix.isEmpty() && ignoredPaths.contains(prefix + key)) {
                continue;
            }
            Object value = entry.getValue();
            Object other = actual.get(key);
            if (value instanceof Map<?, ?> nested) {
                if (other instanceof Map<?, ?> otherNested && !walk(prefix + key + ".", (Map<String, Object>) nested,
                        (Map<String, Object>) otherNested, found, element, count)) {
                    return false;
                }
                continue;
            }
            if (other == null && !actual.containsKey(key) || other instanceof Map<?, ?> || same(value, other)) {
                continue;
            }
            if (++count[0] > maxDivergedPerElement) {
                return false;
            }
            addDiverged(found, element, prefix + key, value, other, Layer.BUILT.name());
        }
        return true;
    }

    private static void addDiverged(Map<String, Candidate> found, Element element, String path, Object expected,
            Object actual, String rightLayer) {
        add(found, new Candidate(DriftKind.DIVERGED, element.id(), element.kind(), element.owner(), path, expected,
                actual, rightLayer, "'" + path + "' of '" + element.id() + "' is " + shown(actual) + " running but "
                        + shown(expected) + " " + rightLayer.toLowerCase(java.util.Locale.ROOT)));
    }

    /** Whether INTENDED carries nothing but the binding and the variations of its blueprints. */
    private static boolean bindingAndVariationsOnly(LayerState intended) {
        for (String key : intended.attributes().keySet()) {
            if (!key.equals(IntentLayer.BINDING) && !key.equals(IntentLayer.VARIATIONS)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A RUNNING value outside what the binding blueprints allow is diverged with INTENDED right (it
     * replaces a BUILT difference at the same path). A path the RUNNING layer does not carry is not
     * judged: a connector need not report every attribute.
     */
    private void outsideVariations(Map<String, Candidate> found, Element element, Map<String, Object> actual,
            Map<?, ?> variations) {
        for (Map.Entry<?, ?> entry : variations.entrySet()) {
            String path = String.valueOf(entry.getKey());
            if (!(entry.getValue() instanceof Map<?, ?> spec) || !actual.containsKey(path)
                    || ignoredPaths.contains(path)) {
                continue;
            }
            Object value = actual.get(path);
            if (Allowed.allows(spec, value)) {
                continue;
            }
            Object expected = spec.containsKey("equals") ? spec.get("equals") : Allowed.describe(spec);
            add(found, new Candidate(DriftKind.DIVERGED, element.id(), element.kind(), element.owner(), path,
                    expected, value, Layer.INTENDED.name(), "'" + path + "' of '" + element.id() + "' is "
                            + shown(value) + " running but " + spec.get("blueprint") + " allows "
                            + Allowed.describe(spec)));
        }
    }

    /** Whether an INTENDED layer only binds blueprints (it claims nothing must exist, so nothing is missing). */
    static boolean bindingOnly(LayerState intended) {
        return intended.attributes().containsKey(IntentLayer.BINDING);
    }

    private static void add(Map<String, Candidate> found, Candidate candidate) {
        found.put(candidate.id(), candidate);
    }

    /** Leaf paths ({@code a.b.c}) of nested maps; a list is one leaf, compared whole. */
    Map<String, Object> flatten(Map<String, Object> attributes) {
        Map<String, Object> leaves = new LinkedHashMap<>();
        flatten("", attributes, leaves);
        return leaves;
    }

    @SuppressWarnings("unchecked")
    private void flatten(String prefix, Map<String, Object> map, Map<String, Object> leaves) {
        for (Map.Entry<String, Object> entry : map.entrySet()) {
            String path = prefix.isEmpty() ? entry.getKey() : prefix + "." + entry.getKey();
            if (ignoredPaths.contains(path) || ignoredPaths.contains(entry.getKey())) {
                continue;
            }
            if (entry.getValue() instanceof Map<?, ?> nested) {
                flatten(path, (Map<String, Object>) nested, leaves);
            } else {
                leaves.put(path, entry.getValue());
            }
        }
    }

    /** Equal values; numbers compare by value ({@code 2} equals {@code 2.0}). */
    static boolean same(Object a, Object b) {
        if (a == b) {
            return true;
        }
        if (a instanceof String || b instanceof String || a instanceof Boolean || b instanceof Boolean) {
            return Objects.equals(a, b);
        }
        if (isWhole(a) && isWhole(b)) {
            return ((Number) a).longValue() == ((Number) b).longValue();
        }
        if (a instanceof Number x && b instanceof Number y) {
            try {
                return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString())) == 0;
            } catch (NumberFormatException e) {
                return x.doubleValue() == y.doubleValue();
            }
        }
        return Objects.equals(a, b);
    }

    private static boolean isWhole(Object value) {
        return value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte;
    }

    private static String shown(Object value) {
        String text = value instanceof String s ? "'" + s + "'" : String.valueOf(value);
        return text.length() > 120 ? text.substring(0, 117) + "..." : text;
    }
}
