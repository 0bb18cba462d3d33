package dev.mandate.grant.verifier;

import java.util.Objects;

/**
 * One change a grant allows, as the grant names it.
 *
 * @param action the action's wire name ({@code create}, {@code update}, {@code delete}, {@code replace} …)
 * @param target the element id
 */
public record Change(String action, String target) {

    public Change {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(target, "target");
    }

    @Override
    public String toString() {
        return action + " of '" + target + "'";
    }
}
