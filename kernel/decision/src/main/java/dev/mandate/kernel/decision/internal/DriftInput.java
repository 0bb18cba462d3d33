package dev.mandate.kernel.decision.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.mandate.api.intent.TargetDrift;
import dev.mandate.api.model.BlastRadius;
import dev.mandate.kernel.reconciler.DriftFinding;
import dev.mandate.kernel.reconciler.DriftService;

/**
 * Reads the open drift on a target and in its blast radius from the reconciler, for one decision.
 * Answers are kept per target while neither the findings nor the radius (memoised per model
 * revision) change, so a target is looked at once per change of either, not per decision: a
 * decision allocates nothing here in the steady state, and a large radius is walked once.
 * Thread-safe: the slots hold immutable entries; a racing reader at worst computes again.
 */
final class DriftInput {

    private static final int SLOTS = 4096;

    /** The drift of one target under one set of findings and one radius. */
    private record Known(String targetId, Map<String, List<DriftFinding>> findings, BlastRadius radius,
            long revision, TargetDrift drift) {
    }

    private final Known[] known = new Known[SLOTS];
    private volatile TargetDrift clean = TargetDrift.none();

    /**
     * The drift on {@code targetId} now; {@link TargetDrift#none()} without a source.
     *
     * @param radius the target's blast radius, or {@code null} for an element the model does not hold
     * @throws RuntimeException when the source fails: the caller denies
     */
    TargetDrift of(DriftService source, String targetId, BlastRadius radius) {
        if (source == null) {
            return TargetDrift.none();
        }
        long revision = source.revision();
        Map<String, List<DriftFinding>> byElement = source.findingsByElement();
        if (byElement.isEmpty()) {
            return clean(revision);
        }
        int slot = targetId.hashCode() & (SLOTS - 1);
        Known last = known[slot];
        if (last != null && last.findings() == byElement && last.radius() == radius && last.revision() == revision
                && last.targetId().equals(targetId)) {
            return last.drift();
        }
        TargetDrift drift = compute(byElement, targetId, radius, revision);
        known[slot] = new Known(targetId, byElement, radius, revision, drift);
        return drift;
    }

    private TargetDrift compute(Map<String, List<DriftFinding>> byElement, String targetId, BlastRadius radius,
            long revision) {
        List<DriftFinding> onTarget = byElement.get(targetId);
        int inRadius = 0;
        if (radius != null) {
            List<String> dependents = radius.elements();
            for (int i = 0; i < dependents.size(); i++) {
                if (byElement.containsKey(dependents.get(i))) {
                    inRadius++;
                }
            }
        }
        if (onTarget == null && inRadius == 0) {
            return clean(revision);
        }
        List<TargetDrift.Finding> findings = new ArrayList<>(onTarget == null ? 0 : onTarget.size());
        if (onTarget != null) {
            for (DriftFinding finding : onTarget) {
                findings.add(new TargetDrift.Finding(finding.id(), finding.kind().wireName(), finding.severity(),
                        finding.message()));
            }
        }
        return new TargetDrift(revision, findings, inRadius);
    }

    private TargetDrift clean(long revision) {
        TargetDrift last = clean;
        if (last.revision() == revision) {
            return last;
        }
        TargetDrift fresh = TargetDrift.clean(revision);
        clean = fresh;
        return fresh;
    }
}
