package dev.mandate.kernel.decision.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Actor;
import dev.mandate.api.decision.ApprovalRequest;
import dev.mandate.api.decision.ApprovalService;
import dev.mandate.api.decision.ApprovalStatus;
import dev.mandate.api.decision.Decision;
import dev.mandate.api.grant.ExecutionGrant;
import dev.mandate.api.grant.GrantService;
import dev.mandate.api.grant.GrantVerification;
import dev.mandate.api.grant.GrantedChange;
import dev.mandate.api.intent.BlueprintInfo;
import dev.mandate.api.intent.ElementOwnership;
import dev.mandate.api.intent.Evaluation;
import dev.mandate.api.intent.EvaluationContext;
import dev.mandate.api.intent.IntentService;
import dev.mandate.api.intent.Team;
import dev.mandate.api.model.BlastRadius;
import dev.mandate.api.model.ChangeSet;
import dev.mandate.api.model.CommitResult;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.ElementIds;
import dev.mandate.api.model.ElementPage;
import dev.mandate.api.model.ElementQuery;
import dev.mandate.api.model.ModelSnapshot;
import dev.mandate.api.model.ModelStore;
import dev.mandate.api.model.ModelUnavailableException;
import dev.mandate.api.model.Relation;
import dev.mandate.api.model.RelationType;
import dev.mandate.kernel.reconciler.DriftFinding;
import dev.mandate.kernel.reconciler.DriftKind;
import dev.mandate.kernel.reconciler.DriftService;

/**
 * Hand-written test doubles for the decision point's three collaborators. The real store, intent
 * engine and ledger are exercised in their own modules and together in the itests.
 */
public final class TestEstate {

    /** A fixed set of elements with fixed blast radii; can be switched to unavailable. */
    static final class StoreDouble implements ModelStore, ModelSnapshot {
        final Map<String, Element> elements = new LinkedHashMap<>();
        final Map<String, BlastRadius> radii = new LinkedHashMap<>();
        boolean unavailable;

        StoreDouble add(Element element) {
            elements.put(element.id(), element);
            return this;
        }

        @Override
        public ModelSnapshot current() {
            if (unavailable) {
                throw new ModelUnavailableException("model is loading", null);
            }
            return this;
        }

        @Override
        public CommitResult commit(ChangeSet changes) {
            throw new IllegalStateException("the decision point must never write the model");
        }

        @Override
        public long revision() {
            return 42;
        }

        @Override
        public int size() {
            return elements.size();
        }

        @Override
        public Optional<Element> element(String id) {
            return Optional.ofNullable(elements.get(id));
        }

        @Override
        public ElementPage query(ElementQuery query) {
            return new ElementPage(42, List.copyOf(elements.values()), elements.size(), null);
        }

        @Override
        public List<Relation> outgoing(String id) {
            return List.of();
        }

        @Override
        public List<Relation> incoming(String id) {
            return List.of();
        }

        @Override
        public BlastRadius blastRadius(String id, Set<RelationType> over, int cap) {
            Element e = elements.get(id);
            return radii.getOrDefault(id, BlastRadius.none(e.owner(), e.environment(), e.trustZone()));
        }
    }

    /** Answers with whatever evaluation function the test gives it. */
    static final class IntentDouble implements IntentService {
        final Map<String, Team> teams = new LinkedHashMap<>();
        Function<EvaluationContext, Evaluation> evaluator;
        Function<Element, Optional<ElementOwnership>> ownership = element -> Optional.empty();

        @Override
        public Optional<ElementOwnership> ownership(Element element) {
            return ownership.apply(element);
        }
        final List<EvaluationContext> seen = new ArrayList<>();

        @Override
        public List<BlueprintInfo> blueprints() {
            return List.of();
        }

        @Override
        public Optional<BlueprintInfo> blueprint(String name) {
            return Optional.empty();
        }

        @Override
        public List<Team> teams() {
            return List.copyOf(teams.values());
        }

        @Override
        public Optional<Team> team(String id) {
            return Optional.ofNullable(teams.get(id));
        }

        @Override
        public Evaluation evaluate(EvaluationContext context) {
            seen.add(context);
            return evaluator.apply(context);
        }

        @Override
        public long generation() {
            return 7;
        }
    }

    /** Issues unsigned stand-in grants and remembers them; real signing is tested in the grants module. */
    public static final class GrantDouble implements GrantService {
        final List<ExecutionGrant> issued = new ArrayList<>();

        @Override
        public ExecutionGrant issue(String decisionId, String actor, List<GrantedChange> changes, long modelRevision) {
            ExecutionGrant grant = new ExecutionGrant("grant-" + decisionId, decisionId, actor, changes, modelRevision,
                    Instant.EPOCH, Instant.EPOCH.plusSeconds(300));
            issued.add(grant);
            return grant;
        }

        @Override
        public GrantVerification verify(String token, GrantedChange change) {
            throw new IllegalStateException("the decision point never verifies grants");
        }

        @Override
        public Map<String, Object> publicKeys() {
            return Map.of();
        }
    }

    /** Remembers what the decision point puts into the approval queue. */
    static class ApprovalQueueDouble implements ApprovalService {
        final List<Decision> opened = new ArrayList<>();

        @Override
        public ApprovalRequest open(Decision decision, ActionRequest request) {
            opened.add(decision);
            return new ApprovalRequest("approval-for-" + decision.decisionId(), decision.decisionId(), request, null,
                    decision.approvers(), ApprovalStatus.PENDING, 0, Instant.EPOCH, Instant.EPOCH, null, null, null, null);
        }

        @Override
        public List<ApprovalRequest> list(ApprovalStatus status) {
            return List.of();
        }

        @Override
        public Optional<ApprovalRequest> get(String id) {
            return Optional.empty();
        }

        @Override
        public ApprovalRequest approve(String id, Actor approver, String comment) {
            throw new IllegalStateException("not used");
        }

        @Override
        public ApprovalRequest reject(String id, Actor approver, String comment) {
            throw new IllegalStateException("not used");
        }
    }

    /**
     * The reconciler's drift findings as a test double: findings are set by the test, and the source
     * can be made to fail. The real tracker is tested in the reconciler module.
     */
    public static final class DriftDouble implements DriftService {
        private volatile Map<String, List<DriftFinding>> byElement = Map.of();
        private volatile long revision = 1;
        volatile boolean failing;

        /** Opens a finding of this kind on the element (a diverged one on {@code path}). */
        public DriftDouble open(DriftKind kind, String elementId, String path) {
            String id = kind.wireName() + ":" + elementId + (path == null ? "" : "#" + path);
            DriftFinding finding = new DriftFinding(id, kind, elementId, ElementIds.kindOf(elementId), null,
                    kind == DriftKind.UNAUTHORIZED ? "high" : "medium", "default", path, null, null, null,
                    kind.wireName() + " drift on '" + elementId + "'", Instant.EPOCH, revision);
            Map<String, List<DriftFinding>> next = new LinkedHashMap<>(byElement);
            List<DriftFinding> list = new ArrayList<>(next.getOrDefault(elementId, List.of()));
            list.add(finding);
            next.put(elementId, List.copyOf(list));
            byElement = Map.copyOf(next);
            revision++;
            return this;
        }

        /** Clears every finding. */
        public void clear() {
            byElement = Map.of();
            revision++;
        }

        @Override
        public List<DriftFinding> findings(DriftKind kind, String owner, String elementClass) {
            List<DriftFinding> all = new ArrayList<>();
            byElement.values().forEach(all::addAll);
            return all;
        }

        @Override
        public long revision() {
            return revision;
        }

        @Override
        public Map<String, List<DriftFinding>> findingsByElement() {
            if (failing) {
                throw new IllegalStateException("the drift findings are being rebuilt");
            }
            return byElement;
        }
    }

    private TestEstate() {
    }
}
