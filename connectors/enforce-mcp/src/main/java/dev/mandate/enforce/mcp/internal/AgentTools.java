package dev.mandate.enforce.mcp.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import dev.mandate.api.decision.Action;
import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Actor;
import dev.mandate.api.decision.ApprovalRequest;
import dev.mandate.api.decision.ApprovalService;
import dev.mandate.api.decision.Decision;
import dev.mandate.api.decision.Outcome;
import dev.mandate.api.decision.Reason;
import dev.mandate.api.decision.Remedy;
import dev.mandate.api.enforcement.EnforcementPoint;
import dev.mandate.api.enforcement.EnforcementResult;
import dev.mandate.api.grant.ExecutionGrant;
import dev.mandate.api.grant.GrantService;
import dev.mandate.api.grant.GrantVerification;
import dev.mandate.api.grant.GrantedChange;
import dev.mandate.api.intent.BlueprintInfo;
import dev.mandate.api.intent.ElementOwnership;
import dev.mandate.api.intent.EvaluationContext;
import dev.mandate.api.intent.IntentService;
import dev.mandate.api.intent.Team;
import dev.mandate.api.model.BlastRadius;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.ModelSnapshot;
import dev.mandate.api.model.ModelStore;
import dev.mandate.api.model.RelationType;

/**
 * What the four tools do, independent of MCP: each takes the tool's arguments and answers a JSON object (the
 * tool's structured content) and one line of text for the agent to read. Decisions are taken as the agent (an
 * AI actor); nothing here blocks but the decision point's and the approval queue's durable writes. Thread-safe.
 */
final class AgentTools {

    /** What a tool answered: the structured content and its text. */
    record Answer(Map<String, Object> content, String text) {
    }

    private static final int SHOWN_DEPENDENTS = 25;

    private final EnforcementPoint enforcementPoint;
    private final Supplier<ApprovalService> approvals;
    private final ModelStore model;
    private final IntentService intent;
    private final GrantService grants;
    private final AgentActionAdapter adapter = new AgentActionAdapter();
    private final AgentRequests requests;
    private final Remedies remedies;
    private final Set<RelationType> blastRelations;
    private final int blastCap;
    private final Clock clock;

    AgentTools(EnforcementPoint enforcementPoint, Supplier<ApprovalService> approvals, ModelStore model,
            IntentService intent, GrantService grants, Settings settings, Clock clock) {
        this.enforcementPoint = enforcementPoint;
        this.approvals = approvals;
        this.model = model;
        this.intent = intent;
        this.grants = grants;
        this.requests = new AgentRequests(settings.defaultAgentId(), intent::team);
        this.remedies = new Remedies(intent::blueprint);
        this.blastRelations = settings.blastRelations();
        this.blastCap = settings.blastCap();
        this.clock = clock;
    }

    /** {@code check_action}: decides the request (a what-if with {@code dryRun}) and explains how to get an ALLOW. */
    Answer checkAction(Actor caller, Map<String, Object> arguments) throws ToolInputException {
        ActionRequest request = requests.actionRequest(arguments, caller);
        boolean dryRun = AgentRequests.flag(arguments, "dryRun");
        Decided decided = enforce(request, dryRun);
        return answer(decided, request);
    }

    /**
     * {@code request_approval}: with {@code approvalId}, where that approval request stands (and the grant once it
     * is approved); with an action request, decides it for real so that a REQUIRE_APPROVAL opens an approval
     * request addressed to the approvers.
     */
    Answer requestApproval(Actor caller, Map<String, Object> arguments) throws ToolInputException {
        String approvalId = AgentRequests.text(arguments, "approvalId", false);
        if (approvalId != null) {
            return approvalStatus(approvalId);
        }
        ActionRequest request = requests.actionRequest(arguments, caller);
        if (request.justification() == null) {
            throw new ToolInputException("justification", "'justification' is missing: approvers decide on it");
        }
        Decided decided = enforce(request, false);
        Answer answer = answer(decided, request);
        Map<String, Object> content = new LinkedHashMap<>(answer.content());
        Decision decision = decided.decision();
        String text;
        if (decision.outcome() == Outcome.REQUIRE_APPROVAL && decision.approvalId() != null) {
            content.put("approval", approvalView(approvalService().flatMap(s -> s.get(decision.approvalId()))
                    .orElse(null), decision.approvalId()));
            text = "approval request '" + decision.approvalId() + "' is open for " + String.join(", ",
                    decision.approvers()) + "; ask for its status with request_approval {\"approvalId\": \""
                    + decision.approvalId() + "\"}. " + answer.text();
        } else if (decision.outcome() == Outcome.REQUIRE_APPROVAL) {
            text = "no approval queue is running, so no approval request could be opened. " + answer.text();
        } else if (decision.outcome() == Outcome.ALLOW) {
            text = "no approval is needed. " + answer.text();
        } else {
            text = "a denied request cannot be approved. " + answer.text();
        }
        return new Answer(content, text);
    }

    /** {@code explain_element}: the element, who owns it, the blueprints bound to it and its blast radius. */
    Answer explainElement(Actor caller, Map<String, Object> arguments) throws ToolInputException {
        String id = AgentRequests.text(arguments, "target", true);
        ModelSnapshot snapshot = model.current();
        Optional<Element> found = snapshot.element(id);
        if (found.isEmpty()) {
            throw new ToolInputException("target", "no element '" + id + "' in the model at revision "
                    + snapshot.revision());
        }
        Element element = found.get();
        BlastRadius radius = snapshot.blastRadius(id, blastRelations, blastCap);
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("id", element.id());
        content.put("kind", element.kind());
        content.put("provider", element.provider());
        content.put("environment", element.environment());
        content.put("trustZone", element.trustZone());
        content.put("labels", element.labels());
        content.put("layers", element.layers().keySet().stream().map(Enum::name).sorted().toList());
        content.put("modelRevision", snapshot.revision());

        Optional<ElementOwnership> ownership = intent.ownership(element);
        String accountable = ownership.map(ElementOwnership::accountable).orElse(element.owner());
        Map<String, Object> owners = new LinkedHashMap<>();
        owners.put("accountable", accountable);
        owners.put("responsible", ownership.map(ElementOwnership::responsible).orElse(List.of()));
        owners.put("consulted", ownership.map(ElementOwnership::consulted).orElse(List.of()));
        owners.put("source", ownership.map(ElementOwnership::source).orElse(accountable == null ? null
                : "element owner field"));
        Optional<Team> team = accountable == null ? Optional.empty() : intent.team(accountable);
        team.ifPresent(t -> {
            owners.put("team", t.displayName());
            owners.put("decisionRights", t.decisionRights().stream().map(r -> Map.of("id", r.id(), "actions",
                    List.copyOf(r.actions()), "environments", List.copyOf(r.environments()), "approve", r.approve()))
                    .toList());
            owners.put("escalation", t.escalation());
        });
        content.put("owner", owners);

        Actor asker = requests.actor(arguments, caller);
        ActionRequest read = new ActionRequest(asker, Action.READ, id, "explain_element", null, null,
                Map.of(AgentRequests.CHANNEL, AgentRequests.MCP));
        List<String> applicable = intent.evaluate(new EvaluationContext(element, read, radius, clock.instant(),
                snapshot)).applicable();
        List<Map<String, Object>> blueprints = new ArrayList<>();
        for (String ref : applicable) {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("ref", ref);
            int at = ref.indexOf('@');
            intent.blueprint(at > 0 ? ref.substring(0, at) : ref).ifPresent(b -> {
                view.put("owner", b.owner());
                view.put("description", b.description());
                view.put("constraints", b.constraints());
            });
            blueprints.add(view);
        }
        content.put("blueprints", blueprints);

        Map<String, Object> blast = new LinkedHashMap<>();
        blast.put("count", radius.count());
        blast.put("depth", radius.depth());
        blast.put("truncated", radius.truncated());
        blast.put("owners", radius.owners());
        blast.put("environments", radius.environments());
        blast.put("trustZones", radius.trustZones());
        blast.put("dependents", radius.elements().stream().limit(SHOWN_DEPENDENTS).toList());
        content.put("blastRadius", blast);

        String text = "'" + id + "' (" + element.kind() + (element.environment() == null ? "" : ", "
                + element.environment()) + ") is owned by " + (accountable == null ? "nobody (no accountable owner)"
                : "'" + accountable + "'") + "; " + blueprints.size() + " blueprint(s) bind it ("
                + String.join(", ", applicable) + "); " + radius.count() + (radius.truncated() ? " or more" : "")
                + " element(s) depend on it" + (radius.owners().isEmpty() ? "" : ", owned by " + String.join(", ",
                        radius.owners()));
        return new Answer(content, text);
    }

    /** {@code verify_grant}: is the grant genuine and unexpired, and does it cover this change? */
    Answer verifyGrant(Actor caller, Map<String, Object> arguments) throws ToolInputException {
        String token = AgentRequests.text(arguments, "grant", true);
        String action = AgentRequests.text(arguments, "action", false);
        String target = AgentRequests.text(arguments, "target", false);
        if ((action == null) != (target == null)) {
            throw new ToolInputException(action == null ? "action" : "target",
                    "a change to check needs both 'action' and 'target'");
        }
        GrantedChange change = null;
        if (action != null) {
            try {
                change = new GrantedChange(Action.parse(action).wireName(), target);
            } catch (IllegalArgumentException e) {
                throw new ToolInputException("action", e.getMessage());
            }
        }
        GrantVerification verification = grants.verify(token, change);
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("valid", verification.valid());
        content.put("covers", verification.covers());
        content.put("reason", verification.reason());
        ExecutionGrant grant = verification.grant();
        if (grant != null) {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("decisionId", grant.decisionId());
            view.put("actor", grant.actor());
            view.put("changes", grant.changes().stream().map(c -> Map.of("action", c.action(), "target",
                    c.target())).toList());
            view.put("modelRevision", grant.modelRevision());
            view.put("issuedAt", String.valueOf(grant.issuedAt()));
            view.put("expiresAt", String.valueOf(grant.expiresAt()));
            content.put("grant", view);
        }
        String text = (verification.valid() ? "the grant is genuine and unexpired" : "the grant is not valid")
                + (change == null ? "" : verification.covers() ? " and covers " + action + " of '" + target + "'"
                        : " but does not cover " + action + " of '" + target + "'")
                + ": " + verification.reason();
        return new Answer(content, text);
    }

    /** A decision and the evidence of its enforcement ({@code null} for a what-if). */
    private record Decided(Decision decision, String enforcement) {
    }

    /**
     * Decides through the enforcement point (enforcement evidence by adapter {@code mcp}); a dry run is a what-if
     * that issues no grant and opens no approval request. A request on an element the model does not hold is
     * denied there.
     */
    private Decided enforce(ActionRequest request, boolean dryRun) {
        try {
            EnforcementResult<Decision> result = enforcementPoint.enforce(adapter, request, dryRun);
            Decision decision = result.response();
            if (result.evidence() == null && decision.outcome() != Outcome.DENY) {
                // the enforcement could not be recorded: nothing it decided may go ahead
                decision = failedClosed(decision, "the enforcement could not be recorded as evidence");
            }
            return new Decided(decision, result.evidence());
        } catch (dev.mandate.api.enforcement.InvalidChangeException impossible) {
            // the adapter never rejects a request it is handed
            throw new IllegalStateException(impossible);
        }
    }

    private Decision failedClosed(Decision decision, String why) {
        List<Reason> reasons = new ArrayList<>();
        reasons.add(new Reason("mandate#evidence-unavailable", "deny", why));
        reasons.addAll(decision.reasons());
        return new Decision(decision.decisionId(), Outcome.DENY, reasons, decision.obligations(),
                decision.blastRadius(), List.of(), decision.modelRevision(), decision.blueprints(), decision.evidence(),
                decision.decidedAt(), null, decision.dryRun(), null);
    }

    private Answer answer(Decided decided, ActionRequest request) {
        Decision decision = decided.decision();
        List<String> ways = remedies.of(decision, request);
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("outcome", decision.outcome().name());
        content.put("allowed", decision.outcome() == Outcome.ALLOW);
        content.put("decisionId", decision.decisionId());
        content.put("dryRun", decision.dryRun());
        content.put("action", request.action().wireName());
        content.put("target", request.target());
        content.put("actor", Map.of("id", request.actor().id(), "kind", request.actor().kind().name(), "model",
                request.actor().agent().model(), "planSha256", request.actor().agent().promptSha256()));
        content.put("reasons", decision.reasons().stream().map(r -> {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("source", r.source());
            view.put("effect", r.effect());
            view.put("message", r.message());
            return view;
        }).toList());
        content.put("approvers", decision.approvers());
        if (decision.approvalId() != null) {
            content.put("approvalId", decision.approvalId());
        }
        content.put("obligations", decision.obligations());
        if (decision.blastRadius() != null) {
            content.put("blastRadius", Map.of("count", decision.blastRadius().count(), "owners",
                    decision.blastRadius().owners(), "truncated", decision.blastRadius().truncated()));
        }
        content.put("modelRevision", decision.modelRevision());
        content.put("blueprints", decision.blueprints());
        if (decision.evidence() != null) {
            content.put("evidence", decision.evidence());
        }
        if (decided.enforcement() != null) {
            content.put("enforcementEvidence", decided.enforcement());
        }
        if (decision.grant() != null) {
            content.put("grant", decision.grant());
        }
        content.put("remedies", decision.remedies().stream().map(AgentTools::remedyView).toList());
        content.put("advice", ways);
        String explanation = remedies.explanation(decision, request, ways);
        content.put("explanation", explanation);
        return new Answer(content, explanation);
    }

    private static Map<String, Object> remedyView(Remedy remedy) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("kind", remedy.kind());
        view.put("message", remedy.message());
        view.put("sufficient", remedy.sufficient());
        view.put("clears", remedy.clears());
        view.put("parameters", remedy.parameters());
        return view;
    }

    private Answer approvalStatus(String approvalId) throws ToolInputException {
        ApprovalService service = approvalService().orElseThrow(() -> new ToolInputException("approvalId",
                "no approval queue is running, so approval request '" + approvalId + "' cannot be looked up"));
        ApprovalRequest approval = service.get(approvalId).orElseThrow(() -> new ToolInputException("approvalId",
                "no approval request '" + approvalId + "'"));
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("approval", approvalView(approval, approvalId));
        Decision outcome = approval.outcome();
        String text = "approval request '" + approvalId + "' is " + approval.status().name().toLowerCase(
                java.util.Locale.ROOT);
        if (outcome != null) {
            content.put("outcome", outcome.outcome().name());
            content.put("allowed", outcome.outcome() == Outcome.ALLOW);
            if (outcome.grant() != null) {
                content.put("grant", outcome.grant());
                text += "; the change was decided again and allowed: present the grant when you act";
            } else {
                text += "; decided again, the change is " + outcome.outcome().name();
            }
        } else if (approval.status().isOpen()) {
            text += "; waiting for " + String.join(", ", approval.approvers()) + " until " + approval.expiresAt()
                    + "; do not act before it is approved";
        } else if (approval.decidedBy() != null) {
            text += " by '" + approval.decidedBy() + "'" + (approval.comment() == null ? "" : ": "
                    + approval.comment());
        }
        return new Answer(content, text);
    }

    private static Map<String, Object> approvalView(ApprovalRequest approval, String id) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", id);
        if (approval == null) {
            return view;
        }
        view.put("status", approval.status().name());
        view.put("approvers", approval.approvers());
        view.put("escalationLevel", approval.escalationLevel());
        view.put("createdAt", String.valueOf(approval.createdAt()));
        view.put("expiresAt", String.valueOf(approval.expiresAt()));
        if (approval.decidedBy() != null) {
            view.put("decidedBy", approval.decidedBy());
            view.put("decidedAt", String.valueOf(approval.decidedAt()));
            view.put("comment", approval.comment());
        }
        return view;
    }

    private Optional<ApprovalService> approvalService() {
        return Optional.ofNullable(approvals.get());
    }

    /** The blueprint named in force, for tests and explanations. */
    Optional<BlueprintInfo> blueprint(String name) {
        return intent.blueprint(name);
    }
}
