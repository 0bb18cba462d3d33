package dev.mandate.enforce.terraform.internal;

import dev.mandate.api.decision.ActionRequest;

/**
 * One managed resource change of a plan, as the gate sees it: decided through {@code request}, covered by
 * the decision on another change ({@code coveredBy}, an index into the plan's changes), or skipped.
 *
 * @param address     the Terraform address
 * @param action      the action wire name, or the Terraform actions for a skipped change
 * @param elementId   the element id, or {@code null} when skipped
 * @param facet       the facet, or {@code null}
 * @param provisional whether the element id is a prediction
 * @param request     the action request to decide, or {@code null} when covered or skipped
 * @param coveredBy   the index of the change whose decision covers this one, or -1
 * @param skipReason  why it is not decided, or {@code null}
 */
record PlannedChange(String address, String action, String elementId, String facet, boolean provisional,
        ActionRequest request, int coveredBy, String skipReason) {

    boolean isDecided() {
        return request != null;
    }

    boolean isSkipped() {
        return skipReason != null;
    }
}
