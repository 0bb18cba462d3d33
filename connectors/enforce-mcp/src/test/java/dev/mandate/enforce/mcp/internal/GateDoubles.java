package dev.mandate.enforce.mcp.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Actor;
import dev.mandate.api.decision.ApprovalRequest;
import dev.mandate.api.decision.ApprovalService;
import dev.mandate.api.decision.ApprovalStatus;
import dev.mandate.api.decision.Decision;
import dev.mandate.api.decision.DecisionPoint;
import dev.mandate.api.decision.Outcome;
import dev.mandate.api.decision.Reason;
import dev.mandate.api.decision.UnknownTargetException;
import dev.mandate.api.enforcement.EnforcementAdapter;
import dev.mandate.api.enforcement.EnforcementPoint;
import dev.mandate.api.enforcement.EnforcementResult;
import dev.mandate.api.enforcement.InvalidChangeException;
import dev.mandate.api.grant.ExecutionGrant;
import dev.mandate.api.grant.GrantService;
import dev.mandate.api.grant.GrantVerification;
import dev.mandate.api.grant.GrantedChange;
import dev.mandate.api.intent.BlueprintInfo;
import dev.mandate.api.intent.DecisionRight;
import dev.mandate.api.intent.ElementOwnership;
import dev.mandate.api.intent.Evaluation;
import dev.mandate.api.intent.EvaluationContext;
import dev.mandate.api.intent.Fallback;
import dev.mandate.api.intent.IntentService;
import dev.mandate.api.intent.Team;
import dev.mandate.api.model.BlastRadius;
import dev.mandate.api.model.ChangeSet;
import dev.mandate.api.model.CommitResult;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.ElementPage;
import dev.mandate.api.model.ElementQuery;
import dev.mandate.api.model.ModelSnapshot;
import dev.mandate.api.model.ModelStore;
import dev.mandate.api.model.Relation;
import dev.mandate.api.model.RelationType;

/**
 * Test doubles for the services the gate talks to: a decision point that decides by a rule of the test, an
 * enforcement point that runs the adapter against it the way the kernel's does (unknown targets denied), a
 * two-element model, an intent service with one blueprint and one team, an approval queue in memory and a grant
 * service that knows the tokens it issued. The kernel's own implementations have their own tests; these let the
 * gate be driven through the real MCP client without a Karaf.
 */
final class GateDoubles {

    static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
    static final String ORDERS_DB = "aws:rds:db-instance:eu-west-1:123456789012:orders-prod";
    static final String ORDERS_API = "aws:ecs:service:eu-west-1:123456789012:orders-api";
    static final String AI_LIMITS = "baseline-ai-limits";

    private GateDoubles() {
    }

    /** Decides by {@code rule}; keeps every request it was asked, with whether it was a dry run. */
    static final class RuleDecisionPoint implements DecisionPoint {
        final List<ActionRequest> asked = new CopyOnWriteArrayList<>();
        final List<Boolean> dryRuns = new CopyOnWriteArrayList<>();
        final Model model;
        Function<ActionRequest, Decision> rule = r -> decision(Outcome.ALLOW, List.of(), List.of(), null, "tok-1");

        RuleDecisionPoint(Model model) {
            this.model = model;
        }

        @Override
        public Decision decide(ActionRequest request, boolean dryRun) {
            if (model.current().element(request.target()).isEmpty()
                    && request.action() != dev.mandate.api.decision.Action.CREATE) {
                throw new UnknownTargetException(request.target());
            }
            asked.add(request);
            dryRuns.add(dryRun);
            Decision d = rule.apply(request);
            if (dryRun) {
                return new Decision(d.decisionId(), d.outcome(), d.reasons(), d.obligations(), d.blastRadius(),
                        d.approvers(), d.modelRevision(), d.blueprints(), d.evidence(), d.decidedAt(), null, true, null);
            }
            return d;
        }

        @Override
        public Decision decideApproved(ActionRequest request, String approvalId, Actor approver) {
            return decision(Outcome.ALLOW, List.of(new Reason("approval:" + approvalId, "allow", "approved")),
                    List.of(), null, "tok-approved");
        }
    }

    static Decision decision(Outcome outcome, List<Reason> reasons, List<String> approvers, String approvalId,
            String grant) {
        return new Decision("d-" + outcome.name().toLowerCase(), outcome, reasons, List.of(), new BlastRadius(3, 1,
                List.of("team-data", "team-orders"), List.of("prod"), List.of("eu"), List.of(ORDERS_API), false),
                approvers, 7, List.of(AI_LIMITS + "@1.0.0"), "sha256:abc", NOW,
                outcome == Outcome.ALLOW ? grant : null, false, approvalId);
    }

    /** Runs an adapter against the decision point as the kernel's enforcement point does. */
    static final class DecidingEnforcementPoint implements EnforcementPoint {
        final DecisionPoint decisions;
        String evidence = "sha256:enforced";

        DecidingEnforcementPoint(DecisionPoint decisions) {
            this.decisions = decisions;
        }

        @Override
        public <I, O> EnforcementResult<O> enforce(EnforcementAdapter<I, O> adapter, I input)
                throws InvalidChangeException {
            List<Decision> decided = new ArrayList<>();
            for (ActionRequest request : adapter.toRequests(input)) {
                try {
                    decided.add(decisions.decide(request));
                } catch (UnknownTargetException e) {
                    decided.add(new Decision("d-unknown", Outcome.DENY, List.of(new Reason("mandate#unknown-target",
                            "deny", "'" + request.target() + "' is not in the model")), List.of(), null, List.of(), 0,
                            List.of(), null, NOW, null, false, null));
                }
            }
            Outcome outcome = decided.stream().map(Decision::outcome).filter(o -> o != Outcome.ALLOW).findFirst()
                    .orElse(Outcome.ALLOW);
            return new EnforcementResult<>(adapter.toResponse(input, decided), outcome, decided, evidence);
        }
    }

    /** Two elements: the orders database and the service that depends on it. */
    static final class Model implements ModelStore, ModelSnapshot {
        final Map<String, Element> elements = new LinkedHashMap<>();

        Model() {
            elements.put(ORDERS_DB, new Element(ORDERS_DB, "aws:rds:db-instance", "aws", "prod", "eu", "team-data",
                    Map.of("app", "orders"), Map.of("engine", "postgres"), Map.of()));
            elements.put(ORDERS_API, new Element(ORDERS_API, "aws:ecs:service", "aws", "prod", "eu", "team-orders",
                    Map.of(), Map.of(), Map.of()));
        }

        @Override
        public ModelSnapshot current() {
            return this;
        }

        @Override
        public CommitResult commit(ChangeSet changes) {
            throw new UnsupportedOperationException("the gate never writes the model");
        }

        @Override
        public long revision() {
            return 7;
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
            return new ElementPage(7, List.copyOf(elements.values()), elements.size(), null);
        }

        @Override
        public List<Relation> outgoing(String id) {
            return ORDERS_API.equals(id) ? List.of(Relation.of(RelationType.DEPENDS_ON, ORDERS_API, ORDERS_DB))
                    : List.of();
        }

        @Override
        public List<Relation> incoming(String id) {
            return ORDERS_DB.equals(id) ? List.of(Relation.of(RelationType.DEPENDS_ON, ORDERS_API, ORDERS_DB))
                    : List.of();
        }

        @Override
        public BlastRadius blastRadius(String id, Set<RelationType> over, int cap) {
            Element element = elements.get(id);
            if (element == null) {
                throw new IllegalArgumentException("no element '" + id + "'");
            }
            if (ORDERS_DB.equals(id) && over.contains(RelationType.DEPENDS_ON)) {
                return new BlastRadius(1, 1, List.of("team-data", "team-orders"), List.of("prod"), List.of("eu"),
                        List.of(ORDERS_API), false);
            }
            return BlastRadius.none(element.owner(), element.environment(), element.trustZone());
        }
    }

    /** One blueprint (bound to prod elements) and one team with an approving right. */
    static final class Intent implements IntentService {
        final List<EvaluationContext> evaluated = new CopyOnWriteArrayList<>();

        @Override
        public List<BlueprintInfo> blueprints() {
            return List.of(new BlueprintInfo(AI_LIMITS, "1.0.0", "team-platform", "What AI agents may never do",
                    "sha256:bp", "bundle:dev.mandate.blueprints.baseline/blueprints/ai-limits.yaml",
                    List.of("declare-agent", "no-ai-delete-prod-data"), Fallback.OWNER_APPROVAL));
        }

        @Override
        public Optional<BlueprintInfo> blueprint(String name) {
            return blueprints().stream().filter(b -> b.name().equals(name)).findFirst();
        }

        @Override
        public List<Team> teams() {
            return List.of(new Team("team-data", "Data platform", List.of("data"), List.of(new DecisionRight(
                    "operate", Set.of("update", "delete"), Set.of("prod"), true)), List.of("team-platform"), "1.0.0"));
        }

        @Override
        public Optional<Team> team(String id) {
            return teams().stream().filter(t -> t.id().equals(id)).findFirst();
        }

        @Override
        public Evaluation evaluate(EvaluationContext context) {
            evaluated.add(context);
            boolean prod = "prod".equals(context.target().environment());
            return new Evaluation(List.of(), List.of(), Fallback.OWNER_APPROVAL, prod ? List.of(AI_LIMITS + "@1.0.0")
                    : List.of());
        }

        @Override
        public long generation() {
            return 1;
        }

        @Override
        public Optional<ElementOwnership> ownership(Element element) {
            if (ORDERS_DB.equals(element.id())) {
                return Optional.of(new ElementOwnership("team-data", List.of("team-dba"), List.of("team-orders"),
                        "ownership:estate@1.0.0#databases"));
            }
            return Optional.empty();
        }
    }

    /** Approval requests kept in memory, opened by the test. */
    static final class Approvals implements ApprovalService {
        final Map<String, ApprovalRequest> requests = new LinkedHashMap<>();

        @Override
        public ApprovalRequest open(Decision decision, ActionRequest request) {
            ApprovalRequest opened = new ApprovalRequest(decision.approvalId(), decision.decisionId(), request, "prod",
                    decision.approvers(), ApprovalStatus.PENDING, 0, NOW, NOW.plusSeconds(3600), null, null, null,
                    null);
            requests.put(opened.id(), opened);
            return opened;
        }

        @Override
        public List<ApprovalRequest> list(ApprovalStatus status) {
            return List.copyOf(requests.values());
        }

        @Override
        public Optional<ApprovalRequest> get(String id) {
            return Optional.ofNullable(requests.get(id));
        }

        @Override
        public ApprovalRequest approve(String id, Actor approver, String comment) {
            ApprovalRequest open = requests.get(id);
            ApprovalRequest approved = new ApprovalRequest(id, open.decisionId(), open.request(), open.environment(),
                    open.approvers(), ApprovalStatus.APPROVED, 0, open.createdAt(), open.expiresAt(), approver.id(),
                    NOW, comment, decision(Outcome.ALLOW, List.of(), List.of(), null, "tok-approved"));
            requests.put(id, approved);
            return approved;
        }

        @Override
        public ApprovalRequest reject(String id, Actor approver, String comment) {
            throw new UnsupportedOperationException("not used");
        }
    }

    /** Knows the tokens the rule decision point hands out: {@code tok-1} allows deleting the API service. */
    static final class Grants implements GrantService {
        @Override
        public ExecutionGrant issue(String decisionId, String actor, List<GrantedChange> changes, long revision) {
            throw new UnsupportedOperationException("the gate never issues grants itself");
        }

        @Override
        public GrantVerification verify(String token, GrantedChange change) {
            if (!"tok-1".equals(token)) {
                return new GrantVerification(false, false, "the grant's signature does not verify", null);
            }
            GrantedChange granted = new GrantedChange("delete", ORDERS_API);
            ExecutionGrant grant = new ExecutionGrant(token, "d-allow", "ops-agent", List.of(granted), 7, NOW,
                    NOW.plusSeconds(300));
            boolean covers = granted.equals(change);
            return new GrantVerification(true, covers, covers ? "it allows delete of '" + ORDERS_API + "'"
                    : "it does not name that change", grant);
        }

        @Override
        public Map<String, Object> publicKeys() {
            return Map.of("keys", List.of());
        }
    }
}
