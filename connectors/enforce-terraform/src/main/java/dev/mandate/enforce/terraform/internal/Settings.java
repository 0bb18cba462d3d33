package dev.mandate.enforce.terraform.internal;

import java.util.Set;

import dev.mandate.api.decision.Actor;
import dev.mandate.terraform.ids.IdContext;

/**
 * The adapter's configuration in effect.
 *
 * @param defaultActor        who asks when the caller names nobody
 * @param defaults            account, region and subscription when neither the caller nor the plan says
 * @param ungovernedProviders providers whose resources change nothing in the estate ({@code null}, {@code random} …)
 */
record Settings(Actor defaultActor, IdContext defaults, Set<String> ungovernedProviders) {
    Settings {
        ungovernedProviders = Set.copyOf(ungovernedProviders);
    }
}
