package dev.mandate.api.decision;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The REQUIRE_APPROVAL queue (IOM §7: decision rights and escalation paths). Separation of duties
 * holds: the requester cannot approve, an AI actor can never approve, and only members of an
 * approving team holding a right with {@code approve: true} for the action may decide. Every step is
 * evidence. Blocks for its durable writes.
 */
@ProviderType
public interface ApprovalService {

    /**
     * Opens an approval request for a REQUIRE_APPROVAL decision; called by the decision point. When
     * an open request already asks for the same change by the same actor of the same approvers (a
     * plan submitted again), that request is returned instead of a new one (also while an approval of
     * it is being decided: then it is returned approved). There is at most one open request per
     * change, whichever nodes sharing the store are asked at the same instant. The decision's own
     * record may still be queued in the same group commit, so {@code decision.evidence()} can be
     * null; its {@code decisionId} is the link.
     */
    ApprovalRequest open(Decision decision, ActionRequest request);

    /** Requests with this status (all when {@code null}), newest first. */
    List<ApprovalRequest> list(ApprovalStatus status);

    /** One request. */
    Optional<ApprovalRequest> get(String id);

    /**
     * Approves: the request is decided again with the approval (never a cached allow) and, when it
     * is still legitimate, the outcome carries the execution grant.
     *
     * @throws ApprovalRefusedException when this approver may not approve it
     * @throws ApprovalConflictException when it is not open (decided, expired, or decided by another node first)
     * @throws IllegalArgumentException when no request has this id
     */
    ApprovalRequest approve(String id, Actor approver, String comment);

    /**
     * Rejects.
     *
     * @throws ApprovalRefusedException when this approver may not decide it
     * @throws ApprovalConflictException when it is not open (decided, expired, or decided by another node first)
     * @throws IllegalArgumentException when no request has this id
     */
    ApprovalRequest reject(String id, Actor approver, String comment);
}
