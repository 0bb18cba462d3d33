package dev.mandate.kernel.approvals.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import dev.mandate.api.decision.ApprovalRequest;
import dev.mandate.api.decision.ApprovalStatus;

/** A store that hands every call to another; tests override the calls they watch or interleave. */
abstract class ForwardingApprovalStore implements ApprovalStore {
    private final ApprovalStore store;

    ForwardingApprovalStore(ApprovalStore store) {
        this.store = store;
    }

    @Override
    public boolean insert(ApprovalRequest request, String requestHash) {
        return store.insert(request, requestHash);
    }

    @Override
    public boolean remove(String id, long version) {
        return store.remove(id, version);
    }

    @Override
    public Optional<List<String>> firstApprovers(String id) {
        return store.firstApprovers(id);
    }

    @Override
    public Optional<Stored> holderOf(String requestHash) {
        return store.holderOf(requestHash);
    }

    @Override
    public boolean update(ApprovalRequest request, long version) {
        return store.update(request, version);
    }

    @Override
    public boolean update(ApprovalRequest request, long version, OwedEvidence owed, Instant due) {
        return store.update(request, version, owed, due);
    }

    @Override
    public List<Owing> evidenceDue(Instant now) {
        return store.evidenceDue(now);
    }

    @Override
    public boolean takeEvidence(String id, long version, Instant retryAt) {
        return store.takeEvidence(id, version, retryAt);
    }

    @Override
    public boolean evidenceWritten(String id, long version) {
        return store.evidenceWritten(id, version);
    }

    @Override
    public List<Stored> open() {
        return store.open();
    }

    @Override
    public Optional<Stored> find(String id) {
        return store.find(id);
    }

    @Override
    public List<ApprovalRequest> list(ApprovalStatus status, int limit) {
        return store.list(status, limit);
    }

    @Override
    public List<Stored> overdue(Instant now) {
        return store.overdue(now);
    }

    @Override
    public Changes changedSince(OffsetDateTime since) {
        return store.changedSince(since);
    }
}
