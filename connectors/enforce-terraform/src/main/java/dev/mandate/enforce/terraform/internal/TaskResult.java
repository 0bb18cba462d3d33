package dev.mandate.enforce.terraform.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.mandate.api.decision.Outcome;
import dev.mandate.enforce.terraform.TerraformGateReport;

/**
 * The JSON:API {@code task-results} document a run task PATCHes back to Terraform: {@code passed} when every
 * change is allowed, else {@code failed} (a denial, or an approval still needed), with one
 * {@code task-result-outcomes} entry per decided change.
 */
final class TaskResult {

    /** Terraform shows at most this much of the message. */
    static final int MESSAGE_LIMIT = 500;

    private TaskResult() {
    }

    /** The result of a decided plan. */
    static Map<String, Object> of(TerraformGateReport report) {
        List<Map<String, Object>> outcomes = new ArrayList<>();
        for (TerraformGateReport.Change change : report.changes()) {
            outcomes.add(outcome(change));
        }
        Map<String, Object> relationships = Map.of("outcomes", Map.of("data", outcomes));
        return document(report.outcome() == Outcome.ALLOW ? "passed" : "failed", message(report), relationships);
    }

    /** A run Mandate could not decide: failed, with why. */
    static Map<String, Object> failed(String why) {
        return document("failed", why, null);
    }

    /** A run at a stage with nothing to decide. */
    static Map<String, Object> passed(String why) {
        return document("passed", why, null);
    }

    static String message(TerraformGateReport report) {
        int total = report.changes().size();
        String evidence = report.evidence() == null ? "" : " (evidence " + report.evidence() + ")";
        String text;
        if (report.outcome() == Outcome.ALLOW) {
            text = total == 0 ? "mandate: nothing to decide, " + report.skipped().size() + " changes skipped"
                    : "mandate allows " + (total == 1 ? "the change" : "all " + total + " changes");
        } else if (report.outcome() == Outcome.DENY) {
            List<TerraformGateReport.Change> denied = report.changes().stream()
                    .filter(c -> c.outcome() == Outcome.DENY).toList();
            TerraformGateReport.Change first = denied.get(0);
            text = "mandate denies " + denied.size() + " of " + total + (total == 1 ? " change" : " changes") + ": "
                    + first.address() + (first.reasons().isEmpty() ? "" : " - " + first.reasons().get(0).message());
        } else {
            Set<String> approvers = new LinkedHashSet<>();
            long waiting = report.changes().stream().filter(c -> c.outcome() == Outcome.REQUIRE_APPROVAL)
                    .peek(c -> approvers.addAll(c.approvers())).count();
            text = "needs approval from " + (approvers.isEmpty() ? "the owners" : String.join(", ", approvers))
                    + " for " + waiting + " of " + total + (total == 1 ? " change" : " changes")
                    + "; run again once approved";
        }
        return limit(text + evidence);
    }

    private static Map<String, Object> outcome(TerraformGateReport.Change change) {
        Map<String, Object> tags = new LinkedHashMap<>();
        tags.put("Status", List.of(tag(label(change.outcome()), level(change.outcome()))));
        tags.put("Action", List.of(tag(change.action(), "none")));
        if (!change.approvers().isEmpty()) {
            tags.put("Approvers", change.approvers().stream().map(team -> tag(team, "warning")).toList());
        }
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("outcome-id", change.address());
        attributes.put("description", limit(label(change.outcome()) + ": " + change.action() + " " + change.address()));
        attributes.put("body", body(change));
        attributes.put("tags", tags);
        return Map.of("type", "task-result-outcomes", "attributes", attributes);
    }

    private static String body(TerraformGateReport.Change change) {
        StringBuilder md = new StringBuilder();
        md.append("**").append(label(change.outcome())).append("**: `").append(change.action()).append("` of `")
                .append(change.address()).append("`\n\n");
        md.append("- element: `").append(change.elementId()).append('`');
        if (change.facet() != null) {
            md.append(" (").append(change.facet()).append(')');
        }
        if (change.provisional()) {
            md.append(", predicted id");
        }
        md.append('\n');
        if (change.coveredBy() != null) {
            md.append("- covered by the decision on `").append(change.coveredBy()).append("`\n");
        }
        if (!change.approvers().isEmpty()) {
            md.append("- approval needed from ").append(String.join(", ", change.approvers())).append('\n');
        }
        if (change.decisionId() != null) {
            md.append("- decision `").append(change.decisionId()).append("`\n");
        }
        if (!change.reasons().isEmpty()) {
            md.append("\n### Reasons\n");
            for (TerraformGateReport.Cause cause : change.reasons()) {
                md.append("- `").append(cause.source()).append("`: ").append(cause.message()).append('\n');
            }
        }
        return md.toString();
    }

    private static Map<String, Object> document(String status, String message, Map<String, Object> relationships) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("status", status);
        attributes.put("message", limit(message));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("type", "task-results");
        data.put("attributes", attributes);
        if (relationships != null) {
            data.put("relationships", relationships);
        }
        return Map.of("data", data);
    }

    private static Map<String, Object> tag(String label, String level) {
        Map<String, Object> tag = new LinkedHashMap<>();
        tag.put("label", label);
        tag.put("level", level);
        return tag;
    }

    private static String label(Outcome outcome) {
        if (outcome == null) {
            return "Undecided";
        }
        return switch (outcome) {
            case ALLOW -> "Allowed";
            case DENY -> "Denied";
            case REQUIRE_APPROVAL -> "Needs approval";
        };
    }

    private static String level(Outcome outcome) {
        if (outcome == null) {
            return "error";
        }
        return switch (outcome) {
            case ALLOW -> "info";
            case DENY -> "error";
            case REQUIRE_APPROVAL -> "warning";
        };
    }

    private static String limit(String text) {
        return text.length() <= MESSAGE_LIMIT ? text : text.substring(0, MESSAGE_LIMIT - 1) + "…";
    }
}
