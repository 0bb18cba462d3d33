package dev.mandate.enforce.mcp.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Decision;
import dev.mandate.api.decision.Outcome;
import dev.mandate.api.decision.Reason;
import dev.mandate.api.intent.BlueprintInfo;

/**
 * What an agent can do to turn a decision into an ALLOW, derived from the decision's reasons, approvers and
 * obligations: one plain sentence per way forward, the decisive ones first. A deny cannot be approved away, so
 * for a deny the remedies name what to change in the request or whom to ask for a waiver; for a
 * require-approval they name the approvers and the approval request. Thread-safe.
 */
final class Remedies {

    static final String AI_IDENTITY = "mandate#ai-agent-identity";
    static final String UNKNOWN_TARGET = "mandate#unknown-target";
    static final String NO_RIGHT = "mandate#no-decision-right";

    private final Function<String, Optional<BlueprintInfo>> blueprints;

    /** @param blueprints the blueprint in force by name, to name the team that owns a rule */
    Remedies(Function<String, Optional<BlueprintInfo>> blueprints) {
        this.blueprints = blueprints;
    }

    List<String> of(Decision decision, ActionRequest request) {
        Set<String> remedies = new LinkedHashSet<>();
        if (decision.outcome() == Outcome.ALLOW) {
            if (decision.grant() != null) {
                remedies.add("allowed: present the execution grant to the tool that applies the change; it covers "
                        + "exactly " + request.action() + " of '" + request.target() + "' and expires soon");
            } else {
                remedies.add("allowed: ask again without dryRun to receive the execution grant before you act");
            }
            obligations(decision, remedies);
            return List.copyOf(remedies);
        }
        for (Reason reason : decision.reasons()) {
            if ("deny".equals(reason.effect())) {
                remedies.add(forDeny(reason, request));
            }
        }
        if (decision.outcome() == Outcome.REQUIRE_APPROVAL) {
            String approvers = decision.approvers().isEmpty() ? "the owner" : String.join(", ", decision.approvers());
            if (decision.approvalId() != null) {
                remedies.add("approval by " + approvers + " is needed: approval request '" + decision.approvalId()
                        + "' is open; follow it with request_approval {\"approvalId\": \"" + decision.approvalId()
                        + "\"} and act only once it is approved, with the grant it returns");
            } else {
                remedies.add("approval by " + approvers + " is needed: call request_approval with this request "
                        + "(and a justification) to open an approval request");
            }
            for (Reason reason : decision.reasons()) {
                if ("require-approval".equals(reason.effect())) {
                    remedies.add("approval is asked because " + source(reason) + ": " + reason.message());
                }
            }
        } else if (decision.outcome() == Outcome.DENY && remedies.isEmpty()) {
            remedies.add("denied without a rule to change: a human with a decision right over '" + request.target()
                    + "' must make this change");
        }
        obligations(decision, remedies);
        return List.copyOf(remedies);
    }

    /** One paragraph: the outcome, the decisive reasons, and the remedies. */
    String explanation(Decision decision, ActionRequest request, List<String> remedies) {
        StringBuilder text = new StringBuilder();
        text.append(switch (decision.outcome()) {
            case ALLOW -> "ALLOW: ";
            case DENY -> "DENY: ";
            case REQUIRE_APPROVAL -> "REQUIRE_APPROVAL: ";
        });
        text.append(request.action()).append(" of '").append(request.target()).append("' by AI agent '")
                .append(request.actor().id()).append('\'');
        List<String> why = new ArrayList<>();
        for (Reason reason : decision.reasons()) {
            if (decision.outcome() == Outcome.ALLOW || !"allow".equals(reason.effect())) {
                why.add(source(reason) + ": " + reason.message());
            }
        }
        if (!why.isEmpty()) {
            text.append(" because ").append(String.join("; ", why));
        }
        text.append(".");
        if (!remedies.isEmpty()) {
            text.append(decision.outcome() == Outcome.ALLOW ? " Next: " : " To get an ALLOW: ");
            text.append(String.join("; ", remedies)).append('.');
        }
        return text.toString();
    }

    private String forDeny(Reason reason, ActionRequest request) {
        String source = reason.source() == null ? "" : reason.source();
        switch (source) {
            case AI_IDENTITY:
                return "declare yourself: send agent.model (the id of the model you run) and agent.planSha256 (the "
                        + "SHA-256, 64 hex digits, of the plan or prompt behind this request) and ask again";
            case UNKNOWN_TARGET:
                return "'" + request.target() + "' is not in the model: find the element's id with explain_element "
                        + "(ids are the URNs of docs/ids.md), or ask with action 'create' for a new element";
            case NO_RIGHT:
                return "nobody can approve this: " + reason.message() + "; have the organisation declare an "
                        + "accountable owner for '" + request.target() + "', or leave the change to a human who holds "
                        + "a decision right";
            default:
                break;
        }
        if (source.startsWith("mandate#")) {
            return "mandate could not decide safely (" + reason.message() + "); nothing may go ahead until it can, "
                    + "so ask again later";
        }
        int at = source.indexOf('@');
        int hash = source.indexOf('#');
        if (at > 0 && hash > at) {
            String name = source.substring(0, at);
            String rule = source.substring(hash + 1);
            String owner = blueprints.apply(name).map(BlueprintInfo::owner).orElse(null);
            return "rule '" + rule + "' of blueprint '" + name + "'" + (owner == null ? "" : " (owned by '" + owner
                    + "')") + " forbids it: " + reason.message() + "; no approval overrides a deny, so change the "
                    + "request until the rule no longer matches (another action, target or environment), leave it to "
                    + "a human" + (owner == null ? "" : ", or ask '" + owner + "' for a waiver");
        }
        return source(reason) + " forbids it: " + reason.message();
    }

    private static void obligations(Decision decision, Set<String> remedies) {
        for (String obligation : decision.obligations()) {
            remedies.add("obligation: " + obligation);
        }
    }

    private static String source(Reason reason) {
        return reason.source() == null ? "mandate" : reason.source();
    }
}
