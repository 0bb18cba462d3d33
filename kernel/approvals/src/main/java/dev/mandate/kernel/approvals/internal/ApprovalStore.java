package dev.mandate.kernel.approvals.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.mandate.api.decision.ApprovalRequest;
import dev.mandate.api.decision.ApprovalStatus;

/** Where approval requests are kept; every write is durable when it returns. */
interface ApprovalStore {

    /** A new request, with the content hash of what it asks for ({@link RequestHash}). */
    void insert(ApprovalRequest request, String requestHash);

    /** The oldest open, unexpired request with this content hash. */
    Optional<ApprovalRequest> findOpen(String requestHash, Instant now);

    void update(ApprovalRequest request);

    /** Every open request with its content hash ({@code null} for rows from before hashes), oldest first. */
    List<Map.Entry<String, ApprovalRequest>> open();

    Optional<ApprovalRequest> get(String id);

    /** With this status (all when null), newest first, at most {@code limit}. */
    List<ApprovalRequest> list(ApprovalStatus status, int limit);

    /** Open requests whose expiry is at or before {@code now}. */
    List<ApprovalRequest> overdue(Instant now);
}
