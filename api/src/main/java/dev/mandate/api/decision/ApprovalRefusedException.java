package dev.mandate.api.decision;

/**
 * An approval step that is not allowed: the approver is the requester, an AI, or holds no approving
 * right, or the request is no longer open.
 */
public class ApprovalRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ApprovalRefusedException(String message) {
        super(message);
    }
}
