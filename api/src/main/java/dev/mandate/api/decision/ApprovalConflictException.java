package dev.mandate.api.decision;

/**
 * An approval step on a request that is no longer open: it was approved, rejected, escalated or
 * expired already, possibly by another node sharing the approvals table. Nothing was decided, granted
 * or recorded as a decision by the refused step. Over REST it is a 409 problem.
 *
 * @since 1.3.0
 */
public class ApprovalConflictException extends ApprovalRefusedException {
    private static final long serialVersionUID = 1L;

    public ApprovalConflictException(String message) {
        super(message);
    }
}
