package dev.mandate.api.decision;

/** Where an approval request stands. */
public enum ApprovalStatus {
    /** Waiting for a holder of the decision right. */
    PENDING,
    /** Not decided in time; now addressed to the next team of the escalation chain. */
    ESCALATED,
    /** Approved; the request was decided again and, if still legitimate, granted. */
    APPROVED,
    /** Rejected by a holder of the decision right. */
    REJECTED,
    /** Not decided in time by anyone in the escalation chain. */
    EXPIRED;

    /** Whether it can still be approved or rejected. */
    public boolean isOpen() {
        return this == PENDING || this == ESCALATED;
    }
}
