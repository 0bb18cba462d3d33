package dev.mandate.enforce.authzen.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.ActorKind;
import dev.mandate.api.decision.Decision;
import dev.mandate.api.decision.Outcome;
import dev.mandate.api.decision.Reason;
import dev.mandate.api.decision.Remedy;
import dev.mandate.api.enforcement.EnforcementAdapter;
import dev.mandate.api.enforcement.InvalidChangeException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Translates an AuthZEN access evaluation into the action request it asks about, and the decision back into an
 * AuthZEN access evaluation response: {@code decision} is true only for ALLOW; REQUIRE_APPROVAL is
 * {@code false} with {@code context.approval} saying that approval is needed and by whom; the context carries
 * the decision id, the outcome, the reasons as AuthZEN reason objects, the decision point's remedies (what to
 * change to get an ALLOW), the obligations, the evidence and, for an ALLOW, the execution grant. Thread-safe.
 */
@Component(service = {EnforcementAdapter.class, AuthZenAdapter.class}, configurationPid = "dev.mandate.enforce.authzen",
        property = "mandate.adapter=authzen")
@Designate(ocd = AuthZenAdapterConfig.class)
public class AuthZenAdapter implements EnforcementAdapter<AccessEvaluation, Map<String, Object>> {

    static final String ID = "authzen";
    /** The request-context key naming the authenticated caller (the policy enforcement point). */
    static final String PEP = "pep";

    private volatile Settings settings;

    /**
     * The validated configuration.
     *
     * @param policyDecisionPoint the PDP identifier, or {@code null} to take it from the request
     * @param mapping             the evaluation reader
     * @param maxEvaluations      the largest batch
     * @param whatIf              whether every evaluation is a dry run (no grant, no approval request)
     * @param authenticate        whether callers must authenticate
     * @param callerRoles         roles of which an authenticated caller must hold one; empty: any
     * @param searchLimit         the default and largest page of a search
     * @param searchCandidates    how many elements one resource search request evaluates at most
     */
    record Settings(String policyDecisionPoint, AccessMapping mapping, int maxEvaluations, boolean whatIf,
            boolean authenticate, List<String> callerRoles, int searchLimit, int searchCandidates) {

        /**
         * These settings with authentication and search limits.
         *
         * @throws IllegalArgumentException naming the setting that is wrong
         */
        Settings access(boolean on, String[] roles, int limit, int candidates) {
            if (limit < 1 || limit > 1000 || candidates < 1) {
                throw new IllegalArgumentException("searchLimit must be 1 to 1000 and searchCandidates positive, not "
                        + limit + " and " + candidates);
            }
            return new Settings(policyDecisionPoint, mapping, maxEvaluations, whatIf, on, split(roles), limit,
                    candidates);
        }
    }

    @Activate
    public AuthZenAdapter(AuthZenAdapterConfig config) {
        this.settings = settingsOf(config);
    }

    AuthZenAdapter(Settings settings) {
        this.settings = settings;
    }

    @Modified
    void modified(AuthZenAdapterConfig config) {
        this.settings = settingsOf(config);
    }

    private static Settings settingsOf(AuthZenAdapterConfig config) {
        return settingsOf(config.policyDecisionPoint(), config.subjectKinds(), config.maxEvaluations(),
                config.whatIf()).access(config.authenticate(), config.callerRoles(), config.searchLimit(),
                        config.searchCandidates());
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<ActionRequest> toRequests(AccessEvaluation input) throws InvalidChangeException {
        ActionRequest request = settings.mapping().read(input.tuple(), input.pointer());
        if (input.caller() == null) {
            return List.of(request);
        }
        // who asked on the subject's behalf: the authenticated policy enforcement point, recorded with the request
        Map<String, Object> context = new LinkedHashMap<>(request.context());
        context.put(PEP, input.caller());
        return List.of(new ActionRequest(request.actor(), request.action(), request.target(), request.justification(),
                request.before(), request.after(), context));
    }

    @Override
    public Map<String, Object> toResponse(AccessEvaluation input, List<Decision> decisions) {
        Decision decision = decisions.get(0);
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("id", decision.decisionId());
        context.put("outcome", decision.outcome().name());
        List<Map<String, Object>> reasons = new ArrayList<>();
        for (Reason reason : decision.reasons()) {
            Map<String, Object> object = new LinkedHashMap<>();
            object.put("id", reason.source());
            object.put("effect", reason.effect());
            object.put("reason_admin", Map.of("en", reason.message()));
            reasons.add(object);
        }
        context.put("reasons", reasons);
        if (decision.outcome() == Outcome.REQUIRE_APPROVAL) {
            Map<String, Object> approval = new LinkedHashMap<>();
            approval.put("required", true);
            approval.put("approvers", decision.approvers());
            if (decision.approvalId() != null) {
                approval.put("approval_id", decision.approvalId());
            }
            String by = decision.approvers().isEmpty() ? "the owner" : String.join(", ", decision.approvers());
            approval.put("message", "approval by " + by + " is needed before this may go ahead"
                    + (decision.approvalId() == null ? "" : "; approval request " + decision.approvalId()
                            + " is open"));
            context.put("approval", approval);
        }
        if (!decision.remedies().isEmpty()) {
            List<Map<String, Object>> remedies = new ArrayList<>();
            for (Remedy remedy : decision.remedies()) {
                Map<String, Object> object = new LinkedHashMap<>();
                object.put("kind", remedy.kind());
                object.put("message", remedy.message());
                object.put("sufficient", remedy.sufficient());
                remedies.add(object);
            }
            context.put("remedies", remedies);
        }
        if (!decision.obligations().isEmpty()) {
            context.put("obligations", decision.obligations());
        }
        if (decision.blastRadius() != null) {
            context.put("blast_radius", Map.of("count", decision.blastRadius().count(), "owners",
                    decision.blastRadius().owners()));
        }
        context.put("model_revision", decision.modelRevision());
        if (decision.evidence() != null) {
            context.put("evidence", decision.evidence());
        }
        if (decision.outcome() == Outcome.ALLOW && decision.grant() != null) {
            context.put("grant", decision.grant());
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("decision", decision.outcome() == Outcome.ALLOW);
        response.put("context", context);
        return response;
    }

    Settings settings() {
        return settings;
    }

    /** @throws IllegalArgumentException naming the entry that is wrong */
    static Settings settingsOf(String policyDecisionPoint, String[] subjectKinds, int maxEvaluations,
            boolean whatIf) {
        Map<String, ActorKind> kinds = new LinkedHashMap<>();
        // a .cfg file gives a list as one comma-separated value
        List<String> entries = new ArrayList<>();
        for (String value : subjectKinds) {
            for (String entry : value.split(",")) {
                if (!entry.isBlank()) {
                    entries.add(entry.trim());
                }
            }
        }
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("subject kind entry '" + entry + "' is not '<type>=<kind>'");
            }
            String kind = entry.substring(eq + 1).trim().toUpperCase(Locale.ROOT);
            try {
                kinds.put(entry.substring(0, eq).trim().toLowerCase(Locale.ROOT), ActorKind.valueOf(kind));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("subject kind entry '" + entry + "' names no actor kind (HUMAN, "
                        + "SYSTEM, AI)", e);
            }
        }
        String pdp = policyDecisionPoint == null || policyDecisionPoint.isBlank() ? null
                : policyDecisionPoint.trim().replaceAll("/+$", "");
        if (maxEvaluations < 1) {
            throw new IllegalArgumentException("maxEvaluations must be positive, not " + maxEvaluations);
        }
        return new Settings(pdp, new AccessMapping(kinds), maxEvaluations, whatIf, false, List.of(), 50, 1000);
    }

    private static List<String> split(String[] values) {
        List<String> out = new ArrayList<>();
        for (String value : values == null ? new String[0] : values) {
            for (String item : value.split(",")) {
                if (!item.isBlank()) {
                    out.add(item.trim());
                }
            }
        }
        return List.copyOf(out);
    }
}
