package dev.mandate.kernel.reconciler;

/** How the latest run of a connector stands. */
public enum RunState {
    /** Bound, not run yet. */
    PENDING,
    /** A collection is in progress; the other fields describe the run before it. */
    RUNNING,
    /** The collection completed and was committed to the model. */
    COMPLETE,
    /** The collection or its commit failed; the model kept what it had. */
    FAILED,
    /** The collection did not finish within its timeout; the model kept what it had. */
    TIMED_OUT
}
