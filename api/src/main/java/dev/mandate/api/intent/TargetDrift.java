package dev.mandate.api.intent;

import java.util.List;

/**
 * The open drift on a request's target and in its blast radius when the decision is taken: a Zero
 * Trust input (IOM §11). An element whose running state departs from what was built or intended, or
 * that changed without an execution grant, is not trusted as usual; constraints read it as the CEL
 * variable {@code drift} ({@code drift.open}, {@code drift.kinds}, {@code drift.findings},
 * {@code drift.inBlastRadius}, {@code drift.revision}). Immutable.
 *
 * @param revision      the model revision the findings were computed on; 0 when the reconciler has
 *                      not computed any yet (or none is installed)
 * @param findings      the open findings on the target, sorted by id
 * @param inBlastRadius how many elements of the target's blast radius have open findings
 * @since 1.3
 */
public record TargetDrift(long revision, List<Finding> findings, int inBlastRadius) {

    private static final TargetDrift NONE = new TargetDrift(0, List.of(), 0);

    /**
     * One open finding.
     *
     * @param id       the finding's stable id ({@code <kind>:<element id>}, {@code diverged:<element id>#<path>})
     * @param kind     {@code unmanaged}, {@code missing}, {@code diverged}, {@code unauthorized} or {@code dataflow}
     * @param severity {@code low}, {@code medium}, {@code high} or {@code critical}
     * @param message  one lowercase line saying what was found
     */
    public record Finding(String id, String kind, String severity, String message) {
    }

    public TargetDrift {
        findings = findings == null ? List.of() : List.copyOf(findings);
    }

    /** No drift known: no reconciler, or none computed yet. */
    public static TargetDrift none() {
        return NONE;
    }

    /** No open finding on the target nor in its blast radius, at this revision. */
    public static TargetDrift clean(long revision) {
        return revision == 0 ? NONE : new TargetDrift(revision, List.of(), 0);
    }

    /** Whether nothing is open on the target or in its blast radius. */
    public boolean isClean() {
        return findings.isEmpty() && inBlastRadius == 0;
    }
}
