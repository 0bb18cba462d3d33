package dev.mandate.kernel.rest.internal;

import java.security.Principal;

import dev.mandate.api.decision.Actor;

/** The authenticated caller of a request, as the actor the decision point and approvals know. */
record ActorPrincipal(Actor actor) implements Principal {

    @Override
    public String getName() {
        return actor.id();
    }
}
