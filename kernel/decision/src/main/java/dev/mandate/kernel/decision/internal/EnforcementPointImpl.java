package dev.mandate.kernel.decision.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Decision;
import dev.mandate.api.decision.DecisionPoint;
import dev.mandate.api.decision.Outcome;
import dev.mandate.api.decision.Reason;
import dev.mandate.api.decision.UnknownTargetException;
import dev.mandate.api.enforcement.EnforcementAdapter;
import dev.mandate.api.enforcement.EnforcementPoint;
import dev.mandate.api.enforcement.EnforcementResult;
import dev.mandate.api.enforcement.InvalidChangeException;
import dev.mandate.api.evidence.EvidenceLedger;
import dev.mandate.api.evidence.EvidenceRecord;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Decides each change an adapter finds in a tool's document and records the enforcement as a
 * whole. A change on an unknown element is denied here (a plan must not slip past the decision
 * point by naming something the model has never seen).
 */
@Component(service = EnforcementPoint.class)
public class EnforcementPointImpl implements EnforcementPoint {

    static final String TYPE = "enforcement";
    static final String UNKNOWN_TARGET = "mandate#unknown-target";

    private final DecisionPoint decisionPoint;
    private final EvidenceLedger ledger;
    private final Clock clock;

    @Activate
    public EnforcementPointImpl(@Reference DecisionPoint decisionPoint, @Reference EvidenceLedger ledger) {
        this(decisionPoint, ledger, Clock.systemUTC());
    }

    EnforcementPointImpl(DecisionPoint decisionPoint, EvidenceLedger ledger, Clock clock) {
        this.decisionPoint = decisionPoint;
        this.ledger = ledger;
        this.clock = clock;
    }

    @Override
    public <I, O> EnforcementResult<O> enforce(EnforcementAdapter<I, O> adapter, I input)
            throws InvalidChangeException {
        return enforce(adapter, input, false);
    }

    @Override
    public <I, O> EnforcementResult<O> enforce(EnforcementAdapter<I, O> adapter, I input, boolean dryRun)
            throws InvalidChangeException {
        List<ActionRequest> requests = adapter.toRequests(input);
        List<Decision> decisions = new ArrayList<>(requests.size());
        List<Integer> unknown = new ArrayList<>();
        long revision = 0;
        for (ActionRequest request : requests) {
            try {
                Decision decision = decisionPoint.decide(request, dryRun);
                revision = Math.max(revision, decision.modelRevision());
                decisions.add(decision);
            } catch (UnknownTargetException e) {
                unknown.add(decisions.size());
                decisions.add(unknownTarget(request));
            }
        }
        Outcome outcome = combined(decisions);
        String evidence = recordEnforcement(adapter.id(), outcome, decisions, revision, dryRun);
        for (int index : unknown) {
            Decision d = decisions.get(index);
            decisions.set(index, new Decision(d.decisionId(), d.outcome(), d.reasons(), d.obligations(), d.blastRadius(),
                    d.approvers(), revision, d.blueprints(), evidence, d.decidedAt(), null, dryRun, null));
        }
        if (evidence == null) {
            // the enforcement could not be recorded: nothing it decided may go ahead
            outcome = Outcome.DENY;
        }
        return new EnforcementResult<>(adapter.toResponse(input, List.copyOf(decisions)), outcome, decisions, evidence);
    }

    static Outcome combined(List<Decision> decisions) {
        Outcome outcome = Outcome.ALLOW;
        for (Decision decision : decisions) {
            if (decision.outcome() == Outcome.DENY) {
                return Outcome.DENY;
            }
            if (decision.outcome() == Outcome.REQUIRE_APPROVAL) {
                outcome = Outcome.REQUIRE_APPROVAL;
            }
        }
        return outcome;
    }

    private Decision unknownTarget(ActionRequest request) {
        return new Decision(UUID.randomUUID().toString(), Outcome.DENY, List.of(new Reason(UNKNOWN_TARGET, "deny",
                "'" + request.target() + "' is not in the model, so a " + request.action()
                        + " of it cannot be shown to be legitimate")),
                List.of(), null, List.of(), 0, List.of(), null, clock.instant(), null, false, null);
    }

    private String recordEnforcement(String adapterId, Outcome outcome, List<Decision> decisions, long revision,
            boolean dryRun) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("adapter", adapterId);
        if (dryRun) {
            payload.put("dryRun", true);
        }
        payload.put("outcome", outcome.name());
        List<Map<String, Object>> changes = new ArrayList<>();
        for (Decision decision : decisions) {
            Map<String, Object> change = new LinkedHashMap<>();
            change.put("decisionId", decision.decisionId());
            change.put("outcome", decision.outcome().name());
            if (decision.evidence() != null) {
                change.put("evidence", decision.evidence());
            } else {
                change.put("reasons", decision.reasons().stream().map(Reason::message).toList());
            }
            changes.add(change);
        }
        payload.put("changes", changes);
        try {
            EvidenceRecord record = ledger.append(TYPE, revision, payload);
            return record.hash();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
