package dev.mandate.kernel.reconciler.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;

import dev.mandate.api.decision.Action;
import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Actor;
import dev.mandate.api.decision.ActorKind;
import dev.mandate.api.evidence.EvidenceLedger;
import dev.mandate.api.evidence.EvidenceQuery;
import dev.mandate.api.evidence.EvidenceRecord;
import dev.mandate.api.intent.Evaluation;
import dev.mandate.api.intent.EvaluationContext;
import dev.mandate.api.intent.IntentService;
import dev.mandate.api.intent.RuleMatch;
import dev.mandate.api.model.BlastRadius;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.Layer;
import dev.mandate.api.model.LayerState;
import dev.mandate.api.model.ModelSnapshot;
import dev.mandate.api.model.ModelStore;
import dev.mandate.api.model.ModelUnavailableException;
import dev.mandate.api.model.RelationType;
import dev.mandate.kernel.reconciler.DriftFinding;
import dev.mandate.kernel.reconciler.DriftKind;
import dev.mandate.kernel.reconciler.DriftService;
import dev.mandate.kernel.reconciler.internal.DriftDetector.Candidate;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the current drift findings. The Camel route {@code drift} checks for a new model revision (or
 * a change of the intent in force) every {@code intervalMillis} and then diffs the layers
 * ({@link DriftDetector}) and the RUNNING changes since the previous pass: a RUNNING layer that was
 * created, changed or withdrawn without an execution grant for that element covering that action at
 * that time is <em>unauthorized</em>; grants are read from the ledger's {@code decision} records that
 * carry a {@code grant}. Every finding opened or cleared is evidence ({@code drift.opened},
 * {@code drift.cleared}); open findings are restored from the ledger on start, so a restart does not
 * open them again. Severity comes from the blueprints (the highest severity of the constraints that
 * match a system request for the corrective action), else the default per kind.
 */
@Component(service = DriftService.class, immediate = true, configurationPid = "dev.mandate.kernel.reconciler.drift")
@Designate(ocd = DriftTrackerConfig.class)
public final class DriftTracker implements DriftService {
    static final String ROUTE_ID = "drift";
    static final String OPENED = "drift.opened";
    static final String CLEARED = "drift.cleared";
    static final String DECISION = "decision";
    private static final String ALLOW = "ALLOW";
    static final String VERIFIED = "grant.verified";
    static final String MISMATCH = "grant.mismatch";
    static final String RECONCILER_ACTOR = "mandate-reconciler";
    private static final Logger LOG = LoggerFactory.getLogger(DriftTracker.class);
    private static final int LEDGER_PAGE = 1000;
    private static final List<String> SEVERITIES = List.of("low", "medium", "high", "critical");

    /** One grant as the ledger recorded it. */
    record Grant(String decisionId, String action, Instant issuedAt, Instant expiresAt) {
    }

    /** An unauthorized RUNNING change: the hash before it ({@code null}: absent) and what it was. */
    record Unauthorized(String baseline, String action, Instant observedAt, String source) {
    }

    private final ModelStore model;
    private final EvidenceLedger ledger;
    private final RouteHost routes;
    private final Clock clock;
    private final DriftDetector detector;
    private final FlowRuleCheck flowRules = new FlowRuleCheck();
    private final Duration grantSlack;
    private volatile IntentService intent;
    private volatile Map<String, DriftFinding> findings = Map.of();
    private volatile Map<String, List<DriftFinding>> findingsByElement = Map.of();
    private volatile long revision;

    // the state of the passes, guarded by this
    private long checkedRevision = -1;
    private long intentGeneration = -1;
    private boolean dirty;
    private boolean restored;
    private long ledgerCursor = 1;
    private Map<String, String> runningHashes; // null before the first pass
    private final Map<String, Unauthorized> unauthorized = new HashMap<>();
    private final Map<String, List<Grant>> grants = new HashMap<>();
    // the same grants by the instant they stop mattering (expiry plus twice the slack), earliest first
    private final PriorityQueue<Grant> grantsByEnd = new PriorityQueue<>(Comparator.comparing(Grant::expiresAt));
    private final Map<Grant, String> targetOf = new HashMap<>();
    // grants whose target has not been observed changing yet, by target; verified at the next observation
    private final Map<String, List<Grant>> pending = new HashMap<>();
    // the earliest expiry among the pending grants (Instant.MAX: none); null when it must be found again
    private Instant pendingExpiry = Instant.MAX;
    private final Set<String> settledGrants = new HashSet<>(); // decision ids already verified (restored)
    private final Map<String, DriftFinding> open = new TreeMap<>();
    private final Map<String, Map<String, Object>> restoredPayloads = new LinkedHashMap<>();
    // what the last pass found, kept for incremental passes (guarded by this)
    private final ModelChanges changeLog; // null when the model is not the reconciler's: every pass is full
    private Map<String, Candidate> standing; // layer and flow candidates by finding id; null before the first pass
    private Map<String, Set<String>> standingByElement;
    private final Map<String, Integer> runningPerProvider = new HashMap<>();
    private final Map<String, Integer> runningPerSource = new HashMap<>();
    private final Map<String, String> providerOf = new HashMap<>();
    private boolean changedFindings;
    private long fullPasses; // for tests and benchmarks: how many passes looked at every element

    @Activate
    public DriftTracker(@Reference ModelChanges model, @Reference EvidenceLedger ledger, @Reference RouteHost routes,
            DriftTrackerConfig config) {
        this(model, ledger, routes, Clock.systemUTC(), config.maxDivergedPerElement(),
                Set.of(config.ignoredPaths() == null ? new String[0] : config.ignoredPaths()),
                Duration.ofSeconds(Math.max(0, config.grantSlackSeconds())));
        routes.schedule(ROUTE_ID, "diff the intended, built and running layers after each revision",
                Math.max(50, config.intervalMillis()), Math.max(50, config.intervalMillis()), this::check);
    }

    /** Without a route: the caller runs {@link #check} (tests, benchmarks). */
    public DriftTracker(ModelStore model, EvidenceLedger ledger, RouteHost routes, Clock clock, int maxDivergedPerElement,
            Set<String> ignoredPaths, Duration grantSlack) {
        this.model = model;
        this.changeLog = model instanceof ModelChanges changes ? changes : null;
        this.ledger = ledger;
        this.routes = routes;
        this.clock = clock;
        this.detector = new DriftDetector(maxDivergedPerElement, ignoredPaths);
        this.grantSlack = grantSlack;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setIntent(IntentService service) {
        this.intent = service;
    }

    void unsetIntent(IntentService service) {
        if (this.intent == service) {
            this.intent = null;
        }
    }

    @Deactivate
    void close() {
        if (routes != null) {
            routes.remove(ROUTE_ID);
        }
    }

    @Override
    public List<DriftFinding> findings(DriftKind kind, String owner, String elementClass) {
        List<DriftFinding> matching = new ArrayList<>();
        for (DriftFinding finding : findings.values()) {
            if (kind != null && finding.kind() != kind) {
                continue;
            }
            if (owner != null && !owner.isBlank()) {
                boolean none = owner.equals("none");
                if (none ? finding.owner() != null : !owner.equals(finding.owner())) {
                    continue;
                }
            }
            if (elementClass != null && !elementClass.isBlank()) {
                String elementKind = finding.elementKind() == null ? "" : finding.elementKind();
                if (!elementKind.equals(elementClass) && !elementKind.startsWith(elementClass + ":")) {
                    continue;
                }
            }
            matching.add(finding);
        }
        return matching;
    }

    @Override
    public long revision() {
        return revision;
    }

    @Override
    public Map<String, List<DriftFinding>> findingsByElement() {
        return findingsByElement;
    }

    /** Publishes the open findings to readers, by id and by element. */
    private void publish() {
        Map<String, DriftFinding> byId = Collections.unmodifiableMap(new TreeMap<>(open));
        Map<String, List<DriftFinding>> byElement = new HashMap<>();
        for (DriftFinding finding : byId.values()) {
            byElement.computeIfAbsent(finding.elementId(), id -> new ArrayList<>(2)).add(finding);
        }
        byElement.replaceAll((id, list) -> List.copyOf(list));
        findingsByElement = Collections.unmodifiableMap(byElement);
        findings = byId;
    }

    /** How many passes looked at every element (the others looked only at what changed). */
    public synchronized long fullPasses() {
        return fullPasses;
    }

    /**
     * One tick of the drift route: a pass when the revision or the intent changed, or evidence of the
     * previous pass is still to be written. Returns the error line, or null.
     */
    public synchronized String check() {
        ModelSnapshot snapshot;
        try {
            snapshot = model.current();
        } catch (ModelUnavailableException e) {
            return "waiting for the model: " + e.getMessage();
        }
        try {
            readLedger();
        } catch (RuntimeException e) {
            return "the ledger cannot be read: " + e.getMessage();
        }
        trimGrants();
        IntentService service = intent;
        long generation = service == null ? 0 : service.generation();
        if (snapshot.revision() == checkedRevision && generation == intentGeneration && !dirty
                && !grantExpired()) {
            return null;
        }
        Set<String> touched = null;
        if (changeLog != null && !dirty && generation == intentGeneration && checkedRevision >= 0) {
            touched = snapshot.revision() == checkedRevision ? Set.of()
                    : changeLog.touched(checkedRevision, snapshot.revision());
        }
        dirty = false;
        pass(snapshot, touched);
        checkedRevision = snapshot.revision();
        intentGeneration = generation;
        if (changedFindings) {
            changedFindings = false;
            publish();
        }
        revision = snapshot.revision();
        return dirty ? "some drift evidence was not recorded; retrying" : null;
    }

    /** Whether a pending grant has expired (plus the slack) without its change observed: a pass records it. */
    private boolean grantExpired() {
        Instant earliest = pendingExpiry;
        if (earliest == null) {
            // the pending grants changed since the last look: one walk, then every tick compares one instant
            earliest = Instant.MAX;
            for (List<Grant> list : pending.values()) {
                for (Grant grant : list) {
                    if (grant.expiresAt().isBefore(earliest)) {
                        earliest = grant.expiresAt();
                    }
                }
            }
            pendingExpiry = earliest;
        }
        return earliest.isBefore(clock.instant().minus(grantSlack));
    }

    /** Reads the ledger records appended since the last read: grants, and on the first read the open findings. */
    private void readLedger() {
        if (restored) {
            readGrants();
            return;
        }
        List<EvidenceRecord> page;
        do {
            // by sequence (the primary key): a query narrowed by type walks the type index from its start
            page = ledger.read(ledgerCursor, LEDGER_PAGE);
            for (EvidenceRecord record : page) {
                ledgerCursor = record.sequence() + 1;
                if (DECISION.equals(record.type()) && record.payload().get("grant") instanceof Map<?, ?> grant) {
                    indexGrant(record, grant);
                } else if (!restored && OPENED.equals(record.type())) {
                    restoredPayloads.put(String.valueOf(record.payload().get("id")), record.payload());
                } else if (!restored && CLEARED.equals(record.type())) {
                    restoredPayloads.remove(String.valueOf(record.payload().get("id")));
                } else if (!restored && (VERIFIED.equals(record.type()) || MISMATCH.equals(record.type()))) {
                    settledGrants.add(String.valueOf(record.payload().get("decisionId")));
                }
            }
        } while (page.size() == LEDGER_PAGE);
        if (!restored) {
            restored = true;
            pending.values().forEach(list -> list.removeIf(grant -> settledGrants.contains(grant.decisionId())));
            pending.values().removeIf(List::isEmpty);
            pendingExpiry = null;
            settledGrants.clear();
            restoredPayloads.forEach((id, payload) -> {
                DriftFinding finding = fromPayload(payload);
                if (finding != null) {
                    open.put(id, finding);
                    if (finding.kind() == DriftKind.UNAUTHORIZED && payload.get("change") instanceof Map<?, ?> change) {
                        unauthorized.put(finding.elementId(), new Unauthorized((String) change.get("baseline"),
                                String.valueOf(change.get("action")), finding.openedAt(),
                                String.valueOf(change.get("source"))));
                    }
                }
            });
            restoredPayloads.clear();
            publish();
        }
    }

    /**
     * After the first read only decisions with a grant matter, and only an ALLOW carries one: asks for
     * ALLOWs (the ledger can pass over the other records without parsing them, most of what a busy
     * decision point writes), by sequence as before, and then moves past the head read beforehand.
     */
    private void readGrants() {
        long head = ledger.head().map(EvidenceRecord::sequence).orElse(0L);
        List<EvidenceRecord> page;
        do {
            page = ledger.query(new EvidenceQuery(null, null, null, null, null, null, null, ALLOW, ledgerCursor - 1,
                    LEDGER_PAGE));
            for (EvidenceRecord record : page) {
                ledgerCursor = record.sequence() + 1;
                if (DECISION.equals(record.type()) && record.payload().get("grant") instanceof Map<?, ?> grant) {
                    indexGrant(record, grant);
                }
            }
        } while (page.size() == LEDGER_PAGE);
        // every record up to the head was committed before the query, which read past it
        ledgerCursor = Math.max(ledgerCursor, head + 1);
    }

    private void indexGrant(EvidenceRecord record, Map<?, ?> grant) {
        if (!(record.payload().get("request") instanceof Map<?, ?> request)) {
            return;
        }
        Object target = request.get("target");
        Object action = request.get("action");
        if (target == null || action == null) {
            return;
        }
        Instant expires;
        try {
            expires = Instant.parse(String.valueOf(grant.get("expiresAt")));
        } catch (DateTimeParseException e) {
            return;
        }
        Grant issued = new Grant(String.valueOf(record.payload().get("decisionId")), String.valueOf(action),
                record.timestamp(), expires);
        grants.computeIfAbsent(String.valueOf(target), key -> new ArrayList<>()).add(issued);
        grantsByEnd.add(issued);
        targetOf.put(issued, String.valueOf(target));
        if (!"read".equals(issued.action())) {
            pending.computeIfAbsent(String.valueOf(target), key -> new ArrayList<>()).add(issued);
            if (pendingExpiry != null && expires.isBefore(pendingExpiry)) {
                pendingExpiry = expires;
            }
        }
    }

    /**
     * One pass. {@code touched} names the elements the revisions since the previous pass changed; a
     * pass over them (and the sources of flows into them) is incremental. {@code null} means everything
     * (the first pass, a change of intent, revisions not known to {@link ModelChanges}, evidence to
     * retry, or a provider that became observed or stopped being observed, which changes what can be
     * missing everywhere).
     */
    private void pass(ModelSnapshot snapshot, Set<String> touched) {
        Instant now = clock.instant();
        IntentService rules = intent;
        Map<String, Candidate> scoped;
        Set<String> scope;
        Map<String, String> changes;
        if (touched != null && standing != null && !providersChange(snapshot, touched)) {
            changes = trackTouched(snapshot, touched);
            scope = new HashSet<>(touched);
            for (String id : touched) {
                if (snapshot.element(id).isPresent()) {
                    scope.addAll(FlowRuleCheck.affected(snapshot, id));
                }
            }
            for (String id : scope) {
                Set<String> stale = standingByElement.remove(id);
                if (stale != null) {
                    stale.forEach(standing::remove);
                }
            }
            scoped = new LinkedHashMap<>();
            for (String id : scope) {
                Element element = snapshot.element(id).orElse(null);
                if (element == null) {
                    continue;
                }
                detector.detect(element, runningPerProvider.keySet(), scoped);
                if (rules != null) {
                    flowRules.detect(snapshot, rules, now, element, scoped);
                }
            }
            standing.putAll(scoped);
            index(scoped);
        } else {
            Map<String, String> hashes = new HashMap<>(Math.max(16, snapshot.size() * 4 / 3));
            Map<String, String> providers = new HashMap<>(Math.max(16, snapshot.size() * 4 / 3));
            scoped = detector.detect(snapshot, hashes, providers);
            if (rules != null) {
                scoped.putAll(flowRules.detect(snapshot, rules, now));
            }
            changes = trackRunningChanges(snapshot, hashes);
            fullPasses++;
            runningPerProvider.clear();
            runningPerSource.clear();
            providerOf.clear();
            providerOf.putAll(providers);
            hashes.forEach((id, value) -> {
                runningPerProvider.merge(providers.get(id), 1, Integer::sum);
                runningPerSource.merge(sourceOf(value), 1, Integer::sum);
            });
            standing = new HashMap<>(scoped);
            standingByElement = new HashMap<>();
            index(scoped);
            scope = null;
        }
        verifyGrants(snapshot, changes);
        Map<String, Candidate> candidates = new LinkedHashMap<>(scoped);
        Set<String> unauthorizedIds = new HashSet<>();
        for (Map.Entry<String, Unauthorized> entry : unauthorized.entrySet()) {
            String elementId = entry.getKey();
            Unauthorized change = entry.getValue();
            Element element = snapshot.element(elementId).orElse(null);
            Candidate candidate = new Candidate(DriftKind.UNAUTHORIZED, elementId,
                    element == null ? dev.mandate.api.model.ElementIds.kindOf(elementId) : element.kind(),
                    element == null ? null : element.owner(), null, null, null, null,
                    "running '" + elementId + "' had a " + change.action() + " (observed by '" + change.source()
                            + "') that no execution grant covered");
            candidates.put(candidate.id(), candidate);
            unauthorizedIds.add(candidate.id());
        }

        int opened = 0;
        int cleared = 0;
        for (Candidate candidate : candidates.values()) {
            DriftFinding existing = open.get(candidate.id());
            if (existing != null) {
                if (!Objects.equals(existing.expected(), candidate.expected())
                        || !Objects.equals(existing.actual(), candidate.actual())
                        || !Objects.equals(existing.owner(), candidate.owner())) {
                    open.put(candidate.id(), new DriftFinding(existing.id(), existing.kind(), existing.elementId(),
                            candidate.elementKind(), candidate.owner(), existing.severity(), existing.severitySource(),
                            existing.path(), candidate.expected(), candidate.actual(), candidate.rightLayer(),
                            candidate.message(), existing.openedAt(), existing.openedRevision()));
                    changedFindings = true;
                }
                continue;
            }
            String[] severity = candidate.severity() != null
                    ? new String[] {candidate.severity(), candidate.severitySource()}
                    : severity(candidate, snapshot, now);
            DriftFinding finding = new DriftFinding(candidate.id(), candidate.kind(), candidate.elementId(),
                    candidate.elementKind(), candidate.owner(), severity[0], severity[1], candidate.path(),
                    candidate.expected(), candidate.actual(), candidate.rightLayer(), candidate.message(), now,
                    snapshot.revision());
            Map<String, Object> payload = payload(finding);
            Unauthorized change = unauthorized.get(candidate.elementId());
            if (candidate.kind() == DriftKind.UNAUTHORIZED && change != null) {
                Map<String, Object> described = new LinkedHashMap<>();
                described.put("action", change.action());
                described.put("baseline", change.baseline());
                described.put("source", change.source());
                described.put("observedAt", change.observedAt().toString());
                payload.put("change", described);
            }
            if (append(OPENED, snapshot.revision(), payload)) {
                open.put(finding.id(), finding);
                opened++;
                LOG.debug("drift opened: {} ({})", finding.message(), finding.severity());
            }
        }
        for (String id : new ArrayList<>(open.keySet())) {
            DriftFinding finding = open.get(id);
            boolean inScope = scope == null || finding.kind() == DriftKind.UNAUTHORIZED
                    || scope.contains(finding.elementId());
            if (!inScope || standing.containsKey(id) || unauthorizedIds.contains(id)) {
                continue;
            }
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("id", finding.id());
            payload.put("kind", finding.kind().wireName());
            payload.put("element", finding.elementId());
            payload.put("openedRevision", finding.openedRevision());
            payload.put("openedAt", finding.openedAt().toString());
            payload.put("reason", "reality returned to intent at revision " + snapshot.revision());
            if (append(CLEARED, snapshot.revision(), payload)) {
                open.remove(id);
                cleared++;
                LOG.debug("drift cleared: {}", finding.id());
            }
        }
        if (opened > 0 || cleared > 0) {
            changedFindings = true;
            LOG.info("drift at revision {}: {} findings opened, {} cleared, {} open ({} pass)", snapshot.revision(),
                    opened, cleared, open.size(), scope == null ? "full" : "incremental");
        }
    }

    private void index(Map<String, Candidate> candidates) {
        candidates.forEach((id, candidate) -> standingByElement.computeIfAbsent(candidate.elementId(),
                key -> new HashSet<>()).add(id));
    }

    /** Whether the touched elements make a provider observed running, or no longer observed. */
    private boolean providersChange(ModelSnapshot snapshot, Set<String> touched) {
        Map<String, Integer> delta = new HashMap<>();
        for (String id : touched) {
            String before = providerOf.get(id);
            if (before != null) {
                delta.merge(before, -1, Integer::sum);
            }
            Element element = snapshot.element(id).orElse(null);
            if (element != null && element.layers().containsKey(Layer.RUNNING)) {
                delta.merge(element.provider(), 1, Integer::sum);
            }
        }
        for (Map.Entry<String, Integer> entry : delta.entrySet()) {
            int now = runningPerProvider.getOrDefault(entry.getKey(), 0);
            if ((now > 0) != (now + entry.getValue() > 0)) {
                return true;
            }
        }
        return false;
    }

    /** {@link #trackRunningChanges} for the touched elements only; keeps the counters per provider and source. */
    private Map<String, String> trackTouched(ModelSnapshot snapshot, Set<String> touched) {
        Map<String, String> changes = new HashMap<>();
        Set<String> previousSources = new HashSet<>(runningPerSource.keySet());
        Instant now = clock.instant();
        for (String id : touched) {
            String beforeValue = runningHashes.get(id);
            Element element = snapshot.element(id).orElse(null);
            LayerState running = element == null ? null : element.layers().get(Layer.RUNNING);
            String afterValue = running == null ? null : running.source() + "\n" + running.contentHash();
            if (beforeValue != null) {
                runningHashes.remove(id);
                runningPerSource.computeIfPresent(sourceOf(beforeValue), (key, count) -> count == 1 ? null : count - 1);
                String provider = providerOf.remove(id);
                runningPerProvider.computeIfPresent(provider, (key, count) -> count == 1 ? null : count - 1);
            }
            if (afterValue != null) {
                runningHashes.put(id, afterValue);
                runningPerSource.merge(running.source(), 1, Integer::sum);
                providerOf.put(id, element.provider());
                runningPerProvider.merge(element.provider(), 1, Integer::sum);
            }
            observe(snapshot, id, beforeValue, afterValue, previousSources, now, changes);
        }
        return changes;
    }

    /**
     * Opens and closes unauthorized RUNNING changes by comparing the RUNNING hashes with the previous
     * pass; returns the observed changes (element id to create, update or delete).
     */
    private Map<String, String> trackRunningChanges(ModelSnapshot snapshot, Map<String, String> hashes) {
        Map<String, String> previous = runningHashes;
        runningHashes = hashes;
        Map<String, String> changes = new HashMap<>();
        if (previous == null) {
            // the first pass after a start is the baseline: changes made while stopped are not seen
            unauthorized.entrySet().removeIf(entry ->
                    Objects.equals(hashOf(hashes.get(entry.getKey())), entry.getValue().baseline()));
            return changes;
        }
        Set<String> previousSources = new HashSet<>();
        previous.values().forEach(value -> previousSources.add(sourceOf(value)));
        Set<String> ids = new HashSet<>(previous.keySet());
        ids.addAll(hashes.keySet());
        Instant now = clock.instant();
        for (String id : ids) {
            observe(snapshot, id, previous.get(id), hashes.get(id), previousSources, now, changes);
        }
        return changes;
    }

    /** One element's RUNNING layer before and after ({@code <source>\n<hash>}, or null): a change, covered or not. */
    private void observe(ModelSnapshot snapshot, String id, String beforeValue, String afterValue,
            Set<String> previousSources, Instant now, Map<String, String> changes) {
        String before = hashOf(beforeValue);
        String after = hashOf(afterValue);
        if (Objects.equals(before, after)) {
            return;
        }
        if (before == null && !previousSources.contains(sourceOf(afterValue))) {
            return; // the first complete run of a source discovers what exists; it changes nothing
        }
        Element element = snapshot.element(id).orElse(null);
        LayerState running = element == null ? null : element.layers().get(Layer.RUNNING);
        Instant observedAt = running != null && running.observedAt() != null ? running.observedAt() : now;
        String source = running != null ? running.source() : "a connector";
        String action = before == null ? "create" : after == null ? "delete" : "update";
        changes.put(id, action);
        Unauthorized known = unauthorized.get(id);
        if (known != null) {
            if (Objects.equals(after, known.baseline()) || covered(id, action, observedAt)) {
                unauthorized.remove(id); // back as it was, or a grant now covers the new state
            }
            return;
        }
        if (!covered(id, action, observedAt)) {
            unauthorized.put(id, new Unauthorized(before, action, observedAt, source));
        }
    }

    /**
     * After execution (IOM §10): the first observed change of a grant's target after the grant was
     * issued verifies it when it is what the grant allowed ({@code grant.verified}) and is a mismatch
     * otherwise ({@code grant.mismatch}; the change is also an unauthorized finding). A grant whose
     * target shows no change until it expired (plus the slack) is a mismatch too: what was allowed did
     * not happen, or no connector observes it.
     */
    private void verifyGrants(ModelSnapshot snapshot, Map<String, String> changes) {
        if (pending.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        for (java.util.Iterator<Map.Entry<String, List<Grant>>> it = pending.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, List<Grant>> entry = it.next();
            String target = entry.getKey();
            String observed = changes.get(target);
            for (java.util.Iterator<Grant> grantIt = entry.getValue().iterator(); grantIt.hasNext();) {
                Grant grant = grantIt.next();
                String type;
                String outcome;
                if (observed != null) {
                    boolean matches = compatible(grant.action(), observed);
                    type = matches ? VERIFIED : MISMATCH;
                    outcome = matches ? "the observed " + observed + " of '" + target + "' is what grant of decision '"
                            + grant.decisionId() + "' allowed (" + grant.action() + ")"
                            : "the observed " + observed + " of '" + target + "' is not the " + grant.action()
                                    + " that grant of decision '" + grant.decisionId() + "' allowed";
                } else if (now.isAfter(grant.expiresAt().plus(grantSlack))) {
                    type = MISMATCH;
                    outcome = "no change of '" + target + "' was observed before grant of decision '"
                            + grant.decisionId() + "' (" + grant.action() + ") expired";
                } else {
                    continue;
                }
                Map<String, Object> payload = new LinkedHashMap<>();
                payload.put("decisionId", grant.decisionId());
                payload.put("target", target);
                payload.put("granted", grant.action());
                payload.put("observed", observed);
                payload.put("issuedAt", grant.issuedAt().toString());
                payload.put("expiresAt", grant.expiresAt().toString());
                payload.put("message", outcome);
                if (append(type, snapshot.revision(), payload)) {
                    grantIt.remove();
                    pendingExpiry = null;
                    LOG.info("{}: {}", type, outcome);
                }
            }
            if (entry.getValue().isEmpty()) {
                it.remove();
            }
        }
    }

    private static String hashOf(String sourceAndHash) {
        return sourceAndHash == null ? null : sourceAndHash.substring(sourceAndHash.indexOf('\n') + 1);
    }

    private static String sourceOf(String sourceAndHash) {
        return sourceAndHash == null ? null : sourceAndHash.substring(0, sourceAndHash.indexOf('\n'));
    }

    /**
     * Forgets the grants that can no longer cover anything, so that the index stays as large as the
     * grants in force under sustained load. {@link #covered} accepts a change observed up to the slack
     * after expiry; the observation time comes from the connector and can lag the check by up to the
     * slack again, so a grant is kept until its expiry plus twice the slack. A grant still waiting for its
     * change to be observed stays in {@code pending} until it is verified or reported as a mismatch.
     */
    private void trimGrants() {
        Instant horizon = clock.instant().minus(grantSlack).minus(grantSlack);
        Grant earliest;
        while ((earliest = grantsByEnd.peek()) != null && earliest.expiresAt().isBefore(horizon)) {
            grantsByEnd.poll();
            String target = targetOf.remove(earliest);
            List<Grant> forTarget = grants.get(target);
            if (forTarget != null) {
                forTarget.remove(earliest);
                if (forTarget.isEmpty()) {
                    grants.remove(target);
                }
            }
        }
    }

    /** How many issued grants are held for {@link #covered} (tests: the index stays bounded). */
    synchronized int grantsHeld() {
        return targetOf.size();
    }

    /** Whether a grant for {@code target} covers {@code action} observed at {@code when}. */
    boolean covered(String target, String action, Instant when) {
        List<Grant> forTarget = grants.get(target);
        if (forTarget == null) {
            return false;
        }
        for (Grant grant : forTarget) {
            if (grant.issuedAt().isAfter(when) || when.isAfter(grant.expiresAt().plus(grantSlack))) {
                continue;
            }
            if (compatible(grant.action(), action)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a granted action explains an observed create, update or delete of the RUNNING layer. */
    static boolean compatible(String granted, String observed) {
        return switch (observed) {
            case "create" -> granted.equals("create") || granted.equals("replace");
            case "delete" -> granted.equals("delete") || granted.equals("replace");
            default -> !granted.equals("read") && !granted.equals("create") && !granted.equals("delete");
        };
    }

    /** {severity, source}: from the blueprints where one governs, else the default of the kind. */
    private String[] severity(Candidate candidate, ModelSnapshot snapshot, Instant now) {
        String fallback = defaultSeverity(candidate.kind());
        IntentService service = intent;
        Element element = snapshot.element(candidate.elementId()).orElse(null);
        if (service == null || element == null) {
            return new String[] {fallback, "default"};
        }
        try {
            Action action = switch (candidate.kind()) {
                case UNMANAGED -> Action.DELETE;   // bringing it under management or removing it
                case MISSING -> Action.CREATE;     // restoring it
                default -> Action.UPDATE;           // setting it back
            };
            ActionRequest request = new ActionRequest(new Actor(RECONCILER_ACTOR, ActorKind.SYSTEM, null, List.of(),
                    null, null), action, element.id(), "correct drift: " + candidate.message(), null, null,
                    Map.of("drift", candidate.kind().wireName()));
            BlastRadius radius = snapshot.blastRadius(element.id(), EnumSet.of(RelationType.DEPENDS_ON,
                    RelationType.CONTAINS), 1000);
            Evaluation evaluation = service.evaluate(new EvaluationContext(element, request, radius, now));
            String best = null;
            String source = null;
            for (RuleMatch match : evaluation.matches()) {
                String severity = match.severity() == null ? null : match.severity().toLowerCase(Locale.ROOT);
                if (severity != null && SEVERITIES.contains(severity)
                        && (best == null || SEVERITIES.indexOf(severity) > SEVERITIES.indexOf(best))) {
                    best = severity;
                    source = match.source();
                }
            }
            return best == null ? new String[] {fallback, "default"} : new String[] {best, source};
        } catch (RuntimeException e) {
            LOG.debug("severity of drift on '{}' from the blueprints failed; default used", candidate.elementId(), e);
            return new String[] {fallback, "default"};
        }
    }

    static String defaultSeverity(DriftKind kind) {
        return switch (kind) {
            case UNAUTHORIZED, DATAFLOW -> "high";
            case MISSING, DIVERGED -> "medium";
            case UNMANAGED -> "low";
        };
    }

    private boolean append(String type, long modelRevision, Map<String, Object> payload) {
        try {
            ledger.append(type, modelRevision, payload);
            return true;
        } catch (RuntimeException e) {
            dirty = true; // the next tick tries again, even without a new revision
            LOG.warn("{} evidence for '{}' not recorded: {}", type, payload.get("id"), e.getMessage());
            return false;
        }
    }

    static Map<String, Object> payload(DriftFinding finding) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("id", finding.id());
        payload.put("kind", finding.kind().wireName());
        payload.put("element", finding.elementId());
        payload.put("elementKind", finding.elementKind());
        payload.put("owner", finding.owner());
        payload.put("severity", finding.severity());
        payload.put("severitySource", finding.severitySource());
        if (finding.path() != null) {
            payload.put("path", finding.path());
            payload.put("expected", finding.expected());
            payload.put("actual", finding.actual());
        }
        payload.put("rightLayer", finding.rightLayer());
        payload.put("message", finding.message());
        payload.put("openedAt", finding.openedAt().toString());
        payload.put("openedRevision", finding.openedRevision());
        return payload;
    }

    private static DriftFinding fromPayload(Map<String, Object> payload) {
        try {
            return new DriftFinding(String.valueOf(payload.get("id")), DriftKind.of(String.valueOf(payload.get("kind"))),
                    (String) payload.get("element"), (String) payload.get("elementKind"), (String) payload.get("owner"),
                    (String) payload.get("severity"), (String) payload.get("severitySource"), (String) payload.get("path"),
                    payload.get("expected"), payload.get("actual"), (String) payload.get("rightLayer"),
                    (String) payload.get("message"), Instant.parse(String.valueOf(payload.get("openedAt"))),
                    payload.get("openedRevision") instanceof Number n ? n.longValue() : 0);
        } catch (RuntimeException e) {
            LOG.warn("drift finding '{}' in the ledger cannot be restored: {}", payload.get("id"), e.getMessage());
            return null;
        }
    }
}
