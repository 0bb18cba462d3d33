package dev.mandate.tools.tfgate;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The gate report as a table for a pipeline log: one row per resource change (address, action, element,
 * outcome, approvers) with its reasons under it, then what was skipped, the evidence and the verdict.
 */
final class ReportTable {

    private static final String[] HEADER = {"ADDRESS", "ACTION", "ELEMENT", "OUTCOME", "APPROVERS"};

    private ReportTable() {
    }

    static String render(JsonNode report) {
        List<String[]> rows = new ArrayList<>();
        List<List<String>> reasons = new ArrayList<>();
        Set<String> approvers = new LinkedHashSet<>();
        for (JsonNode change : report.path("changes")) {
            List<String> teams = new ArrayList<>();
            change.path("approvers").forEach(team -> teams.add(team.asText()));
            approvers.addAll(teams);
            String element = change.path("elementId").asText("");
            if (!change.path("facet").asText("").isEmpty()) {
                element += " [" + change.path("facet").asText() + "]";
            }
            rows.add(new String[] {change.path("address").asText(), change.path("action").asText(), element,
                outcome(change.path("outcome").asText("")), teams.isEmpty() ? "-" : String.join(", ", teams)});
            List<String> lines = new ArrayList<>();
            if (!change.path("coveredBy").asText("").isEmpty()) {
                lines.add("covered by the decision on " + change.path("coveredBy").asText());
            }
            for (JsonNode reason : change.path("reasons")) {
                lines.add(reason.path("source").asText() + ": " + reason.path("message").asText());
            }
            reasons.add(lines);
        }
        int[] widths = new int[HEADER.length];
        for (int c = 0; c < HEADER.length; c++) {
            widths[c] = HEADER[c].length();
            for (String[] row : rows) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        int changes = rows.size();
        int skipped = report.path("skipped").size();
        out.append(String.format(Locale.ROOT, "mandate terraform gate: %s (%d %s, %d skipped)%n",
                outcome(report.path("outcome").asText()), changes, changes == 1 ? "change" : "changes", skipped));
        if (!rows.isEmpty()) {
            out.append('\n');
            line(out, HEADER, widths);
            for (int r = 0; r < rows.size(); r++) {
                line(out, rows.get(r), widths);
                for (String reason : reasons.get(r)) {
                    out.append("    - ").append(reason).append(System.lineSeparator());
                }
            }
        }
        if (skipped > 0) {
            out.append(System.lineSeparator()).append("skipped:").append(System.lineSeparator());
            for (JsonNode skip : report.path("skipped")) {
                out.append("  ").append(skip.path("address").asText()).append(": ").append(skip.path("reason").asText())
                        .append(System.lineSeparator());
            }
        }
        out.append(System.lineSeparator());
        if (!report.path("evidence").asText("").isEmpty()) {
            out.append("evidence: ").append(report.path("evidence").asText()).append(System.lineSeparator());
        }
        out.append(verdict(report.path("outcome").asText(), approvers)).append(System.lineSeparator());
        return out.toString();
    }

    private static String verdict(String outcome, Set<String> approvers) {
        return switch (outcome) {
            case "ALLOW" -> "allowed: apply the plan (exit 0)";
            case "DENY" -> "denied: do not apply the plan (exit 1)";
            case "REQUIRE_APPROVAL" -> "needs approval from " + (approvers.isEmpty() ? "the owners"
                    : String.join(", ", approvers)) + ": apply once approved (exit 2)";
            default -> outcome;
        };
    }

    private static String outcome(String outcome) {
        return switch (outcome) {
            case "ALLOW" -> "allow";
            case "DENY" -> "deny";
            case "REQUIRE_APPROVAL" -> "needs approval";
            case "" -> "undecided";
            default -> outcome.toLowerCase(Locale.ROOT);
        };
    }

    private static void line(StringBuilder out, String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.length; c++) {
            line.append(cells[c]);
            if (c < cells.length - 1) {
                line.append(" ".repeat(widths[c] - cells[c].length() + 2));
            }
        }
        out.append(line.toString().stripTrailing()).append(System.lineSeparator());
    }
}
