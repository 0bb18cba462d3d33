package dev.mandate.kernel.decision.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import dev.mandate.api.decision.Action;
import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Actor;
import dev.mandate.api.decision.ActorKind;
import dev.mandate.api.decision.ApprovalService;
import dev.mandate.api.decision.Decision;
import dev.mandate.api.decision.DecisionPoint;
import dev.mandate.api.decision.UnknownTargetException;
import dev.mandate.api.evidence.EvidenceLedger;
import dev.mandate.api.evidence.EvidenceRecord;
import dev.mandate.api.grant.ExecutionGrant;
import dev.mandate.api.grant.GrantService;
import dev.mandate.api.grant.GrantedChange;
import dev.mandate.api.decision.Outcome;
import dev.mandate.api.decision.Remedy;
import dev.mandate.api.intent.ElementOwnership;
import dev.mandate.api.intent.Evaluation;
import dev.mandate.api.intent.EvaluationContext;
import dev.mandate.api.intent.IntentService;
import dev.mandate.api.intent.TargetDrift;
import dev.mandate.api.model.BlastRadius;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.ElementIds;
import dev.mandate.api.model.ModelSnapshot;
import dev.mandate.api.model.ModelStore;
import dev.mandate.api.model.RelationType;
import dev.mandate.kernel.reconciler.DriftService;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decision point: reads one model snapshot, evaluates the intent in force, combines effects,
 * and records the decision in the ledger before answering. Fails closed on every error.
 */
@Component(service = DecisionPoint.class, configurationPid = "dev.mandate.kernel.decision")
@Designate(ocd = DecisionPointConfig.class)
public class DecisionPointImpl implements DecisionPoint {

    static final String MODEL_UNAVAILABLE = "mandate#model-unavailable";
    static final String EVALUATION_ERROR = "mandate#evaluation-error";
    static final String EVIDENCE_UNAVAILABLE = "mandate#evidence-unavailable";
    static final String AI_IDENTITY = "mandate#ai-agent-identity";
    static final String DRIFT_UNAVAILABLE = "mandate#drift-unavailable";

    private static final Logger LOG = LoggerFactory.getLogger(DecisionPointImpl.class);

    private final ModelStore model;
    private final IntentService intent;
    private final EvidenceLedger ledger;
    private final GrantService grants;
    private final Clock clock;
    private final EffectCombiner combiner;
    private final DecisionIds ids = new DecisionIds();
    // optional and dynamic: the approval service depends on the decision point, not the other way round
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ApprovalService approvals;
    // optional and dynamic: the reconciler's current drift findings, a Zero Trust input
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile DriftService drift;
    private final DriftInput driftInput = new DriftInput();
    private volatile Set<RelationType> blastRelations;
    private volatile int blastCap;
    // null when remedies are switched off
    private volatile RemedyFinder remedyFinder;
    // whether remedies try only the levers a blocking reason reads (the same remedies, fewer evaluations)
    private volatile boolean pruneRemedies = true;

    @Activate
    public DecisionPointImpl(@Reference ModelStore model, @Reference IntentService intent,
            @Reference EvidenceLedger ledger, @Reference GrantService grants, DecisionPointConfig config) {
        this(model, intent, ledger, grants, Clock.systemUTC(), parseRelations(config.blastRadius_relations()),
                config.blastRadius_cap());
        explain(config);
    }

    /**
     * Builds the decision point outside OSGi (the Cedar agreement test, the benchmarks): the same
     * component with its collaborators given directly.
     */
    public DecisionPointImpl(ModelStore model, IntentService intent, EvidenceLedger ledger, GrantService grants,
            Clock clock, Set<RelationType> blastRelations, int blastCap) {
        this.model = model;
        this.intent = intent;
        this.ledger = ledger;
        this.grants = grants;
        this.clock = clock;
        this.combiner = new EffectCombiner(intent::team);
        this.blastRelations = blastRelations;
        this.blastCap = blastCap;
        this.remedyFinder = remedyFinder(List.of("mfa"));
    }

    @Modified
    void modified(DecisionPointConfig config) {
        blastRelations = parseRelations(config.blastRadius_relations());
        blastCap = config.blastRadius_cap();
        explain(config);
    }

    private void explain(DecisionPointConfig config) {
        remedyFinder = config.remedies_enabled() ? remedyFinder(List.of(config.remedies_assuranceLevels())) : null;
    }

    private RemedyFinder remedyFinder(List<String> assuranceLevels) {
        return new RemedyFinder(intent, combiner, intent::team, this::withDeclaredOwner, assuranceLevels,
                pruneRemedies);
    }

    /** Switches remedies on or off (the benchmarks measure decisions with and without them). */
    public void explainDecisions(boolean enabled) {
        remedyFinder = enabled ? remedyFinder(List.of("mfa")) : null;
    }

    /**
     * Whether remedies try every lever, or only those whose change a blocking reason reads (the
     * default): the same remedies either way, which the tests that compare the two show; the
     * benchmarks measure both. Keeps whether remedies are on, and their assurance levels.
     */
    public void pruneRemedies(boolean enabled) {
        pruneRemedies = enabled;
        RemedyFinder finder = remedyFinder;
        if (finder != null) {
            remedyFinder = finder.pruned(enabled);
        }
    }

    void setApprovals(ApprovalService approvals) {
        this.approvals = approvals;
    }

    /** Makes the reconciler's drift findings an input of every decision ({@code null}: none). */
    public void setDrift(DriftService drift) {
        this.drift = drift;
    }

    @Override
    public Decision decide(ActionRequest request, boolean dryRun) {
        return decide(request, dryRun, null);
    }

    @Override
    public Decision decideApproved(ActionRequest request, String approvalId, Actor approver) {
        if (approvalId == null || approver == null || approver.id() == null) {
            throw new IllegalArgumentException("an approved decision needs the approval id and the approver");
        }
        return decide(request, false, new EffectCombiner.Approval(approvalId, approver.id()));
    }

    private Decision decide(ActionRequest request, boolean dryRun, EffectCombiner.Approval approval) {
        validate(request);
        Instant now = clock.instant();
        String decisionId = ids.next(now.toEpochMilli());

        ModelSnapshot snapshot;
        try {
            snapshot = model.current();
        } catch (RuntimeException e) {
            ElementIds.require(request.target());
            return record(decisionId, dryRun, approval, request, Verdict.deny(MODEL_UNAVAILABLE,
                    "the model is unavailable, so legitimacy cannot be established: " + e.getMessage()),
                    null, List.of(), 0, now);
        }
        Optional<Element> existing = snapshot.element(request.target());
        if (existing.isEmpty()) {
            // an element the model holds has a well-formed id (the store checks ids on commit)
            ElementIds.require(request.target());
            if (request.action() != Action.CREATE) {
                throw new UnknownTargetException(request.target());
            }
        }
        Element target = withDeclaredOwner(existing.orElseGet(() -> ProposedElement.of(request)));
        BlastRadius blastRadius = existing.isPresent()
                ? snapshot.blastRadius(target.id(), blastRelations, blastCap)
                : BlastRadius.none(target.owner(), target.environment(), target.trustZone());

        if (request.actor().kind() == ActorKind.AI
                && (request.actor().agent() == null || !request.actor().agent().isComplete())) {
            return record(decisionId, dryRun, approval, request, Verdict.deny(AI_IDENTITY,
                    "an AI actor must declare its model id and the SHA-256 of its prompt or plan (agent.model, agent.promptSha256)"),
                    blastRadius, List.of(), snapshot.revision(), now, TargetDrift.none(),
                    List.of(RemedyFinder.declareAgent(AI_IDENTITY)));
        }

        TargetDrift targetDrift;
        try {
            targetDrift = driftInput.of(drift, target.id(), existing.isPresent() ? blastRadius : null);
        } catch (RuntimeException e) {
            LOG.warn("drift findings could not be read for {} on {}", request.action(), request.target(), e);
            return record(decisionId, dryRun, approval, request, Verdict.deny(DRIFT_UNAVAILABLE,
                    "the drift findings cannot be read, so the target's trust cannot be established: "
                            + e.getMessage()), blastRadius, List.of(), snapshot.revision(), now, TargetDrift.none(),
                    List.of());
        }

        Evaluation evaluation;
        try {
            evaluation = intent.evaluate(new EvaluationContext(target, request, blastRadius, now, snapshot,
                    targetDrift));
        } catch (RuntimeException e) {
            LOG.warn("intent evaluation failed for {} on {}", request.action(), request.target(), e);
            return record(decisionId, dryRun, approval, request, Verdict.deny(EVALUATION_ERROR,
                    "the intent could not be evaluated: " + e.getMessage()), blastRadius, List.of(),
                    snapshot.revision(), now, targetDrift, List.of());
        }
        if (!evaluation.errors().isEmpty()) {
            return record(decisionId, dryRun, approval, request, Verdict.deny(EVALUATION_ERROR,
                    "a constraint could not be evaluated, so the request is denied: "
                            + String.join("; ", evaluation.errors())),
                    blastRadius, evaluation.applicable(), snapshot.revision(), now, targetDrift, List.of());
        }
        Verdict verdict = combiner.combine(request, target, evaluation, approval);
        List<Remedy> remedies = verdict.outcome() == Outcome.ALLOW ? List.of()
                : remedies(verdict, new RemedyFinder.Situation(request, target, blastRadius, now, snapshot, approval,
                        targetDrift), evaluation);
        return record(decisionId, dryRun, approval, request, verdict, blastRadius, evaluation.applicable(),
                snapshot.revision(), now, targetDrift, remedies);
    }

    /** What the actor can change to get an ALLOW; found before recording, so the evidence holds it. */
    private List<Remedy> remedies(Verdict verdict, RemedyFinder.Situation situation, Evaluation evaluation) {
        RemedyFinder finder = remedyFinder;
        if (finder == null) {
            return List.of();
        }
        try {
            return finder.find(situation, verdict, evaluation);
        } catch (RuntimeException e) {
            // the decision stands; only the advice on how to change it is missing
            LOG.warn("remedies for {} on {} could not be found: {}", situation.request().action(),
                    situation.request().target(), e.toString());
            return List.of();
        }
    }

    private Decision record(String decisionId, boolean dryRun, EffectCombiner.Approval approval, ActionRequest request,
            Verdict verdict, BlastRadius blastRadius, List<String> blueprints, long revision, Instant now) {
        return record(decisionId, dryRun, approval, request, verdict, blastRadius, blueprints, revision, now,
                TargetDrift.none(), List.of());
    }

    private Decision record(String decisionId, boolean dryRun, EffectCombiner.Approval approval, ActionRequest request,
            Verdict verdict, BlastRadius blastRadius, List<String> blueprints, long revision, Instant now,
            TargetDrift targetDrift, List<Remedy> remedies) {
        ExecutionGrant grant = null;
        try {
            if (verdict.outcome() == Outcome.ALLOW && !dryRun) {
                grant = grants.issue(decisionId, request.actor().id(),
                        List.of(new GrantedChange(request.action().wireName(), request.target())), revision);
            }
            Map<String, Object> payload = DecisionRecord.lazyPayload(decisionId, request, verdict, blastRadius,
                    blueprints, intent.generation(),
                    approval == null ? null : Map.of("id", approval.id(), "approver", approval.approver()),
                    grant == null ? null : grant.expiresAt().toString(), targetDrift, remedies);
            String type = dryRun ? DecisionRecord.DRY_RUN_TYPE : DecisionRecord.TYPE;
            ApprovalService queue = approvals;
            Decision decision;
            if (verdict.outcome() == Outcome.REQUIRE_APPROVAL && !dryRun && queue != null) {
                // The decision's record is queued first and the approval's record right behind it, so both
                // are made durable by one group commit instead of two in turn; the answer waits for both.
                CompletableFuture<EvidenceRecord> recorded = ledger.appendAsync(type, revision, payload)
                        .toCompletableFuture();
                Decision queued = new Decision(decisionId, verdict.outcome(), verdict.reasons(),
                        verdict.obligations(), blastRadius, verdict.approvers(), revision, blueprints, null, now,
                        null, false, null);
                String approvalId = queue.open(queued, request).id();
                EvidenceRecord evidence = recorded.join();
                decision = new Decision(decisionId, verdict.outcome(), verdict.reasons(), verdict.obligations(),
                        blastRadius, verdict.approvers(), revision, blueprints, evidence.hash(), now, null, false,
                        approvalId);
            } else {
                EvidenceRecord evidence = ledger.append(type, revision, payload);
                decision = new Decision(decisionId, verdict.outcome(), verdict.reasons(), verdict.obligations(),
                        blastRadius, verdict.approvers(), revision, blueprints, evidence.hash(), now,
                        grant == null ? null : grant.token(), dryRun, null);
            }
            return remedies.isEmpty() ? decision
                    : decision.withRemedies(Remedies.withApprovalId(remedies, decision.approvalId()));
        } catch (RuntimeException e) {
            // without its record (or its grant) no decision may permit anything
            LOG.error("evidence store unavailable; denying {} on {}", request.action(), request.target(), e);
            Verdict denied = Verdict.deny(EVIDENCE_UNAVAILABLE,
                    "evidence store unavailable: the decision cannot be recorded, so it is denied");
            return new Decision(decisionId, denied.outcome(), denied.reasons(), List.of(), blastRadius, List.of(),
                    revision, blueprints, null, now, null, dryRun, null);
        }
    }

    /**
     * The organisation's Ownership rules name the accountable owner; they win over an owner a
     * connector reports, so that constraints, decision rights and approvals all see the same owner.
     */
    private Element withDeclaredOwner(Element element) {
        Optional<ElementOwnership> ownership = intent.ownership(element);
        if (ownership.isEmpty() || ownership.get().accountable().equals(element.owner())) {
            return element;
        }
        return new Element(element.id(), element.kind(), element.provider(), element.environment(),
                element.trustZone(), ownership.get().accountable(), element.labels(), element.attributes(),
                element.layers());
    }

    private static void validate(ActionRequest request) {
        if (request == null) {
            throw new IllegalArgumentException("request is missing");
        }
        if (request.actor() == null) {
            throw new IllegalArgumentException("actor is missing");
        }
        if (request.actor().id() == null || request.actor().id().isBlank()) {
            throw new IllegalArgumentException("actor.id is missing");
        }
        if (request.actor().kind() == null) {
            throw new IllegalArgumentException("actor.kind is missing (HUMAN, SYSTEM or AI)");
        }
        if (request.action() == null) {
            throw new IllegalArgumentException("action is missing");
        }
        if (request.target() == null || request.target().isBlank()) {
            throw new IllegalArgumentException("element id is missing");
        }
    }

    static Set<RelationType> parseRelations(String[] names) {
        Set<RelationType> types = EnumSet.noneOf(RelationType.class);
        for (String name : names) {
            types.add(RelationType.parse(name));
        }
        return types;
    }
}
