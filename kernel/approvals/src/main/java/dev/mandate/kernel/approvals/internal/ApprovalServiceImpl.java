package dev.mandate.kernel.approvals.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

import javax.sql.DataSource;

import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Actor;
import dev.mandate.api.decision.ApprovalConflictException;
import dev.mandate.api.decision.ApprovalRefusedException;
import dev.mandate.api.decision.ApprovalRequest;
import dev.mandate.api.decision.ApprovalService;
import dev.mandate.api.decision.ApprovalStatus;
import dev.mandate.api.decision.Decision;
import dev.mandate.api.decision.DecisionPoint;
import dev.mandate.api.evidence.EvidenceLedger;
import dev.mandate.api.intent.IntentService;
import dev.mandate.api.intent.Team;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.ModelStore;

import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The approval queue: opens a request for every REQUIRE_APPROVAL decision, lets a holder of an
 * approving right approve or reject it, escalates along the owning team's chain when nobody decides
 * in time, and records every step in the ledger. An approval never grants by itself: the request is
 * decided again with the approval, so a deny that appeared meanwhile still wins.
 */
@Component(service = ApprovalService.class, configurationPid = "dev.mandate.kernel.approvals")
@Designate(ocd = ApprovalServiceConfig.class)
public class ApprovalServiceImpl implements ApprovalService {

    private static final Logger LOG = LoggerFactory.getLogger(ApprovalServiceImpl.class);
    private static final int STRIPES = 64;
    // how often opening a change reads and inserts again while other nodes keep changing its request
    private static final int OPEN_ATTEMPTS = 5;
    // longer than any decision with an approval takes: a claim older than this was abandoned
    private static final Duration CLAIM_LEASE = Duration.ofMinutes(5);
    // how long a record owed by a step waits before a sweep writes it (the step's own node appends it at
    // once; a node that took it and stopped is relieved after this)
    private static final Duration EVIDENCE_RETRY = Duration.ofSeconds(30);
    // how far before the previous look at the table a look for other nodes' changes starts again: a
    // change stamped just before that look may have been committed only after it
    private static final Duration CHANGE_LOOKBACK = Duration.ofSeconds(10);

    private final Supplier<DecisionPoint> decisionPoint;
    private final IntentService intent;
    private final ModelStore model;
    private final EvidenceLedger ledger;
    private final ApprovalStore store;
    private final SeparationOfDuties duties;
    private final Clock clock;
    private final Duration expiry;
    private final int maxEscalations;
    private final ScheduledExecutorService sweeper;
    private volatile boolean migrated;
    // Opening takes the read side and one stripe per request hash, so that different requests open
    // at once (their evidence then shares the ledger's group commit) while the same request asked
    // twice still finds the first; deciding, escalating and expiring take the write side, so that no
    // request is found open while it is being decided.
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private final Object[] stripes = stripes();
    // The open requests by content hash, as the table holds them: read from it on first use and kept
    // up to date by every write of this service (under the locks above), so that a request asked again
    // finds its open request without a query. A hash not known here is still looked up in the table
    // (a request opened by another node sharing the database), and what is found there is kept.
    private final Map<String, ApprovalRequest> openByHash = new ConcurrentHashMap<>();
    private final Map<String, String> hashById = new ConcurrentHashMap<>();
    private final Map<String, Long> versionById = new ConcurrentHashMap<>();
    // Other nodes sharing the table change requests too: every change there is conditional on the row
    // version (a request is decided once, whichever node asks), and the index is brought up to date
    // with their changes every refresh interval (refresh()), so a request decided elsewhere stops being
    // named as the open one within that bound. The database's time of the last look, guarded by refreshing.
    private final Object refreshing = new Object();
    private OffsetDateTime changesSeen;

    @Activate
    public ApprovalServiceImpl(@Reference ComponentServiceObjects<DecisionPoint> decisionPoint,
            @Reference IntentService intent,
            @Reference ModelStore model, @Reference EvidenceLedger ledger,
            @Reference(target = "(dataSourceName=mandate)") DataSource dataSource, ApprovalServiceConfig config) {
        this(new FetchedAtFirstUse<>(decisionPoint), intent, model, ledger, new JdbcApprovalStore(dataSource),
                Clock.systemUTC(), Duration.ofMinutes(config.expiryMinutes()), config.maxEscalations(),
                Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "mandate-approvals")));
        sweeper.scheduleWithFixedDelay(this::sweepQuietly, config.sweepSeconds(), config.sweepSeconds(), TimeUnit.SECONDS);
        refreshEvery(Duration.ofMillis(Math.max(100, config.refreshMillis())));
    }

    /** Looks at the table for other nodes' changes every {@code interval}, on the sweeper's thread. */
    void refreshEvery(Duration interval) {
        sweeper.scheduleWithFixedDelay(this::refreshQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The approval queue outside OSGi (the REST tests): over {@code dataSource}, without the
     * escalation schedule ({@link #sweep} escalates when called).
     */
    public ApprovalServiceImpl(DecisionPoint decisionPoint, IntentService intent, ModelStore model,
            EvidenceLedger ledger, DataSource dataSource, Clock clock, Duration expiry) {
        this(() -> decisionPoint, intent, model, ledger, new JdbcApprovalStore(dataSource), clock, expiry, 3,
                Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "mandate-approvals")));
    }

    ApprovalServiceImpl(Supplier<DecisionPoint> decisionPoint, IntentService intent, ModelStore model,
            EvidenceLedger ledger, ApprovalStore store, Clock clock, Duration expiry, int maxEscalations, ScheduledExecutorService sweeper) {
        this.decisionPoint = decisionPoint;
        this.intent = intent;
        this.model = model;
        this.ledger = ledger;
        this.store = store;
        this.duties = new SeparationOfDuties(intent::team);
        this.clock = clock;
        this.expiry = expiry;
        this.maxEscalations = maxEscalations;
        this.sweeper = sweeper;
    }

    @Deactivate
    void deactivate() {
        sweeper.shutdownNow();
        if (decisionPoint instanceof FetchedAtFirstUse<DecisionPoint> fetched) {
            fetched.release();
        }
    }

    @Override
    public ApprovalRequest open(Decision decision, ActionRequest request) {
        ensureTable();
        String hash = RequestHash.of(request, decision.approvers());
        for (int attempt = 1; ; attempt++) {
            Opening opening;
            lifecycle.readLock().lock();
            try {
                synchronized (stripes[hash.hashCode() & (STRIPES - 1)]) {
                    opening = open(decision, request, hash);
                }
            } finally {
                lifecycle.readLock().unlock();
            }
            if (opening.request() != null) {
                return opening.request();
            }
            if (attempt == OPEN_ATTEMPTS) {
                throw keptChanging(request);
            }
            moveOverdue(opening.overdue());
        }
    }

    /** What opening found: the request that now asks for the change, or the overdue one to move first. */
    private record Opening(ApprovalRequest request, ApprovalStore.Stored overdue) {
    }

    /**
     * The request for the change: the one holding its open key (asked again), else a new one. Two nodes
     * opening the same change at once both try to insert; the table's unique open key lets one in, and
     * the other reads that one's request. An overdue holder has to escalate or expire first (which
     * needs the write side of the lifecycle lock): it is handed back for that.
     */
    private Opening open(Decision decision, ActionRequest request, String hash) {
        for (int attempt = 1; attempt <= OPEN_ATTEMPTS; attempt++) {
            Instant now = clock.instant();
            Optional<ApprovalStore.Stored> holder = holderOf(hash);
            if (holder.isPresent()) {
                ApprovalRequest held = holder.get().request();
                if (held.status().isOpen() && !now.isBefore(held.expiresAt())) {
                    return new Opening(null, holder.get());
                }
                if (abandoned(held, now)) {
                    return new Opening(null, holder.get());
                }
                // the same change asked again (a plan submitted twice): one request, asked once
                Map<String, Object> facts = new LinkedHashMap<>();
                facts.put("repeatedByDecision", decision.decisionId());
                putEvidenceOf(decision, facts);
                facts.put("requestHash", hash);
                record("approval.repeated", held, decision.modelRevision(), facts);
                return new Opening(held, null);
            }
            ApprovalRequest approval = new ApprovalRequest(UUID.randomUUID().toString(), decision.decisionId(), request,
                    environmentOf(request), decision.approvers(), ApprovalStatus.PENDING, 0, now, now.plus(expiry), null,
                    null, null, null);
            if (store.insert(approval, hash)) {
                Map<String, Object> facts = new LinkedHashMap<>();
                putEvidenceOf(decision, facts);
                try {
                    record("approval.opened", approval, decision.modelRevision(), facts);
                } catch (RuntimeException e) {
                    // no request without the record of its opening: nobody was told of it yet
                    removeUnrecorded(approval.id(), e);
                    throw e;
                }
                remember(new ApprovalStore.Stored(approval, hash, 0));
                return new Opening(approval, null);
            }
            // another node opened this change first: its request is the one (read on the next turn)
        }
        throw keptChanging(request);
    }

    private static ApprovalConflictException keptChanging(ActionRequest request) {
        return new ApprovalConflictException("no approval request could be opened for " + request.action().wireName()
                + " on '" + request.target() + "': the request for this change kept changing on other nodes");
    }

    private void removeUnrecorded(String id, RuntimeException failure) {
        try {
            if (store.remove(id, 0)) {
                return;
            }
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
        LOG.error("approval request '{}' is open without the record of its opening and could not be removed", id);
    }

    /**
     * Whether {@code held} is an approval's claim that no node finished: claimed longer ago than any
     * decision takes (the node stopped, or could not write the outcome). It holds the change's open key
     * until it expires.
     */
    private static boolean abandoned(ApprovalRequest held, Instant now) {
        return held.status() == ApprovalStatus.APPROVED && held.outcome() == null && held.decidedAt() != null
                && !now.isBefore(held.decidedAt().plus(CLAIM_LEASE));
    }

    /**
     * Escalates or expires an overdue request that a change asked again found, or expires an abandoned
     * claim (without a second decision: its approval may have yielded a grant nobody received), unless
     * another node did first.
     */
    private void moveOverdue(ApprovalStore.Stored found) {
        lifecycle.writeLock().lock();
        try {
            Optional<ApprovalStore.Stored> current = store.find(found.request().id());
            Instant now = clock.instant();
            if (current.isPresent()) {
                ApprovalRequest request = current.get().request();
                if (request.status().isOpen() && !now.isBefore(request.expiresAt())
                        && escalateOrExpire(current.get()) != null) {
                    return;
                }
                if (abandoned(request, now) && changeRecorded(current.get(), with(request, ApprovalStatus.EXPIRED,
                        request.approvers(), request.escalationLevel(), request.expiresAt(), null, null, null),
                        "approval.expired", currentRevision(), Map.of("abandonedApprovalBy", request.decidedBy())) != null) {
                    return;
                }
            }
            reread(found.request().id());
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    /**
     * The decision's record hash, when it is already chained. The decision point queues the decision's
     * record just before opening the request, so both are made durable by one group commit; the hash is
     * not known yet then, and the decision id (in every approval record) is the link.
     */
    private static void putEvidenceOf(Decision decision, Map<String, Object> facts) {
        if (decision.evidence() != null) {
            facts.put("evidenceOfDecision", decision.evidence());
        }
    }

    /**
     * The request holding the change's open key: from the index, else from the table (a request opened
     * by another node, or claimed by an approval there). An open one found in the table is kept in the index.
     */
    private Optional<ApprovalStore.Stored> holderOf(String hash) {
        ApprovalRequest known = openByHash.get(hash);
        if (known != null) {
            Long version = versionById.get(known.id());
            if (version != null) {
                return Optional.of(new ApprovalStore.Stored(known, hash, version));
            }
        }
        Optional<ApprovalStore.Stored> stored = store.holderOf(hash);
        stored.filter(held -> held.request().status().isOpen()).ifPresent(this::remember);
        return stored;
    }

    private void remember(ApprovalStore.Stored open) {
        openByHash.put(open.requestHash(), open.request());
        hashById.put(open.request().id(), open.requestHash());
        versionById.put(open.request().id(), open.version());
    }

    /**
     * Keeps the index in step with a request as written at {@code version} (here or by another node):
     * still open (escalated) or no longer. An older version than the index holds changes nothing.
     */
    private void written(ApprovalRequest request, long version) {
        String hash = hashById.get(request.id());
        if (hash == null) {
            return;
        }
        Long known = versionById.get(request.id());
        if (known != null && known >= version) {
            return;
        }
        if (request.status().isOpen()) {
            versionById.put(request.id(), version);
            openByHash.computeIfPresent(hash, (key, held) -> held.id().equals(request.id()) ? request : held);
        } else {
            hashById.remove(request.id());
            versionById.remove(request.id());
            openByHash.computeIfPresent(hash, (key, held) -> held.id().equals(request.id()) ? null : held);
        }
    }

    /**
     * Brings the index up to date with what other nodes changed in the table since the last look
     * (decided, escalated or expired requests); returns how many requests it changed in the index.
     */
    int refresh() {
        if (!migrated) {
            return 0; // the index is read from the table on first use, with everything changed until then
        }
        synchronized (refreshing) {
            ApprovalStore.Changes changes = store.changedSince(changesSeen.minus(CHANGE_LOOKBACK));
            changesSeen = changes.readAt();
            int refreshed = 0;
            for (Map.Entry<String, Long> change : changes.versions().entrySet()) {
                Long known = versionById.get(change.getKey());
                if (known == null || known >= change.getValue()) {
                    continue; // not in the index, or seen by an earlier look
                }
                Optional<ApprovalStore.Stored> fresh = store.find(change.getKey());
                lifecycle.writeLock().lock();
                try {
                    if (fresh.isPresent()) {
                        written(fresh.get().request(), fresh.get().version());
                    }
                } finally {
                    lifecycle.writeLock().unlock();
                }
                refreshed++;
            }
            return refreshed;
        }
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.warn("reading other nodes' approval changes failed; will try again: {}", e.getMessage());
        }
    }

    /** The ids of the requests the index holds as open (tests). */
    Set<String> indexedOpen() {
        return Set.copyOf(hashById.keySet());
    }

    /** Reads one request again after another node changed it, and keeps the index in step. */
    private void reread(String id) {
        store.find(id).ifPresent(fresh -> written(fresh.request(), fresh.version()));
    }

    private static ApprovalConflictException changedElsewhere(String id) {
        return new ApprovalConflictException("approval request '" + id
                + "' was changed by another node while it was being decided; nothing was decided here");
    }

    @Override
    public List<ApprovalRequest> list(ApprovalStatus status) {
        ensureTable();
        return store.list(status, 1000);
    }

    @Override
    public Optional<ApprovalRequest> get(String id) {
        ensureTable();
        return store.get(id);
    }

    @Override
    public ApprovalRequest approve(String id, Actor approver, String comment) {
        lifecycle.writeLock().lock();
        try {
            return approveLocked(id, approver, comment);
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    /**
     * The request is claimed in the table first (approved, without an outcome yet, conditional on the
     * version read): a node that loses the claim decides nothing. Then it is decided again with the
     * approval (the decision's own record names the approval), and the outcome (with its grant) is
     * written together with the {@code approval.approved} record it owes, which is then appended and
     * cleared. If deciding fails the claim is undone. If only the append fails the request stays
     * approved, so that it can never yield a second grant, and the record stays owed: every node's sweep
     * writes it once the ledger takes it again ({@link #writeOwedEvidence}), and each failure is logged
     * as an error.
     */
    private ApprovalRequest approveLocked(String id, Actor approver, String comment) {
        ApprovalStore.Stored current = openRequest(id);
        ApprovalRequest approval = current.request();
        refuseUnlessEligible(approver, approval);
        ApprovalRequest claimed = with(approval, ApprovalStatus.APPROVED, approval.approvers(),
                approval.escalationLevel(), approval.expiresAt(), approver.id(), comment, null);
        if (!store.update(claimed, current.version())) {
            reread(id);
            throw changedElsewhere(id);
        }
        long version = current.version() + 1;
        Decision outcome;
        try {
            outcome = decisionPoint.get().decideApproved(approval.request(), approval.id(), approver);
        } catch (RuntimeException e) {
            undo(current, version);
            throw e;
        }
        ApprovalRequest approved = new ApprovalRequest(claimed.id(), claimed.decisionId(), claimed.request(),
                claimed.environment(), claimed.approvers(), claimed.status(), claimed.escalationLevel(),
                claimed.createdAt(), claimed.expiresAt(), claimed.decidedBy(), claimed.decidedAt(), claimed.comment(),
                outcome);
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("approver", approver.id());
        facts.put("comment", comment);
        facts.put("outcome", outcome.outcome().name());
        facts.put("decisionAfterApproval", outcome.decisionId());
        facts.put("grantIssued", outcome.grant() != null);
        ApprovalStore.OwedEvidence owed = new ApprovalStore.OwedEvidence("approval.approved", outcome.modelRevision(),
                payload(approved, facts));
        if (!store.update(approved, version, owed, clock.instant().plus(EVIDENCE_RETRY))) {
            throw new IllegalStateException("approval request '" + id + "' changed while this node held its approval");
        }
        version++;
        written(approved, version);
        writeOwed(id, version, owed);
        return approved;
    }

    /**
     * Appends a record the request owes and clears it; when the ledger fails the record stays owed for
     * the sweep to write, and the failure is logged as an error (it is never dropped silently).
     */
    private boolean writeOwed(String id, long version, ApprovalStore.OwedEvidence owed) {
        try {
            ledger.append(owed.type(), owed.modelRevision(), owed.payload());
        } catch (RuntimeException e) {
            LOG.error("approval request '{}' owes its '{}' record: the ledger did not take it ({}); the sweep writes it"
                    + " once the ledger takes records again", id, owed.type(), e.getMessage());
            return false;
        }
        try {
            if (!store.evidenceWritten(id, version)) {
                LOG.warn("approval request '{}' changed before its '{}' record was marked written; it may be written twice",
                        id, owed.type());
            }
        } catch (RuntimeException e) {
            LOG.warn("approval request '{}': its '{}' record was written but could not be marked so; it may be written"
                    + " twice: {}", id, owed.type(), e.getMessage());
        }
        return true;
    }

    /**
     * Writes the records that requests owe and that are due (their step's own append failed), each
     * taken by one node first; the record says it was written late. Returns how many were written.
     */
    int writeOwedEvidence() {
        ensureTable();
        int written = 0;
        for (ApprovalStore.Owing owing : store.evidenceDue(clock.instant())) {
            if (!store.takeEvidence(owing.id(), owing.version(), clock.instant().plus(EVIDENCE_RETRY))) {
                continue; // another node took it, or wrote it
            }
            Map<String, Object> payload = new LinkedHashMap<>(owing.evidence().payload());
            payload.put("writtenLate", true);
            if (!writeOwed(owing.id(), owing.version() + 1,
                    new ApprovalStore.OwedEvidence(owing.evidence().type(), owing.evidence().modelRevision(), payload))) {
                break; // the ledger is still down: the rest stays due for the next sweep
            }
            written++;
        }
        return written;
    }

    @Override
    public ApprovalRequest reject(String id, Actor approver, String comment) {
        lifecycle.writeLock().lock();
        try {
            return rejectLocked(id, approver, comment);
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    private ApprovalRequest rejectLocked(String id, Actor approver, String comment) {
        ApprovalStore.Stored current = openRequest(id);
        ApprovalRequest approval = current.request();
        refuseUnlessEligible(approver, approval);
        ApprovalRequest rejected = with(approval, ApprovalStatus.REJECTED, approval.approvers(),
                approval.escalationLevel(), approval.expiresAt(), approver.id(), comment, null);
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("approver", approver.id());
        facts.put("comment", comment);
        changeRecorded(current, rejected, "approval.rejected", currentRevision(), facts);
        return rejected;
    }

    /** Escalates or expires every overdue request; returns how many changed. */
    int sweep() {
        ensureTable();
        lifecycle.writeLock().lock();
        try {
            int changed = 0;
            for (ApprovalStore.Stored overdue : store.overdue(clock.instant())) {
                if (escalateOrExpire(overdue) != null) {
                    changed++;
                } else {
                    reread(overdue.request().id()); // another node escalated or decided it first
                }
            }
            return changed;
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.warn("approval escalation check failed; will try again: {}", e.getMessage());
        }
        try {
            writeOwedEvidence();
        } catch (RuntimeException e) {
            LOG.error("the approval records still owed could not be written; will try again: {}", e.getMessage());
        }
    }

    /** The request escalated or expired by this node, or null when another node changed it first. */
    private ApprovalStore.Stored escalateOrExpire(ApprovalStore.Stored stored) {
        ApprovalRequest overdue = stored.request();
        Instant now = clock.instant();
        Optional<String> next = nextInChain(overdue, store.firstApprovers(overdue.id()));
        if (next.isPresent() && overdue.escalationLevel() < maxEscalations) {
            ApprovalRequest escalated = with(overdue, ApprovalStatus.ESCALATED, List.of(next.get()),
                    overdue.escalationLevel() + 1, now.plus(expiry), null, null, null);
            return changeRecorded(stored, escalated, "approval.escalated", currentRevision(),
                    Map.of("from", overdue.approvers(), "to", next.get()));
        }
        ApprovalRequest expired = with(overdue, ApprovalStatus.EXPIRED, overdue.approvers(), overdue.escalationLevel(),
                overdue.expiresAt(), null, null, null);
        return changeRecorded(stored, expired, "approval.expired", currentRevision(), Map.of());
    }

    /**
     * Writes {@code changed} over {@code current} when no other node changed it since it was read, then
     * records it; when the record cannot be written the change is undone (no step without evidence).
     * Returns the request as now stored; null (approve, reject: a conflict) when another node was first.
     */
    private ApprovalStore.Stored changeRecorded(ApprovalStore.Stored current, ApprovalRequest changed, String type,
            long revision, Map<String, Object> facts) {
        if (!store.update(changed, current.version())) {
            if (changed.status() == ApprovalStatus.REJECTED) {
                reread(changed.id());
                throw changedElsewhere(changed.id());
            }
            return null;
        }
        long version = current.version() + 1;
        try {
            record(type, changed, revision, facts);
        } catch (RuntimeException e) {
            undo(current, version);
            throw e;
        }
        written(changed, version);
        return new ApprovalStore.Stored(changed, current.requestHash(), version);
    }

    /** Puts a request back as it was before this node changed it to {@code version}, unless another node changed it since. */
    private void undo(ApprovalStore.Stored before, long version) {
        try {
            if (store.update(before.request(), version)) {
                written(before.request(), version + 1);
                return;
            }
            LOG.warn("approval request '{}' changed on another node before this node's failed step was undone",
                    before.request().id());
        } catch (RuntimeException e) {
            LOG.warn("approval request '{}' could not be put back after a failed step: {}", before.request().id(),
                    e.getMessage());
        }
    }

    /** The first team of the current approvers' escalation chain that has not been asked yet. */
    /**
     * The team to escalate to next: the next one of the escalation chain of the teams the request was
     * first addressed to (their chains in turn, without the teams themselves), one team per escalation
     * level; nothing when that chain is walked. A request opened before its first approvers were kept
     * goes to the first team of its current approvers' chains that it is not addressed to already.
     */
    private Optional<String> nextInChain(ApprovalRequest approval, Optional<List<String>> firstApprovers) {
        if (firstApprovers.isEmpty()) {
            return nextInCurrentChains(approval);
        }
        List<String> chain = new ArrayList<>();
        for (String teamId : firstApprovers.get()) {
            for (String candidate : intent.team(teamId).map(Team::escalation).orElse(List.of())) {
                if (!firstApprovers.get().contains(candidate) && !chain.contains(candidate)) {
                    chain.add(candidate);
                }
            }
        }
        int level = approval.escalationLevel();
        return level < chain.size() ? Optional.of(chain.get(level)) : Optional.empty();
    }

    private Optional<String> nextInCurrentChains(ApprovalRequest approval) {
        for (String teamId : approval.approvers()) {
            Optional<Team> team = intent.team(teamId);
            if (team.isPresent()) {
                for (String candidate : team.get().escalation()) {
                    if (!approval.approvers().contains(candidate)) {
                        return Optional.of(candidate);
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The request as stored now, escalated or expired first when it is overdue; refused unless it is open. */
    private ApprovalStore.Stored openRequest(String id) {
        ensureTable();
        ApprovalStore.Stored current = store.find(id)
                .orElseThrow(() -> new IllegalArgumentException("no approval request '" + id + "'"));
        if (current.request().status().isOpen() && !clock.instant().isBefore(current.request().expiresAt())) {
            ApprovalStore.Stored moved = escalateOrExpire(current);
            current = moved != null ? moved : store.find(id).orElseThrow(() -> changedElsewhere(id));
        }
        ApprovalRequest approval = current.request();
        if (!approval.status().isOpen()) {
            written(approval, current.version());
            throw new ApprovalConflictException("approval request '" + id + "' is "
                    + approval.status().name().toLowerCase(java.util.Locale.ROOT) + " and can no longer be decided");
        }
        return current;
    }

    private void refuseUnlessEligible(Actor approver, ApprovalRequest approval) {
        Optional<String> refusal = duties.refusal(approver, approval);
        if (refusal.isPresent()) {
            Map<String, Object> facts = new LinkedHashMap<>();
            facts.put("approver", approver == null ? null : approver.id());
            facts.put("refusal", refusal.get());
            record("approval.refused", approval, currentRevision(), facts);
            throw new ApprovalRefusedException(refusal.get());
        }
    }

    private String environmentOf(ActionRequest request) {
        try {
            return model.current().element(request.target()).map(Element::environment)
                    .orElseGet(() -> proposedEnvironment(request));
        } catch (RuntimeException e) {
            return proposedEnvironment(request);
        }
    }

    private static String proposedEnvironment(ActionRequest request) {
        Object proposed = request.context().get("proposed");
        Object environment = proposed instanceof Map<?, ?> map ? map.get("environment") : request.after().get("environment");
        return environment instanceof String text ? text : null;
    }

    private long currentRevision() {
        try {
            return model.current().revision();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private void record(String type, ApprovalRequest approval, long revision, Map<String, Object> facts) {
        ledger.append(type, revision, payload(approval, facts));
    }

    private static Map<String, Object> payload(ApprovalRequest approval, Map<String, Object> facts) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("approvalId", approval.id());
        payload.put("decisionId", approval.decisionId());
        payload.put("requester", approval.request().actor().id());
        payload.put("action", approval.request().action().wireName());
        payload.put("target", approval.request().target());
        payload.put("approvers", approval.approvers());
        payload.put("status", approval.status().name());
        payload.put("escalationLevel", approval.escalationLevel());
        payload.put("expiresAt", approval.expiresAt().toString());
        payload.putAll(facts);
        return payload;
    }

    private static Object[] stripes() {
        Object[] locks = new Object[STRIPES];
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
        return locks;
    }

    private void ensureTable() {
        if (!migrated) {
            synchronized (this) {
                if (!migrated) {
                    if (store instanceof JdbcApprovalStore jdbc) {
                        jdbc.migrate();
                    }
                    synchronized (refreshing) {
                        changesSeen = store.changedSince(null).readAt();
                    }
                    for (ApprovalStore.Stored open : store.open()) {
                        if (open.requestHash() != null && !openByHash.containsKey(open.requestHash())) {
                            remember(open);
                        }
                    }
                    migrated = true;
                }
            }
        }
    }

    private ApprovalRequest with(ApprovalRequest a, ApprovalStatus status, List<String> approvers, int level,
            Instant expiresAt, String decidedBy, String comment, Decision outcome) {
        return new ApprovalRequest(a.id(), a.decisionId(), a.request(), a.environment(), new ArrayList<>(approvers),
                status, level, a.createdAt(), expiresAt, decidedBy, decidedBy == null ? null : clock.instant(), comment,
                outcome);
    }
}
