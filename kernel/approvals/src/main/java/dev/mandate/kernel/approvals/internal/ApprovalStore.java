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
 * the store: a change is made only from the row version it was read at, and at most one request per
 * content hash holds the change's open key ({@link #holdsOpenKey}).
 */
interface ApprovalStore {

    /** A request as stored: with the content hash of what it asks for ({@code null} for old rows) and its row version. */
    record Stored(ApprovalRequest request, String requestHash, long version) {
    }

    /** The row versions of the requests changed since a time, and the database's time when they were read. */
    record Changes(OffsetDateTime readAt, Map<String, Long> versions) {
    }

    /** A ledger record a step owes: written with the step's row change, cleared once the ledger took it. */
    record OwedEvidence(String type, long modelRevision, Map<String, Object> payload) {
    }

    /** A request that owes a record, at its row version. */
    record Owing(String id, long version, OwedEvidence evidence) {
    }

    /**
     * Whether a request written in this state keeps its change's open key (if it holds it: only an
     * insert takes the key): while it is open, and while an approval claimed it but its outcome is not
     * written yet (the claim may still be undone).
     */
    static boolean holdsOpenKey(ApprovalRequest request) {
        return request.status().isOpen() || (request.status() == ApprovalStatus.APPROVED && request.outcome() == null);
    }

    /**
     * A new open request at row version 0, holding the open key of its content hash ({@link RequestHash})
     * and keeping the teams it is addressed to as its first approvers;
     * false, with nothing written, when another request holds that key.
     */
    boolean insert(ApprovalRequest request, String requestHash);

    /** Removes a request still at {@code version} (one whose opening could not be recorded); false when it changed. */
    boolean remove(String id, long version);

    /** The teams the request was first addressed to; empty for a request opened before they were kept. */
    Optional<List<String>> firstApprovers(String id);

    /** The request holding the open key of this content hash, whether or not it is overdue. */
    Optional<Stored> holderOf(String requestHash);

    /**
     * Writes {@code request} over the row when it is still at {@code version} (the row is then at
     * {@code version + 1}); false when another writer changed it first.
     */
    boolean update(ApprovalRequest request, long version);

    /**
     * As {@link #update(ApprovalRequest, long)}, together with the record the change owes, for a sweep to
     * write from {@code due} on unless it is written earlier ({@link #evidenceWritten}).
     */
    boolean update(ApprovalRequest request, long version, OwedEvidence owed, Instant due);

    /** The requests whose owed record is due at {@code now}, oldest due first. */
    List<Owing> evidenceDue(Instant now);

    /**
     * Takes an owed record to write it: moves its due time to {@code retryAt} when the row is still at
     * {@code version} (then at {@code version + 1}), so that no other node writes it meanwhile; false
     * when another node took it or it was written.
     */
    boolean takeEvidence(String id, long version, Instant retryAt);

    /** Clears the owed record once the ledger took it, when the row is still at {@code version}. */
    boolean evidenceWritten(String id, long version);

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
