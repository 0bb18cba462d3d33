package dev.mandate.api.intent;

import java.util.Set;

/**
 * A right of a team over the elements it owns.
 *
 * @param id           a name for the right, cited in reasons ({@code team:<team>#<id>})
 * @param actions      the action wire names it covers ({@code *} for all)
 * @param environments the environments it covers (empty for all)
 * @param approve      whether holders may approve requests from others (and not only act themselves)
 */
public record DecisionRight(String id, Set<String> actions, Set<String> environments, boolean approve) {
    public DecisionRight {
        actions = actions == null ? Set.of() : Set.copyOf(actions);
        environments = environments == null ? Set.of() : Set.copyOf(environments);
    }

    /**
     * Whether this right covers {@code action} in {@code environment}. A right limited to some
     * environments never covers an element whose environment is unknown ({@code null}).
     */
    public boolean covers(String action, String environment) {
        boolean actionCovered = actions.contains("*") || action != null && actions.contains(action);
        boolean environmentCovered = environments.isEmpty()
                || environment != null && environments.contains(environment);
        return actionCovered && environmentCovered;
    }
}
