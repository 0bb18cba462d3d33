package dev.mandate.api.decision;

import java.time.Instant;
import java.util.List;

/**
 * A request that needs a decision-right holder's approval before it may execute.
 *
 * @param id              unique id
 * @param decisionId      the REQUIRE_APPROVAL decision that opened it
 * @param request         the action request as asked
 * @param environment     the target's environment when it was opened (decision rights are per environment)
 * @param approvers       the teams whose members holding an approving right may decide it now
 * @param status          where it stands
 * @param escalationLevel 0 while with the first approvers, then one more per escalation
 * @param createdAt       when it was opened
 * @param expiresAt       when it escalates or expires if nobody decides it
 * @param decidedBy       who approved or rejected it, or {@code null}
 * @param decidedAt       when, or {@code null}
 * @param comment         the approver's words, or {@code null}
 * @param outcome         for an approved request: the decision taken again with the approval, carrying
 *                        the execution grant when it is still legitimate; {@code null} otherwise
 */
public record ApprovalRequest(String id, String decisionId, ActionRequest request, String environment,
        List<String> approvers, ApprovalStatus status, int escalationLevel, Instant createdAt, Instant expiresAt,
        String decidedBy, Instant decidedAt, String comment, Decision outcome) {

    public ApprovalRequest {
        approvers = approvers == null ? List.of() : List.copyOf(approvers);
    }
}
