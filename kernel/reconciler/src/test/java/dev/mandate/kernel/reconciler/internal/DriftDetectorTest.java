package dev.mandate.kernel.reconciler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.mandate.api.model.Element;
import dev.mandate.api.model.Layer;
import dev.mandate.api.model.LayerState;

import org.junit.jupiter.api.Test;

/** The in-place comparison of BUILT with RUNNING finds what comparing their flattened leaves finds. */
class DriftDetectorTest {
    private static final Instant AT = Instant.parse("2026-11-26T10:00:00Z");

    private static Element element(Map<String, Object> running, Map<String, Object> built,
            Map<String, Object> intended) {
        Map<Layer, LayerState> layers = new EnumMap<>(Layer.class);
        layers.put(Layer.RUNNING, new LayerState("aws", AT, "sha256:r", running));
        layers.put(Layer.BUILT, new LayerState("tfstate", AT, "sha256:b", built));
        if (intended != null) {
            layers.put(Layer.INTENDED, new LayerState("intent:x@1", AT, "sha256:i", intended));
        }
        return new Element("aws:ec2:instance:eu-west-1:1:i-1", "aws:ec2:instance", "aws", "prod", "internal", "team",
                Map.of(), running, layers);
    }

    private static Map<String, DriftDetector.Candidate> detect(DriftDetector detector, Element element) {
        Map<String, DriftDetector.Candidate> found = new LinkedHashMap<>();
        detector.detect(element, Set.of("aws"), found);
        return found;
    }

    /** What the flattened comparison gives: every leaf path both carry, with a different value. */
    private static Set<String> expectedByFlattening(DriftDetector detector, Map<String, Object> running,
            Map<String, Object> built) {
        Map<String, Object> actual = detector.flatten(running);
        Set<String> paths = new HashSet<>();
        detector.flatten(built).forEach((path, value) -> {
            if (actual.containsKey(path) && !DriftDetector.same(value, actual.get(path))) {
                paths.add("diverged:aws:ec2:instance:eu-west-1:1:i-1#" + path);
            }
        });
        return paths;
    }

    @Test
    void nestedListsNumbersNullsAndIgnoredPathsCompareAsTheirLeavesDo() {
        DriftDetector detector = new DriftDetector(20, Set.of("facets", "tags_all"));
        Map<String, Object> running = new LinkedHashMap<>();
        running.put("size", "large");
        running.put("count", 2);
        running.put("ratio", 0.5);
        running.put("network", Map.of("cidr", "10.0.0.0/16", "subnets", List.of("a", "b"), "dns", Map.of("on", true)));
        running.put("tags_all", Map.of("x", "1"));
        running.put("facets", Map.of("policy", "p1"));
        running.put("gone", null);
        running.put("shape", "flat");
        running.put("onlyRunning", "r");
        Map<String, Object> built = new LinkedHashMap<>();
        built.put("size", "small");                 // diverged
        built.put("count", 2L);                     // same by value
        built.put("ratio", 0.50);                   // same
        built.put("network", Map.of("cidr", "10.1.0.0/16", "subnets", List.of("a"), "dns", Map.of("on", true)));
        built.put("tags_all", Map.of("x", "2"));    // ignored
        built.put("facets", Map.of("policy", "p2"));// ignored
        built.put("gone", "was here");             // running carries null: diverged
        built.put("shape", Map.of("deep", "x"));    // a map against a leaf: not compared
        built.put("onlyBuilt", "b");                // running lacks it: not compared

        Map<String, DriftDetector.Candidate> found = detect(detector, element(running, built, null));
        assertThat(found.keySet()).containsExactlyInAnyOrderElementsOf(expectedByFlattening(detector, running, built))
                .containsExactlyInAnyOrder("diverged:aws:ec2:instance:eu-west-1:1:i-1#size",
                        "diverged:aws:ec2:instance:eu-west-1:1:i-1#network.cidr",
                        "diverged:aws:ec2:instance:eu-west-1:1:i-1#network.subnets",
                        "diverged:aws:ec2:instance:eu-west-1:1:i-1#gone");
        DriftDetector.Candidate cidr = found.get("diverged:aws:ec2:instance:eu-west-1:1:i-1#network.cidr");
        assertThat(cidr.expected()).isEqualTo("10.1.0.0/16");
        assertThat(cidr.actual()).isEqualTo("10.0.0.0/16");
        assertThat(cidr.rightLayer()).isEqualTo("BUILT");
        assertThat(cidr.message()).isEqualTo("'network.cidr' of 'aws:ec2:instance:eu-west-1:1:i-1' is '10.0.0.0/16' "
                + "running but '10.1.0.0/16' built");
    }

    @Test
    void atMostTheConfiguredNumberOfPathsPerElementAndABindingOnlyIntentChangesNothing() {
        DriftDetector detector = new DriftDetector(3, Set.of());
        Map<String, Object> running = new LinkedHashMap<>();
        Map<String, Object> built = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            running.put("a" + i, Map.of("v", i));
            built.put("a" + i, Map.of("v", i + 1));
        }
        Map<String, Object> binding = Map.of(IntentLayer.BINDING, Map.of("blueprints", List.of("x@1")));
        assertThat(detect(detector, element(running, built, null)).keySet()).containsExactly(
                "diverged:aws:ec2:instance:eu-west-1:1:i-1#a0.v", "diverged:aws:ec2:instance:eu-west-1:1:i-1#a1.v",
                "diverged:aws:ec2:instance:eu-west-1:1:i-1#a2.v");
        assertThat(detect(detector, element(running, built, binding)).keySet())
                .isEqualTo(detect(detector, element(running, built, null)).keySet());
        // an INTENDED value is right over BUILT's at the same path
        Map<String, DriftDetector.Candidate> intended = detect(new DriftDetector(20, Set.of()),
                element(running, built, Map.of("a0", Map.of("v", 0), "a1", Map.of("v", 7))));
        assertThat(intended).doesNotContainKey("diverged:aws:ec2:instance:eu-west-1:1:i-1#a0.v");
        assertThat(intended.get("diverged:aws:ec2:instance:eu-west-1:1:i-1#a1.v").rightLayer()).isEqualTo("INTENDED");
        assertThat(intended.get("diverged:aws:ec2:instance:eu-west-1:1:i-1#a1.v").expected()).isEqualTo(7);
    }

    @Test
    void wholeNumbersOfAnyTypeAndDecimalsCompareByValue() {
        assertThat(DriftDetector.same(2, 2L)).isTrue();
        assertThat(DriftDetector.same(2, 2.0)).isTrue();
        assertThat(DriftDetector.same(3L, 2)).isFalse();
        assertThat(DriftDetector.same("2", 2)).isFalse();
        assertThat(DriftDetector.same(true, true)).isTrue();
        assertThat(DriftDetector.same(null, null)).isTrue();
        assertThat(DriftDetector.same(new java.math.BigDecimal("1.10"), 1.1)).isTrue();
    }
}
