package dev.mandate.kernel.rest.internal;

import java.util.List;
import java.util.Map;

import dev.mandate.api.decision.Decision;
import dev.mandate.api.decision.Outcome;

/**
 * A plan decided as one: DENY if any change is denied, else REQUIRE_APPROVAL if any needs approval,
 * else ALLOW; the evidence record of the whole plan; and the decision of each change, in order.
 *
 * @param outcome  the plan's outcome
 * @param counts   how many changes came out as each outcome
 * @param evidence {@code sha256:<hex>} of the plan's ledger record
 * @param dryRun   whether it was a what-if (no grants, no approval requests)
 * @param changes  one decision per change, in the plan's order
 */
public record PlanDecision(Outcome outcome, Map<Outcome, Integer> counts, String evidence, boolean dryRun,
        List<Decision> changes) {
}
