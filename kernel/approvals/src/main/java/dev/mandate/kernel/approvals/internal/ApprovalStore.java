package dev.mandate.kernel.approvals.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.mandate.api.decision.ApprovalRequest;
import dev.mandate.api.decision.ApprovalStatus;

/**
 * Where approval requests are kept; every write is durable when it returns. Several nodes may share
 * the store: a change is made only from the row version it was read at.
 */
interface ApprovalStore {

    /** A request as stored: with the content hash of what it asks for ({@code null} for old rows) and its row version. */
    record Stored(ApprovalRequest request, String requestHash, long version) {
    }

    /** The row versions of the requests changed since a time, and the database's time when they were read. */
    record Changes(OffsetDateTime readAt, Map<String, Long> versions) {
    }

    /** A new request at row version 0, with the content hash of what it asks for ({@link RequestHash}). */
    void insert(ApprovalRequest request, String requestHash);

    /** The oldest open, unexpired request with this content hash. */
    Optional<Stored> findOpen(String requestHash, Instant now);

    /**
     * Writes {@code request} over the row when it is still at {@code version} (the row is then at
     * {@code version + 1}); false when another writer changed it first.
     */
    boolean update(ApprovalRequest request, long version);

    /** Every open request, oldest first. */
    List<Stored> open();

    Optional<Stored> find(String id);

    default Optional<ApprovalRequest> get(String id) {
        return find(id).map(Stored::request);
    }

    /** With this status (all when null), newest first, at most {@code limit}. */
    List<ApprovalRequest> list(ApprovalStatus status, int limit);

    /** Open requests whose expiry is at or before {@code now}. */
    List<Stored> overdue(Instant now);

    /** The requests other writers changed after {@code since} (none asked when null), by the database's clock. */
    Changes changedSince(OffsetDateTime since);
}
