package dev.mandate.enforce.terraform;

import java.util.List;
import java.util.Locale;

import dev.mandate.api.decision.Outcome;

/**
 * The gate's answer to a Terraform plan: the combined outcome, one row per resource change that was
 * decided (or covered by another's decision), what was skipped and why, and the evidence of the whole
 * enforcement. A pipeline applies the plan only when {@code outcome} is {@code ALLOW}.
 *
 * @param outcome          DENY if any change is denied, else REQUIRE_APPROVAL if any needs approval, else ALLOW
 * @param evidence         {@code sha256:<hex>} of the ledger record of the enforcement, or {@code null} before it is recorded
 * @param terraformVersion the Terraform version that wrote the plan
 * @param formatVersion    the plan's JSON format version
 * @param changes          the decided changes, in plan order
 * @param skipped          resource changes that need no decision (no-op, reads, ungoverned providers)
 */
public record TerraformGateReport(Outcome outcome, String evidence, String terraformVersion, String formatVersion,
        List<Change> changes, List<Skipped> skipped) {

    public TerraformGateReport {
        changes = changes == null ? List.of() : List.copyOf(changes);
        skipped = skipped == null ? List.of() : List.copyOf(skipped);
    }

    /**
     * One resource change and its decision.
     *
     * @param address     the Terraform address
     * @param action      the action wire name ({@code create}, {@code update}, {@code delete}, {@code replace})
     * @param elementId   the element it was decided on
     * @param facet       what part of the element the resource configures, or {@code null}
     * @param provisional whether the element id is a prediction (see docs/ids.md)
     * @param outcome     the decision's outcome
     * @param reasons     why, most decisive first
     * @param approvers   for REQUIRE_APPROVAL, the teams whose approval is needed
     * @param grant       for ALLOW, the execution grant to present when applying, else {@code null}
     * @param decisionId  the decision, or for a covered change the decision that covers it
     * @param coveredBy   the address whose decision covers this change (a sub-resource of a resource created,
     *                    replaced or deleted in the same plan), else {@code null}
     */
    public record Change(String address, String action, String elementId, String facet, boolean provisional,
            Outcome outcome, List<Cause> reasons, List<String> approvers, String grant, String decisionId,
            String coveredBy) {
        public Change {
            reasons = reasons == null ? List.of() : List.copyOf(reasons);
            approvers = approvers == null ? List.of() : List.copyOf(approvers);
        }
    }

    /**
     * One reason.
     *
     * @param source  {@code <blueprint>@<version>#<constraint>}, {@code team:<id>#<right>}, {@code mandate#<rule>}
     * @param message what was found
     */
    public record Cause(String source, String message) {
    }

    /**
     * A resource change that was not decided.
     *
     * @param address the Terraform address
     * @param reason  why not, one lowercase line
     */
    public record Skipped(String address, String reason) {
    }

    /** This report with the outcome and evidence of the recorded enforcement. */
    public TerraformGateReport withEnforcement(Outcome enforcedOutcome, String enforcementEvidence) {
        return new TerraformGateReport(enforcedOutcome, enforcementEvidence, terraformVersion, formatVersion, changes,
                skipped);
    }

    /** The report as plain text for a pipeline log: the outcome, one line per change with its reasons, the skipped. */
    public String toText() {
        StringBuilder out = new StringBuilder();
        out.append("mandate terraform gate: ").append(name(outcome)).append(" (").append(changes.size())
                .append(changes.size() == 1 ? " change" : " changes").append(", ").append(skipped.size())
                .append(" skipped)\n");
        for (Change change : changes) {
            out.append(String.format(Locale.ROOT, "  %-16s %-8s %s -> %s", name(change.outcome()), change.action(),
                    change.address(), change.elementId()));
            if (change.facet() != null) {
                out.append(" [").append(change.facet()).append(']');
            }
            if (change.provisional()) {
                out.append(" (provisional id)");
            }
            out.append('\n');
            if (change.coveredBy() != null) {
                out.append("      covered by the decision on ").append(change.coveredBy()).append('\n');
            }
            for (Cause cause : change.reasons()) {
                out.append("      ").append(cause.source()).append(": ").append(cause.message()).append('\n');
            }
            if (!change.approvers().isEmpty()) {
                out.append("      approval needed from ").append(String.join(", ", change.approvers())).append('\n');
            }
        }
        for (Skipped skip : skipped) {
            out.append("  skipped          ").append(skip.address()).append(": ").append(skip.reason()).append('\n');
        }
        if (evidence != null) {
            out.append("evidence ").append(evidence).append('\n');
        }
        return out.toString();
    }

    private static String name(Outcome outcome) {
        return outcome == null ? "undecided" : outcome.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
