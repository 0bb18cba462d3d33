package dev.mandate.api.decision;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Decides whether a change is legitimate before it executes (IOM §10 "before").
 *
 * <p>Deterministic for a model revision and request. Fails closed: when the model, the intent or
 * the evidence ledger cannot be consulted, the answer is {@link Outcome#DENY} with that reason.
 * Every decision is recorded in the evidence ledger before it is returned. Thread-safe; blocks
 * only for the durable ledger write.
 */
@ProviderType
public interface DecisionPoint {

    /**
     * Decides {@code request} and, for an ALLOW, issues the execution grant.
     *
     * @throws UnknownTargetException   when the target is not in the model and the action is not a create
     * @throws IllegalArgumentException when the request is incomplete (no actor, no action, no target)
     */
    default Decision decide(ActionRequest request) {
        return decide(request, false);
    }

    /**
     * Decides {@code request}; a dry run is recorded as a what-if and issues no execution grant.
     *
     * @throws UnknownTargetException   when the target is not in the model and the action is not a create
     * @throws IllegalArgumentException when the request is incomplete
     */
    Decision decide(ActionRequest request, boolean dryRun);

    /**
     * Decides {@code request} again now that {@code approver} approved it under approval request
     * {@code approvalId}: the approval satisfies require-approval rules and the owner-approval
     * fallback, never a deny. Called by the approval service after it checked separation of duties.
     */
    Decision decideApproved(ActionRequest request, String approvalId, Actor approver);
}
