package dev.mandate.terraform.ids;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ArnAndArmIdTest {

    @Test
    void parsesArnsWithTheirResourcePart() {
        Arn lb = Arn.parse("arn:aws:elasticloadbalancing:us-east-1:533948124879:loadbalancer/app/web/50dc6c495c0c9188")
                .orElseThrow();
        assertThat(lb.service()).isEqualTo("elasticloadbalancing");
        assertThat(lb.region()).isEqualTo("us-east-1");
        assertThat(lb.account()).isEqualTo("533948124879");
        assertThat(lb.resourceType()).isEqualTo("loadbalancer");
        assertThat(lb.resourceId()).isEqualTo("app/web/50dc6c495c0c9188");

        Arn role = Arn.parse("arn:aws-cn:iam::123456789012:role/service-role/deployer").orElseThrow();
        assertThat(role.partition()).isEqualTo("aws-cn");
        assertThat(role.region()).isEmpty();
        assertThat(role.lastName()).isEqualTo("deployer");

        Arn function = Arn.parse("arn:aws:lambda:eu-west-1:123456789012:function:seed:prod").orElseThrow();
        assertThat(function.resourceType()).isEqualTo("function");
        assertThat(function.resourceId()).isEqualTo("seed:prod");

        Arn bucket = Arn.parse("arn:aws:s3:::my-bucket").orElseThrow();
        assertThat(bucket.resourceType()).isEmpty();
        assertThat(bucket.resourceId()).isEqualTo("my-bucket");
    }

    @Test
    void refusesWhatIsNoArn() {
        assertThat(Arn.parse("i-0abc")).isEmpty();
        assertThat(Arn.parse("arn:aws:s3")).isEmpty();
        assertThat(Arn.parse("arn:aws:iam::123456789012:")).isEmpty();
        assertThat(Arn.parse(null)).isEmpty();
        assertThat(Arn.parse(42)).isEmpty();
    }

    @Test
    void parsesArmIdsWithoutRegardToKeywordCase() {
        ArmId subnet = ArmId.parse("/SUBSCRIPTIONS/8A1E4C2D-7F3B-4D6A-B5E9-0C9F2A7D4E11/resourcegroups/RG-Hub-Network"
                + "/providers/Microsoft.Network/virtualNetworks/vnet-hub-weu/subnets/GatewaySubnet").orElseThrow();
        assertThat(subnet.subscription()).isEqualTo("8a1e4c2d-7f3b-4d6a-b5e9-0c9f2a7d4e11");
        assertThat(subnet.types()).containsExactly("virtualNetworks", "subnets");
        assertThat(subnet.kind()).isEqualTo("azure:network:subnet");
        assertThat(subnet.elementId()).isEqualTo(
                "azure:network:subnet:8a1e4c2d-7f3b-4d6a-b5e9-0c9f2a7d4e11:rg-hub-network:vnet-hub-weu/GatewaySubnet");
        assertThat(subnet.parent(1).elementId()).isEqualTo(
                "azure:network:virtual-network:8a1e4c2d-7f3b-4d6a-b5e9-0c9f2a7d4e11:rg-hub-network:vnet-hub-weu");
        assertThatThrownBy(() -> subnet.parent(3)).isInstanceOf(IllegalArgumentException.class);

        assertThat(ArmId.parse("/subscriptions/abc").orElseThrow().elementId())
                .isEqualTo("azure:resources:subscription:abc");
        assertThat(ArmId.parse("/subscriptions/abc/resourceGroups/RG1").orElseThrow().elementId())
                .isEqualTo("azure:resources:resource-group:abc:rg1");
        assertThat(ArmId.parse("/subscriptions/abc/resourceGroups/rg/providers/Microsoft.Sql/servers/sql-1/databases/dwh")
                .orElseThrow().elementId()).isEqualTo("azure:sql:database:abc:rg:sql-1/dwh");
        assertThat(ArmId.parse("/subscriptions/abc/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1")
                .orElseThrow().kind()).isEqualTo("azure:storage:account");
    }

    @Test
    void derivesKindsOfUnlistedArmTypes() {
        assertThat(ArmId.parse("/subscriptions/a/resourceGroups/r/providers/Microsoft.Network/publicIPPrefixes/p")
                .orElseThrow().kind()).isEqualTo("azure:network:public-ip-prefix");
        assertThat(ArmId.parse("/subscriptions/a/resourceGroups/r/providers/Microsoft.Network/azureFirewalls/f")
                .orElseThrow().kind()).isEqualTo("azure:network:azure-firewall");
        assertThat(ArmId.parse("/subscriptions/a/resourceGroups/r/providers/Microsoft.Authorization/policies/x")
                .orElseThrow().kind()).isEqualTo("azure:authorization:policy");
    }

    @Test
    void refusesWhatIsNoArmId() {
        assertThat(ArmId.parse("subscriptions/abc")).isEmpty();
        assertThat(ArmId.parse("/subscriptions/abc/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks")).isEmpty();
        assertThat(ArmId.parse("/subscriptions/abc/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/nic"
                + "/providers/Microsoft.Authorization/roleAssignments/x")).isEmpty();
        assertThat(ArmId.parse("/tenants/x")).isEmpty();
    }

    @Test
    void mapsAtLeastThirtyTypesAndEveryConfiguringSubResourceToItsParent() {
        TerraformResourceIds ids = new TerraformResourceIds();
        assertThat(ids.mappedTypes().size()).isGreaterThanOrEqualTo(30);
        for (String type : List.of("aws_s3_bucket_public_access_block", "aws_s3_bucket_policy", "aws_s3_bucket_versioning",
                "aws_s3_bucket_server_side_encryption_configuration")) {
            IdMapping mapping = ids.map(type, "x." + type, Map.of("bucket", "logs"), new IdContext("111122223333",
                    "eu-west-1", null));
            assertThat(mapping.resource().elementId()).isEqualTo("aws:s3:bucket:eu-west-1:111122223333:logs");
            assertThat(mapping.resource().facet()).isEqualTo(type.substring("aws_s3_bucket_".length()).replace('_', '-'));
        }
        assertThat(ids.map("aws_iam_role_policy_attachment", "a", Map.of("role", "deployer"), IdContext.EMPTY)
                .resource().elementId()).isEqualTo("aws:iam:role:global:unknown:deployer");
        assertThat(ids.map("azurerm_network_security_rule", "r", Map.of("id", "/subscriptions/s/resourceGroups/RG"
                + "/providers/Microsoft.Network/networkSecurityGroups/nsg-a/securityRules/allow-https"), IdContext.EMPTY)
                .resource()).isEqualTo(new MappedResource("azure:network:network-security-group:s:rg:nsg-a",
                        "azure:network:network-security-group", "security-rule", false));
        assertThat(ids.map("aws_ecs_service", "s", Map.of("cluster",
                "arn:aws:ecs:eu-west-1:444455556666:cluster/staging-core", "name", "orders-api"), IdContext.EMPTY)
                .resource().elementId()).isEqualTo("aws:ecs:service:eu-west-1:444455556666:staging-core/orders-api");
        assertThat(ids.map("aws_db_instance", "d", Map.of("identifier", "orders-prod", "arn",
                "arn:aws:rds:eu-west-1:111122223333:db:orders-prod"), IdContext.EMPTY).resource().elementId())
                .isEqualTo("aws:rds:db-instance:eu-west-1:111122223333:orders-prod");
        assertThat(ids.map("aws_organizations_account", "o", Map.of("id", "999900001111"), IdContext.EMPTY)
                .resource().elementId()).isEqualTo("aws:organizations:account:999900001111");
    }

    @Test
    void reportsUnmappedTypesAndUnusableNativeIds() {
        TerraformResourceIds ids = new TerraformResourceIds();
        IdMapping unmapped = ids.map("aws_glue_job", "aws_glue_job.etl", Map.of(), IdContext.EMPTY);
        assertThat(unmapped.isMapped()).isFalse();
        assertThat(unmapped.reason()).isEqualTo("resource type 'aws_glue_job' is not mapped to an element kind");
        IdMapping spaced = ids.map("aws_sqs_queue", "q", Map.of("name", "my queue"), IdContext.EMPTY);
        assertThat(spaced.isMapped()).isFalse();
        assertThat(spaced.reason()).contains("'aws:sqs:queue:unknown:unknown:my queue'");
    }
}
