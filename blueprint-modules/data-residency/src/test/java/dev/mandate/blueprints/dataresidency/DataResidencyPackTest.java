package dev.mandate.blueprints.dataresidency;

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
import dev.mandate.api.intent.Evaluation;
import dev.mandate.api.intent.RuleMatch;
import dev.mandate.api.model.Element;
import dev.mandate.blueprints.testing.PackHarness;

/** Every rule of the data-residency pack, on elements of the demo estate: fires, and does not fire. */
class DataResidencyPackTest {

    private static final Element ORDERS = element("aws:rds:db-instance:eu-west-1:111122223333:orders-prod", "prod",
            "eu-restricted", Map.of("data-classification", "confidential-pii"), Map.of("personalData", true));
    private static final String US_BUCKET = "aws:s3:bucket:us-east-1:111122223333:nw-analytics-us";

    private PackHarness pack;

    @BeforeEach
    void load() throws IOException {
        pack = new PackHarness("dev.mandate.blueprints.dataresidency", PackHarness.documents(
                "dev.mandate.blueprints.baseline", Path.of("../baseline/src/main/resources/blueprints/team-platform.yaml")));
    }

    private Evaluation flow(Element from, Map<String, Object> flow) {
        return pack.evaluate(from, human("alice"), Action.UPDATE, Map.of(), Map.of("flow", flow));
    }

    @Test
    void thePackLoads() {
        assertThat(pack.registry.blueprints()).extracting(BlueprintInfo::ref)
                .containsExactly("eu-data-flows@1.0.0", "eu-personal-data-placement@1.0.0");
    }

    @Test
    void euPersonalDataDoesNotLeaveTheEu() {
        Evaluation out = flow(ORDERS, Map.of("type", "FLOWS_DATA_TO", "to", US_BUCKET, "toTrustZone", "us-internal",
                "classification", "PII", "purpose", "marketing analytics"));
        RuleMatch deny = fired(out, "eu-data-flows@1.0.0#dataflow:eu-personal-data-stays-in-eu");
        assertThat(deny.effect()).isEqualTo(Effect.DENY);
        assertThat(deny.message()).contains("PII data from '" + ORDERS.id() + "' (eu-restricted)", "(us-internal)");

        // the demo estate's DR replica in eu-central-1 stays in the EU
        notFired(flow(ORDERS, Map.of("to", "aws:rds:db-instance:eu-central-1:111122223333:orders-prod-dr",
                "toTrustZone", "eu-restricted", "classification", "PII")),
                "eu-data-flows@1.0.0#dataflow:eu-personal-data-stays-in-eu");
        notFired(flow(ORDERS, Map.of("to", US_BUCKET, "toTrustZone", "us-internal", "classification", "public",
                "purpose", "status page")), "eu-data-flows@1.0.0#dataflow:eu-personal-data-stays-in-eu");
    }

    @Test
    void leavingATrustZoneNeedsADeclaredPurpose() {
        String lake = "aws:s3:bucket:eu-west-1:111122223333:nw-datalake-raw-prod";
        Evaluation silent = flow(ORDERS, Map.of("to", lake, "toTrustZone", "eu-internal", "classification",
                List.of("internal")));
        assertThat(fired(silent, "eu-data-flows@1.0.0#dataflow:restricted-zone-exit-needs-purpose").effect())
                .isEqualTo(Effect.REQUIRE_APPROVAL);
        notFired(flow(ORDERS, Map.of("to", lake, "toTrustZone", "eu-internal", "classification", List.of("internal"),
                "purpose", "nightly finance reporting (DPIA-12)")),
                "eu-data-flows@1.0.0#dataflow:restricted-zone-exit-needs-purpose");

        Element internal = element(lake, "prod", "eu-internal", Map.of(), Map.of());
        fired(flow(internal, Map.of("to", "network:dcim:device:dc1:fw-01:x", "toTrustZone", "corp")),
                "eu-data-flows@1.0.0#dataflow:internal-zone-exit-needs-purpose");
        notFired(flow(internal, Map.of("to", "aws:sqs:queue:eu-west-1:111122223333:q", "toTrustZone", "eu-internal")),
                "eu-data-flows@1.0.0#dataflow:internal-zone-exit-needs-purpose");
    }

    @Test
    void personalDataIsPlacedInTheEu() {
        Element usCopy = element("aws:rds:db-instance:us-east-1:111122223333:orders-us", "prod", "us-internal",
                Map.of("data-classification", "confidential-pii"), Map.of("personalData", true));
        assertThat(fired(pack.create(usCopy, Map.of()), "eu-personal-data-placement@1.0.0#personal-data-in-eu-zones")
                .message()).contains("'us-internal'");
        Element euRegionWrongZone = element("aws:rds:db-instance:us-east-1:111122223333:orders-x", "prod",
                "eu-restricted", Map.of("data-classification", "confidential-pii"), Map.of());
        fired(pack.create(euRegionWrongZone, Map.of()), "eu-personal-data-placement@1.0.0#personal-data-in-eu-zones");
        Element azure = element("azure:sql:database:8a1e4c2d-7f3b-4d6a-b5e9-0c9f2a7d4e11:rg-x:srv/db", "prod",
                "eu-restricted", Map.of("data-classification", "restricted-pii"), Map.of("location", "eastus"));
        fired(pack.create(azure, Map.of()), "eu-personal-data-placement@1.0.0#personal-data-in-eu-zones");

        notFired(pack.create(element("aws:rds:db-instance:eu-central-1:111122223333:orders-dr", "prod", "eu-restricted",
                Map.of("data-classification", "confidential-pii"), Map.of()), Map.of()),
                "eu-personal-data-placement@1.0.0#personal-data-in-eu-zones");
        notFired(pack.create(element("aws:s3:bucket:us-east-1:111122223333:public-assets", "prod", "us-internal",
                Map.of("data-classification", "public"), Map.of()), Map.of()),
                "eu-personal-data-placement@1.0.0#personal-data-in-eu-zones");
    }
}
