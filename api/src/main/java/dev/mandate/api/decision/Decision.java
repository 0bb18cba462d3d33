package dev.mandate.api.decision;

import java.time.Instant;
import java.util.List;

import dev.mandate.api.model.BlastRadius;

/**
 * The answer to an {@link ActionRequest}.
 *
 * @param decisionId    unique id of this decision
 * @param outcome       allow, deny or require-approval
 * @param reasons       every rule that contributed, most decisive first
 * @param obligations   what the actor must also do (collected from every matching rule)
 * @param blastRadius   the target's blast radius at {@code modelRevision}
 * @param approvers     for {@link Outcome#REQUIRE_APPROVAL}: the teams whose approval is needed
 * @param modelRevision the model revision the decision was taken on
 * @param blueprints    the blueprints in force ({@code name@version}) when it was taken
 * @param evidence      {@code sha256:<hex>} of the ledger record that holds it
 * @param decidedAt     when
 * @param grant         for an ALLOW that was not a dry run: the signed execution grant (compact JWS)
 *                      naming exactly the allowed change; {@code null} otherwise
 * @param dryRun        whether this was a what-if: recorded, but issuing no grant
 * @param approvalId    for a REQUIRE_APPROVAL that was not a dry run: the approval request opened for it
 * @param remedies      for a decision that is not an ALLOW: what the actor can change to get one (since 1.2)
 */
public record Decision(String decisionId, Outcome outcome, List<Reason> reasons, List<String> obligations,
        BlastRadius blastRadius, List<String> approvers, long modelRevision, List<String> blueprints,
        String evidence, Instant decidedAt, String grant, boolean dryRun, String approvalId, List<Remedy> remedies) {

    public Decision {
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
        obligations = obligations == null ? List.of() : List.copyOf(obligations);
        approvers = approvers == null ? List.of() : List.copyOf(approvers);
        blueprints = blueprints == null ? List.of() : List.copyOf(blueprints);
        remedies = remedies == null ? List.of() : List.copyOf(remedies);
    }

    /** A decision without remedies, as version 1.1 built it. */
    public Decision(String decisionId, Outcome outcome, List<Reason> reasons, List<String> obligations,
            BlastRadius blastRadius, List<String> approvers, long modelRevision, List<String> blueprints,
            String evidence, Instant decidedAt, String grant, boolean dryRun, String approvalId) {
        this(decisionId, outcome, reasons, obligations, blastRadius, approvers, modelRevision, blueprints, evidence,
                decidedAt, grant, dryRun, approvalId, List.of());
    }

    /**
     * This decision with other remedies.
     *
     * @since 1.2
     */
    public Decision withRemedies(List<Remedy> list) {
        return new Decision(decisionId, outcome, reasons, obligations, blastRadius, approvers, modelRevision,
                blueprints, evidence, decidedAt, grant, dryRun, approvalId, list);
    }
}
