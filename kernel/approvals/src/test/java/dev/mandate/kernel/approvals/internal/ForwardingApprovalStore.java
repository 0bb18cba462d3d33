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
    public void insert(ApprovalRequest request, String requestHash) {
        store.insert(request, requestHash);
    }

    @Override
    public Optional<Stored> findOpen(String requestHash, Instant now) {
        return store.findOpen(requestHash, now);
    }

    @Override
    public boolean update(ApprovalRequest request, long version) {
        return store.update(request, version);
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
