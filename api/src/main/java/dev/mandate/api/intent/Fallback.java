package dev.mandate.api.intent;

/** What applies to a request that nothing permits. */
public enum Fallback {
    /** The owner is the authority that can permit it: REQUIRE_APPROVAL addressed to the owner (DENY without owner). */
    OWNER_APPROVAL,
    /** DENY: no decision right covers this. */
    DENY
}
