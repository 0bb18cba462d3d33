package dev.mandate.api.decision;

/** The verdict of a decision. */
public enum Outcome {
    /** Legitimate: it may execute, within the obligations and the execution grant. */
    ALLOW,
    /** Not legitimate: it must not execute. */
    DENY,
    /** Legitimate only once a holder of the decision right approves it. */
    REQUIRE_APPROVAL
}
