package dev.mandate.api.enforcement;

import java.util.List;

import dev.mandate.api.decision.Decision;
import dev.mandate.api.decision.Outcome;

/**
 * What an enforcement produced: the tool's answer, the combined outcome, and one decision per
 * proposed change in document order.
 *
 * @param response  the adapter's answer for the tool
 * @param outcome   DENY if any change is denied, else REQUIRE_APPROVAL if any needs approval, else ALLOW
 * @param decisions one decision per action request, in the order the adapter produced them
 * @param evidence  {@code sha256:<hex>} of the ledger record of the whole enforcement
 * @param <O>       the answer type
 */
public record EnforcementResult<O>(O response, Outcome outcome, List<Decision> decisions, String evidence) {
    public EnforcementResult {
        decisions = decisions == null ? List.of() : List.copyOf(decisions);
    }
}
