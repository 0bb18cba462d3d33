package dev.mandate.kernel.reconciler;

import java.time.Instant;

/**
 * One current drift finding. Immutable.
 *
 * @param id             stable id: {@code <kind>:<element id>} or, for {@link DriftKind#DIVERGED},
 *                       {@code diverged:<element id>#<path>}
 * @param kind           what kind of drift
 * @param elementId      the element it is about
 * @param elementKind    the element's kind ({@code aws:ec2:instance}), or {@code null}
 * @param owner          the element's owning team, or {@code null}
 * @param severity       {@code low}, {@code medium}, {@code high} or {@code critical}
 * @param severitySource {@code <blueprint>@<version>#<constraint>} when a blueprint set the severity,
 *                       else {@code default}
 * @param path           for {@link DriftKind#DIVERGED}, the attribute path ({@code tags.env}); else {@code null}
 * @param expected       for {@link DriftKind#DIVERGED}, the value of the layer that is right; else {@code null}
 * @param actual         for {@link DriftKind#DIVERGED}, the running value; else {@code null}
 * @param rightLayer     the layer that is right ({@code BUILT} or {@code INTENDED}), or {@code null}
 * @param message        one lowercase line saying what was found
 * @param openedAt       when it was first found
 * @param openedRevision the model revision it was found on
 * @since 1.1
 */
public record DriftFinding(String id, DriftKind kind, String elementId, String elementKind, String owner,
        String severity, String severitySource, String path, Object expected, Object actual, String rightLayer,
        String message, Instant openedAt, long openedRevision) {
}
