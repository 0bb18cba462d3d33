package dev.mandate.enforce.terraform.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Decision;
import dev.mandate.api.decision.Outcome;
import dev.mandate.api.decision.Reason;
import dev.mandate.enforce.terraform.TerraformGateReport;
import dev.mandate.enforce.terraform.TerraformPlan;

import org.junit.jupiter.api.Test;

/** The decisions go back into a gate report: one row per change, sub-resources covered by their parent's decision. */
class GateReportTest {

    private final TerraformPlanAdapter adapter = PlanFixtures.adapter();

    static Decision decision(String id, Outcome outcome, List<Reason> reasons, List<String> approvers, String grant) {
        return new Decision(id, outcome, reasons, List.of(), null, approvers, 7, List.of(), "sha256:" + id,
                Instant.parse("2026-11-26T05:00:00Z"), grant, false, null);
    }

    @Test
    void rowsCarryEachDecisionAndCoveredRowsTheirParents() throws Exception {
        TerraformPlan plan = PlanFixtures.plan("checkov_azurerm_nsg_create.json");
        List<ActionRequest> requests = adapter.toRequests(plan);
        assertThat(requests).extracting(ActionRequest::target).containsExactly(
                "azure:network:network-security-group:unknown:test:fail",
                "azure:network:network-security-group:unknown:test:pass",
                "azure:resources:resource-group:unknown:test");
        List<Decision> decisions = List.of(
                decision("d1", Outcome.DENY, List.of(new Reason("azure-network@1.0.0#no-open-ssh", "deny",
                        "inbound ssh from the internet is not allowed")), List.of(), null),
                decision("d2", Outcome.REQUIRE_APPROVAL, List.of(new Reason("mandate#owner-approval", "require-approval",
                        "no decision right covers this")), List.of("team-network"), null),
                decision("d3", Outcome.ALLOW, List.of(new Reason("team:team-platform#change", "allow", "owner's right")),
                        List.of(), "eyJhbGciOiJFZERTQSJ9.e30.sig"));

        TerraformGateReport report = adapter.toResponse(plan, decisions);

        assertThat(report.outcome()).isEqualTo(Outcome.DENY);
        assertThat(report.evidence()).isNull();
        assertThat(report.terraformVersion()).isEqualTo("1.3.6");
        assertThat(report.formatVersion()).isEqualTo("1.1");
        assertThat(report.changes()).extracting(TerraformGateReport.Change::address).containsExactly(
                "azurerm_network_security_group.fail", "azurerm_network_security_group.pass",
                "azurerm_network_security_rule.pass", "azurerm_resource_group.test");
        TerraformGateReport.Change rule = report.changes().get(2);
        assertThat(rule.coveredBy()).isEqualTo("azurerm_network_security_group.pass");
        assertThat(rule.facet()).isEqualTo("security-rule");
        assertThat(rule.outcome()).isEqualTo(Outcome.REQUIRE_APPROVAL);
        assertThat(rule.decisionId()).isEqualTo("d2");
        assertThat(rule.approvers()).containsExactly("team-network");
        TerraformGateReport.Change group = report.changes().get(3);
        assertThat(group.grant()).isEqualTo("eyJhbGciOiJFZERTQSJ9.e30.sig");
        assertThat(group.reasons()).containsExactly(new TerraformGateReport.Cause("team:team-platform#change",
                "owner's right"));

        TerraformGateReport enforced = report.withEnforcement(Outcome.DENY, "sha256:feed");
        String text = enforced.toText();
        assertThat(text).startsWith("mandate terraform gate: deny (4 changes, 0 skipped)\n");
        assertThat(text).contains("  deny             create   azurerm_network_security_group.fail -> "
                + "azure:network:network-security-group:unknown:test:fail (provisional id)\n"
                + "      azure-network@1.0.0#no-open-ssh: inbound ssh from the internet is not allowed\n");
        assertThat(text).contains("[security-rule] (provisional id)\n"
                + "      covered by the decision on azurerm_network_security_group.pass\n");
        assertThat(text).contains("      approval needed from team-network\n");
        assertThat(text).endsWith("evidence sha256:feed\n");
    }

    @Test
    void skippedChangesAreListedWithTheirReason() throws Exception {
        TerraformPlan plan = PlanFixtures.plan("tfcompliance_aws_update_noop_create.json");
        List<Decision> decisions = new ArrayList<>();
        for (int i = 0; i < adapter.toRequests(plan).size(); i++) {
            decisions.add(decision("d" + i, Outcome.ALLOW, List.of(), List.of(), "grant-" + i));
        }
        TerraformGateReport report = adapter.toResponse(plan, decisions);
        assertThat(report.outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(report.skipped()).containsExactly(new TerraformGateReport.Skipped("aws_instance.unchanged", "no change"));
        assertThat(report.toText()).contains("  skipped          aws_instance.unchanged: no change\n")
                .startsWith("mandate terraform gate: allow (2 changes, 1 skipped)");
    }

    @Test
    void requireApprovalWithoutDenyIsTheCombinedOutcome() {
        assertThat(TerraformPlanAdapter.combined(List.of(decision("a", Outcome.ALLOW, List.of(), List.of(), null),
                decision("b", Outcome.REQUIRE_APPROVAL, List.of(), List.of(), null)))).isEqualTo(Outcome.REQUIRE_APPROVAL);
        assertThat(TerraformPlanAdapter.combined(List.of())).isEqualTo(Outcome.ALLOW);
    }

    @Test
    void tooFewDecisionsAreRefused() {
        TerraformPlan plan = PlanFixtures.plan("checkov_aws_sg_rule_update.json");
        assertThatThrownBy(() -> adapter.toResponse(plan, List.of(decision("a", Outcome.ALLOW, List.of(), List.of(),
                null)))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected a decision for every planned change, got 1");
    }
}
