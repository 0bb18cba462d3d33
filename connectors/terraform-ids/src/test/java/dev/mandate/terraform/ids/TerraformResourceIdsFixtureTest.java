package dev.mandate.terraform.ids;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.mandate.api.model.ElementIds;

import org.junit.jupiter.api.Test;

/** Every aws_/azurerm_ resource of every shared state and plan fixture maps, or is reported unmapped by name. */
class TerraformResourceIdsFixtureTest {

    private final TerraformResourceIds ids = new TerraformResourceIds();

    /** Creates whose parent reference is only known after apply (file: address). */
    private static final Set<String> PENDING = Set.of(
            "checkov_aws_large_55_resources.json: aws_iam_role_policy.ec2policy",
            "checkov_aws_large_55_resources.json: aws_route.public_internet_gateway",
            "checkov_aws_large_55_resources.json: aws_route_table_association.rtbassoc",
            "checkov_aws_large_55_resources.json: aws_route_table_association.rtbassoc2",
            "checkov_aws_large_55_resources.json: aws_s3_bucket_object.data_object",
            "checkov_aws_large_55_resources.json: aws_security_group_rule.egress",
            "checkov_aws_large_55_resources.json: aws_security_group_rule.ingress",
            "checkov_aws_large_55_resources.json: aws_volume_attachment.ebs_att",
            "tfcompliance_aws_mixed_actions_drift.json: "
                    + "aws_lambda_permission.allow_alert_event_bridge_to_call_monitor_metric_lambdas_frequent[0]",
            "tfcompliance_aws_mixed_actions_drift.json: aws_security_group_rule.task_sg_egress_rule",
            "tfcompliance_azurerm_18_resources.json: "
                    + "module.linuxservers-fail.azurerm_network_interface_security_group_association.test[0]",
            "tfcompliance_azurerm_18_resources.json: "
                    + "module.windowsservers-pass.azurerm_network_interface_security_group_association.test[0]");

    @Test
    void everyStateResourceMapsToAValidId() {
        List<Path> files = FixtureSupport.files("terraform-state", ".tfstate");
        assertThat(files).hasSize(11);
        int mapped = 0;
        for (Path file : files) {
            for (FixtureSupport.Resource resource : FixtureSupport.stateResources(file)) {
                IdMapping mapping = ids.map(resource.type(), resource.address(), resource.attributes(), IdContext.EMPTY);
                assertThat(mapping.isMapped()).as("%s %s: %s", resource.file(), resource.address(), mapping.reason())
                        .isTrue();
                assertValid(resource, mapping);
                mapped++;
            }
        }
        assertThat(mapped).isEqualTo(66);
    }

    @Test
    void everyPlanResourceMapsOrIsReportedByName() {
        List<Path> files = FixtureSupport.files("terraform-plan", ".json");
        assertThat(files).hasSize(10);
        Set<String> pending = new TreeSet<>();
        Set<String> unmappedTypes = new TreeSet<>();
        for (Path file : files) {
            for (FixtureSupport.Resource resource : FixtureSupport.planResources(file)) {
                IdMapping mapping = ids.map(resource.type(), resource.address(), resource.attributes(), IdContext.EMPTY);
                String provider = TerraformResourceIds.providerOf(resource.type());
                if (mapping.isMapped()) {
                    assertValid(resource, mapping);
                } else if (mapping.pending() != null) {
                    pending.add(resource.file() + ": " + resource.address());
                    assertThat(mapping.pending().kind()).isEqualTo(ids.kindOf(resource.type()));
                    assertThat(mapping.reason()).contains("'" + resource.type() + "'")
                            .contains("'" + mapping.pending().attribute() + "'");
                } else {
                    assertThat(provider).as(resource.address()).isNotIn("aws", "azurerm");
                    assertThat(mapping.reason()).isEqualTo(
                            "resource type '" + resource.type() + "' is not mapped to an element kind");
                    unmappedTypes.add(resource.type());
                }
            }
        }
        assertThat(pending).containsExactlyInAnyOrderElementsOf(PENDING);
        assertThat(unmappedTypes).containsExactly("null_resource", "random_id");
    }

    @Test
    void stateIdsMeetTheDemoEstateConventions() {
        Map<String, MappedResource> byAddress = stateMappings();
        assertThat(byAddress.get("driftctl_aws_instance.tfstate aws_instance.test").elementId())
                .isEqualTo("aws:ec2:instance:eu-west-3:047081014315:i-0d3650a23f4e45dc0");
        assertThat(byAddress.get("driftctl_aws_lb_stack_tf1.0.tfstate aws_lb.test").elementId())
                .isEqualTo("aws:elasticloadbalancing:loadbalancer:us-east-1:533948124879:app/test-lb-tf/168f3e312968e275");
        MappedResource listener = byAddress.get("driftctl_aws_lb_stack_tf1.0.tfstate aws_lb_listener.front_end");
        assertThat(listener.elementId())
                .isEqualTo("aws:elasticloadbalancing:loadbalancer:us-east-1:533948124879:app/test-lb-tf/168f3e312968e275");
        assertThat(listener.facet()).isEqualTo("listener");
        assertThat(byAddress.get("driftctl_aws_lb_stack_tf1.0.tfstate aws_lb_target_group.test").elementId())
                .isEqualTo("aws:elasticloadbalancing:targetgroup:us-east-1:533948124879:tf-example-lb-tg/9e43d546683d8b35");
        MappedResource user = byAddress.get("driftctl_aws_module_iam_user.tfstate module.iam_iam-user.aws_iam_user.this[0]");
        assertThat(user).isEqualTo(new MappedResource("aws:iam:user:global:929327065333:MODULE-USER", "aws:iam:user",
                null, false));
        assertThat(byAddress.get("driftctl_aws_vpc.tfstate aws_default_vpc.default").elementId())
                .isEqualTo("aws:ec2:vpc:us-east-1:929327065333:vpc-41d1d13b");
        assertThat(byAddress.get("driftctl_azurerm_lb.tfstate azurerm_lb.example").elementId()).isEqualTo(
                "azure:network:load-balancer:7bfb2c5c-7308-46ed-8ae4-fffa356eb406:loadbalancerrg:TestLoadBalancer");
        assertThat(byAddress.get("driftctl_azurerm_nsg.tfstate azurerm_resource_group.example").elementId())
                .isEqualTo("azure:resources:resource-group:7bfb2c5c-7308-46ed-8ae4-fffa356eb406:example-resources");
        assertThat(byAddress.get("driftctl_azurerm_nsg.tfstate azurerm_network_security_group.example"))
                .isEqualTo(new MappedResource("azure:network:network-security-group:7bfb2c5c-7308-46ed-8ae4-fffa356eb406:"
                        + "example-resources:acceptanceTestSecurityGroup1", "azure:network:network-security-group",
                        null, false));
    }

    @Test
    void subResourcesMapToTheirParentWithAFacet() {
        Map<String, MappedResource> byAddress = stateMappings();
        MappedResource policy = byAddress.get("driftctl_aws_s3_full.tfstate aws_s3_bucket_policy.bucket2_policy");
        assertThat(policy.kind()).isEqualTo("aws:s3:bucket");
        assertThat(policy.facet()).isEqualTo("policy");
        assertThat(policy.elementId()).endsWith(":bucket-martin-test-drift2");
        MappedResource analytics = byAddress.get(
                "driftctl_aws_s3_full.tfstate aws_s3_bucket_analytics_configuration.analytics-cls-test2bucket3");
        assertThat(analytics.elementId()).endsWith(":bucket-martin-test-drift3");
        assertThat(analytics.facet()).isEqualTo("analytics-configuration");
        MappedResource inline = byAddress.get("driftctl_aws_iam_role_policy.tfstate aws_iam_role_policy.test_policy_role1[2]");
        assertThat(inline.elementId()).isEqualTo("aws:iam:role:global:unknown:test_role_1");
        assertThat(inline.facet()).isEqualTo("inline-policy");
        assertThat(inline.provisional()).as("the account is not in the attributes").isTrue();
        MappedResource rule = byAddress.get("driftctl_aws_security_group_rules.tfstate aws_security_group_rule.bar-egress");
        assertThat(rule.elementId()).isEqualTo("aws:ec2:security-group:unknown:unknown:sg-0cc8b3c3c2851705a");
        assertThat(rule.facet()).isEqualTo("rule");
        MappedResource key = byAddress.get(
                "driftctl_aws_module_iam_user.tfstate module.iam_iam-user.aws_iam_access_key.this_no_pgp[0]");
        assertThat(key.kind()).isEqualTo("aws:iam:user");
        assertThat(key.facet()).isEqualTo("access-key");
    }

    @Test
    void theContextFillsWhatTheAttributesDoNotSay() {
        IdContext context = new IdContext("111122223333", "EU-West-1", "8A1E4C2D-7F3B-4D6A-B5E9-0C9F2A7D4E11");
        Map<String, MappedResource> plan = planMappings("tfcompliance_aws_update_noop_create.json", context);
        assertThat(plan.get("aws_s3_bucket.newly_created")).isEqualTo(new MappedResource(
                "aws:s3:bucket:eu-west-1:111122223333:my-tf-test-bucket", "aws:s3:bucket", null, true));
        // the ARN in the prior state wins over the context
        assertThat(plan.get("aws_instance.changed").elementId())
                .isEqualTo("aws:ec2:instance:us-west-1:704778554736:i-0d6a689453a806e50");
        assertThat(plan.get("aws_instance.changed").provisional()).isFalse();

        Map<String, MappedResource> azure = planMappings("tfcompliance_azurerm_18_resources.json", context);
        assertThat(azure.get("azurerm_subnet.internal")).isEqualTo(new MappedResource(
                "azure:network:subnet:8a1e4c2d-7f3b-4d6a-b5e9-0c9f2a7d4e11:tfctagcheck-rg:tfctagcheck-network/internal",
                "azure:network:subnet", null, true));
        assertThat(azure.get("module.linuxservers-fail.azurerm_network_security_rule.vm")).isEqualTo(new MappedResource(
                "azure:network:network-security-group:8a1e4c2d-7f3b-4d6a-b5e9-0c9f2a7d4e11:tfctagcheck-rg:myvm-nsg",
                "azure:network:network-security-group", "security-rule", true));
    }

    @Test
    void aCreateWithoutANativeIdGetsAPlannedProvisionalId() {
        Map<String, MappedResource> plan = planMappings("checkov_aws_for_each_tf1.9.json",
                new IdContext("111122223333", "eu-west-1", null));
        assertThat(plan.get("module.sg[\"bad_example\"].aws_security_group.bad")).isEqualTo(new MappedResource(
                "aws:ec2:security-group:eu-west-1:111122223333:~module.sg[\"bad_example\"].aws_security_group.bad",
                "aws:ec2:security-group", null, true));
        assertThat(plan.get("aws_route53_zone.example[\"example.com\"]").elementId())
                .isEqualTo("aws:route53:hosted-zone:global:111122223333:~aws_route53_zone.example[\"example.com\"]");
    }

    private void assertValid(FixtureSupport.Resource resource, IdMapping mapping) {
        MappedResource mapped = mapping.resource();
        assertThat(ElementIds.isValid(mapped.elementId())).as("%s: '%s'", resource.address(), mapped.elementId()).isTrue();
        assertThat(ElementIds.kindOf(mapped.elementId())).isEqualTo(mapped.kind());
        assertThat(mapped.kind()).isEqualTo(ids.kindOf(resource.type()));
    }

    private Map<String, MappedResource> stateMappings() {
        Map<String, MappedResource> out = new LinkedHashMap<>();
        for (Path file : FixtureSupport.files("terraform-state", ".tfstate")) {
            for (FixtureSupport.Resource resource : FixtureSupport.stateResources(file)) {
                out.put(resource.file() + " " + resource.address(),
                        ids.map(resource.type(), resource.address(), resource.attributes(), IdContext.EMPTY).resource());
            }
        }
        return out;
    }

    private Map<String, MappedResource> planMappings(String name, IdContext context) {
        Map<String, MappedResource> out = new LinkedHashMap<>();
        List<FixtureSupport.Resource> resources = new ArrayList<>(
                FixtureSupport.planResources(FixtureSupport.FIXTURES.resolve("terraform-plan").resolve(name)));
        for (FixtureSupport.Resource resource : resources) {
            out.put(resource.address(), ids.map(resource.type(), resource.address(), resource.attributes(), context).resource());
        }
        return out;
    }
}
