package dev.mandate.kernel.reconciler;

import java.util.Locale;

/**
 * How reality departs from what was built or intended.
 *
 * @since 1.1
 */
public enum DriftKind {
    /** Running, but neither built by infrastructure as code nor intended. */
    UNMANAGED,
    /** Built or intended, but not running (not observed by a source that covers its provider). */
    MISSING,
    /** An attribute differs between the layers. */
    DIVERGED,
    /** A running change that no execution grant covered. */
    UNAUTHORIZED,
    /**
     * An observed data flow ({@code FLOWS_DATA_TO} from flow logs) that a blueprint's data-flow rule
     * denies or makes subject to approval.
     *
     * @since 1.2
     */
    DATAFLOW;

    /** The lowercase name used on the wire and in evidence. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The kind with this wire name (case-insensitive).
     *
     * @throws IllegalArgumentException when there is none
     */
    public static DriftKind of(String name) {
        for (DriftKind kind : values()) {
            if (kind.name().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown drift kind '" + name
                + "' (expected unmanaged, missing, diverged, unauthorized or dataflow)");
    }
}
