package dev.mandate.kernel.reconciler;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The current drift findings: what differs between the intended, built and running layers of the
 * model. Findings are opened and cleared after each committed revision and recorded as evidence
 * ({@code drift.opened}, {@code drift.cleared}). Thread-safe; never blocks.
 *
 * @since 1.1
 */
@ProviderType
public interface DriftService {

    /**
     * The current findings that match every given filter ({@code null} matches all), sorted by id.
     *
     * @param kind         the drift kind
     * @param owner        the owning team id ({@code none} for elements without an owner)
     * @param elementClass an element kind or a prefix of one ({@code aws:ec2}, {@code aws:ec2:instance})
     */
    List<DriftFinding> findings(DriftKind kind, String owner, String elementClass);

    /** The model revision the findings were computed on, 0 before the first pass. */
    long revision();

    /**
     * The current findings by the id of the element they are on, each list sorted by id: an
     * immutable snapshot, the same instance until the findings change. The decision point reads it
     * on every decision (open drift on a target is a Zero Trust input), so implementations keep it
     * ready and return it without copying. Thread-safe; never blocks.
     *
     * @since 1.3
     */
    default Map<String, List<DriftFinding>> findingsByElement() {
        Map<String, List<DriftFinding>> byElement = new LinkedHashMap<>();
        for (DriftFinding finding : findings(null, null, null)) {
            byElement.computeIfAbsent(finding.elementId(), id -> new ArrayList<>()).add(finding);
        }
        byElement.replaceAll((id, list) -> List.copyOf(list));
        return Collections.unmodifiableMap(byElement);
    }
}
