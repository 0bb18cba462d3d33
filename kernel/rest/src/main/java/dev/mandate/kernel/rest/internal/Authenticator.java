package dev.mandate.kernel.rest.internal;

import java.util.Optional;

import dev.mandate.api.decision.Actor;

/** Checks a user's credentials and says who they are. Blocks for the identity store. */
interface Authenticator {

    /** The actor these credentials belong to, or empty when they are wrong. */
    Optional<Actor> authenticate(String user, char[] password);
}
