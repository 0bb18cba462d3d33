package dev.mandate.kernel.approvals.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    @Activate
    public ApprovalServiceImpl(@Reference ComponentServiceObjects<DecisionPoint> decisionPoint,
            @Reference IntentService intent,
            @Reference ModelStore model, @Reference EvidenceLedger ledger,
            @Reference(target = "(dataSourceName=mandate)") DataSource dataSource, ApprovalServiceConfig config) {
        this(new FetchedAtFirstUse<>(decisionPoint), intent, model, ledger, new JdbcApprovalStore(dataSource),
                Clock.systemUTC(), Duration.ofMinutes(config.expiryMinutes()), config.maxEscalations(),
                Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "mandate-approvals")));
        sweeper.scheduleWithFixedDelay(this::sweepQuietly, config.sweepSeconds(), config.sweepSeconds(), TimeUnit.SECONDS);
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
        lifecycle.readLock().lock();
        try {
            synchronized (stripes[hash.hashCode() & (STRIPES - 1)]) {
                return open(decision, request, hash);
            }
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private ApprovalRequest open(Decision decision, ActionRequest request, String hash) {
        Instant now = clock.instant();
        Optional<ApprovalRequest> pending = findOpen(hash, now);
        if (pending.isPresent()) {
            // the same change asked again (a plan submitted twice): one request, asked once
            Map<String, Object> facts = new LinkedHashMap<>();
            facts.put("repeatedByDecision", decision.decisionId());
            putEvidenceOf(decision, facts);
            facts.put("requestHash", hash);
            record("approval.repeated", pending.get(), decision.modelRevision(), facts);
            return pending.get();
        }
        ApprovalRequest approval = new ApprovalRequest(UUID.randomUUID().toString(), decision.decisionId(), request,
                environmentOf(request), decision.approvers(), ApprovalStatus.PENDING, 0, now, now.plus(expiry), null,
                null, null, null);
        store.insert(approval, hash);
        remember(hash, approval);
        Map<String, Object> facts = new LinkedHashMap<>();
        putEvidenceOf(decision, facts);
        record("approval.opened", approval, decision.modelRevision(), facts);
        return approval;
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

    /** The oldest open, unexpired request with this content hash: from the index, else from the table. */
    private Optional<ApprovalRequest> findOpen(String hash, Instant now) {
        ApprovalRequest known = openByHash.get(hash);
        if (known != null && now.isBefore(known.expiresAt())) {
            return Optional.of(known);
        }
        Optional<ApprovalRequest> stored = store.findOpen(hash, now);
        stored.ifPresent(found -> remember(hash, found));
        return stored;
    }

    private void remember(String hash, ApprovalRequest open) {
        openByHash.put(hash, open);
        hashById.put(open.id(), hash);
    }

    /** Keeps the index in step with a request just written: still open (escalated) or no longer. */
    private void written(ApprovalRequest request) {
        String hash = hashById.get(request.id());
        if (hash == null) {
            return;
        }
        if (request.status().isOpen()) {
            openByHash.computeIfPresent(hash, (key, known) -> known.id().equals(request.id()) ? request : known);
        } else {
            hashById.remove(request.id());
            openByHash.computeIfPresent(hash, (key, known) -> known.id().equals(request.id()) ? null : known);
        }
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

    private ApprovalRequest approveLocked(String id, Actor approver, String comment) {
        ApprovalRequest approval = openRequest(id);
        refuseUnlessEligible(approver, approval);
        Decision outcome = decisionPoint.get().decideApproved(approval.request(), approval.id(), approver);
        ApprovalRequest approved = with(approval, ApprovalStatus.APPROVED, approval.approvers(),
                approval.escalationLevel(), approval.expiresAt(), approver.id(), comment, outcome);
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("approver", approver.id());
        facts.put("comment", comment);
        facts.put("outcome", outcome.outcome().name());
        facts.put("decisionAfterApproval", outcome.decisionId());
        facts.put("grantIssued", outcome.grant() != null);
        record("approval.approved", approved, outcome.modelRevision(), facts);
        store.update(approved);
        written(approved);
        return approved;
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
        ApprovalRequest approval = openRequest(id);
        refuseUnlessEligible(approver, approval);
        ApprovalRequest rejected = with(approval, ApprovalStatus.REJECTED, approval.approvers(),
                approval.escalationLevel(), approval.expiresAt(), approver.id(), comment, null);
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("approver", approver.id());
        facts.put("comment", comment);
        record("approval.rejected", rejected, currentRevision(), facts);
        store.update(rejected);
        written(rejected);
        return rejected;
    }

    /** Escalates or expires every overdue request; returns how many changed. */
    int sweep() {
        ensureTable();
        lifecycle.writeLock().lock();
        try {
            int changed = 0;
            for (ApprovalRequest overdue : store.overdue(clock.instant())) {
                escalateOrExpire(overdue);
                changed++;
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
    }

    private ApprovalRequest escalateOrExpire(ApprovalRequest overdue) {
        Instant now = clock.instant();
        Optional<String> next = nextInChain(overdue);
        if (next.isPresent() && overdue.escalationLevel() < maxEscalations) {
            ApprovalRequest escalated = with(overdue, ApprovalStatus.ESCALATED, List.of(next.get()),
                    overdue.escalationLevel() + 1, now.plus(expiry), null, null, null);
            record("approval.escalated", escalated, currentRevision(), Map.of("from", overdue.approvers(), "to", next.get()));
            store.update(escalated);
        written(escalated);
            return escalated;
        }
        ApprovalRequest expired = with(overdue, ApprovalStatus.EXPIRED, overdue.approvers(), overdue.escalationLevel(),
                overdue.expiresAt(), null, null, null);
        record("approval.expired", expired, currentRevision(), Map.of());
        store.update(expired);
        written(expired);
        return expired;
    }

    /** The first team of the current approvers' escalation chain that has not been asked yet. */
    private Optional<String> nextInChain(ApprovalRequest approval) {
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

    private ApprovalRequest openRequest(String id) {
        ensureTable();
        ApprovalRequest approval = store.get(id)
                .orElseThrow(() -> new IllegalArgumentException("no approval request '" + id + "'"));
        if (approval.status().isOpen() && !clock.instant().isBefore(approval.expiresAt())) {
            approval = escalateOrExpire(approval);
        }
        if (!approval.status().isOpen()) {
            throw new ApprovalRefusedException("approval request '" + id + "' is "
                    + approval.status().name().toLowerCase(java.util.Locale.ROOT) + " and can no longer be decided");
        }
        return approval;
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
        ledger.append(type, revision, payload);
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
                    for (Map.Entry<String, ApprovalRequest> open : store.open()) {
                        if (open.getKey() != null && !openByHash.containsKey(open.getKey())) {
                            remember(open.getKey(), open.getValue());
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
