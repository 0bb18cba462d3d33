package dev.mandate.kernel.reconciler;

import java.util.List;

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
}
