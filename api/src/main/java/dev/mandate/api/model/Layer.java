package dev.mandate.api.model;

/**
 * The three layers the canonical model keeps for every element (IOM §16, "Reconciliation").
 */
public enum Layer {
    /** What blueprints say the element should be. Only the intent compiler writes this layer. */
    INTENDED,
    /** What infrastructure as code built, read from its state (Terraform state). */
    BUILT,
    /** What connectors observe running now. */
    RUNNING
}
