package dev.mandate.blueprints.azurelandingzone;

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
import dev.mandate.api.intent.Evaluation;
import dev.mandate.api.intent.RuleMatch;
import dev.mandate.api.model.Element;
import dev.mandate.blueprints.testing.PackHarness;

/** Every rule of the Azure landing-zone pack, on elements of the demo estate: fires, and does not fire. */
class AzureLandingZonePackTest {

    private static final String SUB = "8a1e4c2d-7f3b-4d6a-b5e9-0c9f2a7d4e11";
    private static final String TENANT = "3f6c2a9e-5b1d-4e8a-9c07-2d4b8e1f6a35";

    private PackHarness pack;

    @BeforeEach
    void load() throws IOException {
        pack = new PackHarness("dev.mandate.blueprints.azurelandingzone", PackHarness.documents(
                "dev.mandate.blueprints.baseline", Path.of("../baseline/src/main/resources/blueprints/team-platform.yaml")));
    }

    @Test
    void thePackLoadsEveryBlueprint() {
        assertThat(pack.registry.blueprints()).extracting(BlueprintInfo::ref).containsExactly(
                "azure-allowed-locations@1.0.0", "azure-nsg@1.0.0", "azure-role-assignments@1.0.0",
                "azure-sql-database-hardening@1.0.0", "azure-sql-server-hardening@1.0.0",
                "azure-storage-hardening@1.0.0");
        assertThat(pack.registry.blueprints()).allSatisfy(info -> assertThat(info.description())
                .containsAnyOf("CIS", "Well-Architected", "Cloud Adoption Framework"));
    }

    @Test
    void allowedLocations() {
        Element vm = element("azure:compute:virtual-machine:" + SUB + ":rg-sap-prod:vm-new", "prod", "eu-internal",
                Map.of(), Map.of("location", "eastus"));
        assertThat(fired(pack.create(vm, Map.of()), "azure-allowed-locations@1.0.0#allowed-locations").message())
                .contains("'eastus'");
        notFired(pack.create(element(vm.id(), "prod", "eu-internal", Map.of(), Map.of("location", "westeurope")),
                Map.of()), "azure-allowed-locations@1.0.0#allowed-locations");
        notFired(pack.evaluate(vm, human("alice"), Action.UPDATE, Map.of("size", "Standard_D4s_v5"), Map.of()),
                "azure-allowed-locations@1.0.0#allowed-locations");
    }

    @Test
    void nsgRules() {
        Element nsg = element("azure:network:network-security-group:" + SUB + ":rg-sap-prod:nsg-sap-app", "prod",
                "eu-internal", Map.of(), Map.of());
        Map<String, Object> rdp = Map.of("name", "rdp", "priority", 120, "direction", "Inbound", "access", "Allow",
                "protocol", "Tcp", "sourceAddressPrefix", "Internet", "destinationPortRange", "3389");
        Map<String, Object> https = Map.of("name", "https", "priority", 130, "direction", "Inbound", "access", "Allow",
                "protocol", "Tcp", "sourceAddressPrefix", "*", "destinationPortRange", "443");
        Map<String, Object> hub = Map.of("name", "hub", "priority", 110, "direction", "Inbound", "access", "Allow",
                "protocol", "Tcp", "sourceAddressPrefix", "10.40.0.0/20", "destinationPortRange", "3389");

        Evaluation open = pack.evaluate(nsg, human("alice"), Action.UPDATE, Map.of("securityRules", List.of(rdp)),
                Map.of());
        assertThat(fired(open, "azure-nsg@1.0.0#no-internet-rdp-ssh").effect()).isEqualTo(Effect.DENY);
        Evaluation web = pack.evaluate(nsg, human("alice"), Action.UPDATE, Map.of("securityRules", List.of(https)),
                Map.of());
        notFired(web, "azure-nsg@1.0.0#no-internet-rdp-ssh");
        assertThat(fired(web, "azure-nsg@1.0.0#internet-inbound-needs-approval").effect())
                .isEqualTo(Effect.REQUIRE_APPROVAL);
        assertThat(pack.evaluate(nsg, human("alice"), Action.UPDATE, Map.of("securityRules", List.of(hub)), Map.of())
                .matches()).isEmpty();
    }

    @Test
    void storageHardening() {
        // stjantest0423 in the demo estate: TLS 1.0 and anonymous blob access
        Element sandbox = element("azure:storage:account:" + SUB + ":rg-sandbox-jan:stjantest0423", "dev",
                "eu-internal", Map.of(), Map.of("location", "westeurope", "supportsHttpsTrafficOnly", true,
                        "minimumTlsVersion", "TLS1_0", "allowBlobPublicAccess", true));
        assertThat(pack.create(sandbox, Map.of()).matches()).extracting(RuleMatch::source).containsExactly(
                "azure-storage-hardening@1.0.0#variation:minimumTlsVersion",
                "azure-storage-hardening@1.0.0#variation:allowBlobPublicAccess");
        Element backup = element("azure:storage:account:" + SUB + ":rg-sap-prod:stnwsapbackupweu", "prod",
                "eu-internal", Map.of(), Map.of("location", "westeurope", "supportsHttpsTrafficOnly", true,
                        "minimumTlsVersion", "TLS1_2", "allowBlobPublicAccess", false, "publicNetworkAccess", "Disabled"));
        assertThat(pack.create(backup, Map.of()).matches()).isEmpty();

        fired(pack.evaluate(backup, human("alice"), Action.UPDATE, Map.of("publicNetworkAccess", "Enabled"), Map.of()),
                "azure-storage-hardening@1.0.0#prod-public-network-access");
        Element dev = element(backup.id(), "dev", "eu-internal", Map.of(), backup.attributes());
        notFired(pack.evaluate(dev, human("alice"), Action.UPDATE, Map.of("publicNetworkAccess", "Enabled"), Map.of()),
                "azure-storage-hardening@1.0.0#prod-public-network-access");
    }

    @Test
    void sqlHardening() {
        Element server = element("azure:sql:server:" + SUB + ":rg-finance-prod:sql-nw-finance-weu", "prod",
                "eu-restricted", Map.of(), Map.of("azureAdOnlyAuthentication", true, "minimalTlsVersion", "1.2",
                        "auditing", "Enabled", "advancedThreatProtection", "Enabled", "publicNetworkAccess", "Disabled"));
        assertThat(pack.evaluate(server, human("alice"), Action.UPDATE, Map.of("azureAdOnlyAuthentication", false,
                "publicNetworkAccess", "Enabled"), Map.of()).matches()).extracting(RuleMatch::source).containsExactly(
                "azure-sql-server-hardening@1.0.0#variation:azureAdOnlyAuthentication",
                "azure-sql-server-hardening@1.0.0#variation:publicNetworkAccess");
        assertThat(pack.evaluate(server, human("alice"), Action.UPDATE, Map.of("minimalTlsVersion", "1.3"), Map.of())
                .matches()).isEmpty();

        Element database = element("azure:sql:database:" + SUB + ":rg-finance-prod:sql-nw-finance-weu/treasury",
                "prod", "eu-restricted", Map.of(), Map.of("transparentDataEncryption", "Enabled",
                        "backupStorageRedundancy", "Zone"));
        fired(pack.evaluate(database, human("alice"), Action.UPDATE, Map.of("transparentDataEncryption", "Disabled"),
                Map.of()), "azure-sql-database-hardening@1.0.0#variation:transparentDataEncryption");
        fired(pack.evaluate(database, human("alice"), Action.UPDATE, Map.of("backupStorageRedundancy", "Local"),
                Map.of()), "azure-sql-database-hardening@1.0.0#prod-backup-redundancy");
        assertThat(pack.evaluate(database, human("alice"), Action.UPDATE, Map.of("backupStorageRedundancy", "Geo"),
                Map.of()).matches()).isEmpty();
    }

    @Test
    void roleAssignments() {
        Element principal = element("identity:entra:service-principal:" + TENANT + ":sp-sap-backup", "prod", "corp",
                Map.of(), Map.of());
        String subscription = "/subscriptions/" + SUB;
        fired(pack.evaluate(principal, human("alice"), Action.ACCESS_GRANT, Map.of(), Map.of("role", "Owner",
                "scope", subscription)), "azure-role-assignments@1.0.0#no-privileged-roles-for-service-principals");
        RuleMatch wide = fired(pack.evaluate(principal, human("alice"), Action.ACCESS_GRANT, Map.of(),
                Map.of("role", "Contributor", "scope", subscription)),
                "azure-role-assignments@1.0.0#subscription-wide-contributor");
        assertThat(wide.effect()).isEqualTo(Effect.REQUIRE_APPROVAL);
        Evaluation scoped = pack.evaluate(principal, human("alice"), Action.ACCESS_GRANT, Map.of(),
                Map.of("role", "Contributor", "scope", subscription + "/resourceGroups/rg-sap-prod"));
        assertThat(scoped.matches()).isEmpty();

        fired(pack.evaluate(principal, agent("agent-7"), Action.ACCESS_GRANT, Map.of(), Map.of("role", "Reader",
                "scope", subscription + "/resourceGroups/rg-sap-prod")), "azure-role-assignments@1.0.0#no-ai-role-grants");
        notFired(pack.evaluate(principal, agent("agent-7"), Action.ACCESS_REVOKE, Map.of(), Map.of("role", "Reader")),
                "azure-role-assignments@1.0.0#no-ai-role-grants");
    }
}
