package dev.mandate.blueprints.pcisegmentation;

import static dev.mandate.blueprints.testing.PackHarness.agent;
import static dev.mandate.blueprints.testing.PackHarness.element;
import static dev.mandate.blueprints.testing.PackHarness.fired;
import static dev.mandate.blueprints.testing.PackHarness.human;
import static dev.mandate.blueprints.testing.PackHarness.notFired;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.mandate.api.decision.Action;
import dev.mandate.api.intent.BlueprintInfo;
import dev.mandate.api.intent.Effect;
import dev.mandate.api.intent.Fallback;
import dev.mandate.api.intent.RuleMatch;
import dev.mandate.api.model.Element;
import dev.mandate.blueprints.testing.PackHarness;

/** Every rule of the PCI segmentation pack, on elements of the demo estate: fires, and does not fire. */
class PciSegmentationPackTest {

    private static final Map<String, Object> TICKET = Map.of("changeTicket", "CHG-2041");
    private static final Element LEDGER = element("aws:rds:db-instance:eu-west-1:111122223333:payments-ledger-prod",
            "prod", "pci-cde", Map.of("data-classification", "restricted-pci"),
            Map.of("storageEncrypted", true, "publiclyAccessible", false));
    private static final Element ORDERS = element("aws:rds:db-instance:eu-west-1:111122223333:orders-prod", "prod",
            "eu-restricted", Map.of(), Map.of("storageEncrypted", true));

    private PackHarness pack;

    @BeforeEach
    void load() throws IOException {
        pack = new PackHarness("dev.mandate.blueprints.pcisegmentation", PackHarness.documents(
                "dev.mandate.blueprints.baseline", Path.of("../baseline/src/main/resources/blueprints/team-platform.yaml")));
    }

    @Test
    void thePackLoadsAndTheCdeFallsBackToDeny() {
        assertThat(pack.registry.blueprints()).extracting(BlueprintInfo::ref)
                .containsExactly("pci-cde-boundary@1.0.0", "pci-cde-isolation@1.0.0");
        assertThat(pack.evaluate(LEDGER, human("alice"), Action.READ, Map.of(), Map.of()).fallback())
                .isEqualTo(Fallback.DENY);
        assertThat(pack.evaluate(ORDERS, human("alice"), Action.READ, Map.of(), Map.of()).fallback())
                .isEqualTo(Fallback.OWNER_APPROVAL);
    }

    @Test
    void cardholderDataStaysInTheCde() {
        RuleMatch out = fired(pack.evaluate(LEDGER, human("alice"), Action.UPDATE, Map.of(), Map.of("changeTicket",
                "CHG-1", "flow", Map.of("to", ORDERS.id(), "toTrustZone", "eu-restricted", "classification", "PAN"))),
                "pci-cde-isolation@1.0.0#dataflow:cardholder-data-stays-in-cde");
        assertThat(out.effect()).isEqualTo(Effect.DENY);
        notFired(pack.evaluate(LEDGER, human("alice"), Action.UPDATE, Map.of(), Map.of("changeTicket", "CHG-1",
                "flow", Map.of("to", "aws:s3:bucket:eu-west-1:111122223333:nw-invoices-archive-prod",
                        "toTrustZone", "pci-cde", "classification", "PAN"))),
                "pci-cde-isolation@1.0.0#dataflow:cardholder-data-stays-in-cde");
    }

    @Test
    void connectionsIntoTheCdeNeedApproval() {
        RuleMatch in = fired(pack.evaluate(ORDERS, human("alice"), Action.UPDATE, Map.of(), Map.of("flow", Map.of(
                "type", "CONNECTS_TO", "to", LEDGER.id(), "toTrustZone", "pci-cde"))),
                "pci-cde-boundary@1.0.0#dataflow:into-cde-needs-approval");
        assertThat(in.effect()).isEqualTo(Effect.REQUIRE_APPROVAL);
        notFired(pack.evaluate(ORDERS, human("alice"), Action.UPDATE, Map.of(), Map.of("flow", Map.of(
                "type", "CONNECTS_TO", "to", "aws:sqs:queue:eu-west-1:111122223333:q", "toTrustZone", "eu-internal"))),
                "pci-cde-boundary@1.0.0#dataflow:into-cde-needs-approval");
    }

    @Test
    void nothingInTheCdeIsReachableFromTheInternet() {
        Element sg = element("aws:ec2:security-group:eu-west-1:111122223333:sg-cde", "prod", "pci-cde", Map.of(),
                Map.of());
        fired(pack.evaluate(sg, human("alice"), Action.UPDATE, Map.of("ingressRules", List.of(Map.of("protocol", "tcp",
                "fromPort", 443, "toPort", 443, "source", "0.0.0.0/0"))), TICKET),
                "pci-cde-isolation@1.0.0#no-untrusted-ingress");
        notFired(pack.evaluate(sg, human("alice"), Action.UPDATE, Map.of("ingressRules", List.of(Map.of("protocol",
                "tcp", "fromPort", 5432, "toPort", 5432, "source", "10.10.48.0/20"))), TICKET),
                "pci-cde-isolation@1.0.0#no-untrusted-ingress");

        assertThat(pack.evaluate(LEDGER, human("alice"), Action.UPDATE, Map.of("publiclyAccessible", true,
                "storageEncrypted", false), TICKET).matches()).extracting(RuleMatch::source).containsExactly(
                "pci-cde-isolation@1.0.0#variation:storageEncrypted",
                "pci-cde-isolation@1.0.0#variation:publiclyAccessible");
        assertThat(pack.evaluate(LEDGER, human("alice"), Action.UPDATE, Map.of("instanceClass", "db.r6g.xlarge"),
                TICKET).matches()).isEmpty();
    }

    @Test
    void everyCdeChangeCarriesATicketAndNoAgentChangesIt() {
        RuleMatch ticket = fired(pack.evaluate(LEDGER, human("alice"), Action.RESTART, Map.of(), Map.of()),
                "pci-cde-isolation@1.0.0#change-ticket");
        assertThat(ticket.obligations()).containsExactly("record-change-ticket");
        notFired(pack.evaluate(LEDGER, human("alice"), Action.RESTART, Map.of(), TICKET),
                "pci-cde-isolation@1.0.0#change-ticket");
        notFired(pack.evaluate(ORDERS, human("alice"), Action.RESTART, Map.of(), Map.of()),
                "pci-cde-isolation@1.0.0#change-ticket");

        fired(pack.evaluate(LEDGER, agent("agent-7"), Action.RESTART, Map.of(), TICKET),
                "pci-cde-isolation@1.0.0#no-ai-changes");
        notFired(pack.evaluate(LEDGER, agent("agent-7"), Action.READ, Map.of(), Map.of()),
                "pci-cde-isolation@1.0.0#no-ai-changes");
    }
}
