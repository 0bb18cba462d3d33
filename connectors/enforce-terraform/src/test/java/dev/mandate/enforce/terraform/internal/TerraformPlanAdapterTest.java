package dev.mandate.enforce.terraform.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.mandate.api.decision.Action;
import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Actor;
import dev.mandate.api.decision.ActorKind;
import dev.mandate.api.enforcement.InvalidChangeException;
import dev.mandate.enforce.terraform.TerraformPlan;
import dev.mandate.terraform.ids.IdContext;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TerraformPlanAdapterTest {

    private final TerraformPlanAdapter adapter = PlanFixtures.adapter();

    @Test
    void coversEveryFixturePlan() {
        assertThat(PlanFixtures.files()).hasSize(10);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "checkov_aws_create_before_destroy.json; 1; replace",
        "checkov_aws_for_each_tf1.9.json; 5; create",
        "checkov_aws_large_55_resources.json; 41; create",
        "checkov_aws_sg_rule_update.json; 2; update",
        "checkov_azurerm_nsg_create.json; 3; create",
        "infracost_aws_update_drift_tf1.0.json; 1; update",
        "tfcompliance_aws_mixed_actions_drift.json; 5; delete update create",
        "tfcompliance_aws_update_noop_create.json; 2; update create",
        "tfcompliance_azurerm_18_resources.json; 12; create",
        "tfjson_replace_tainted_tf1.15.json; 0; ''"})
    void eachFixturePlanBecomesTheExpectedRequests(String file, int count, String actions) throws Exception {
        List<ActionRequest> requests = adapter.toRequests(PlanFixtures.plan(file));
        assertThat(requests).hasSize(count);
        List<String> distinct = requests.stream().map(r -> r.action().wireName()).distinct().toList();
        assertThat(String.join(" ", distinct)).isEqualTo(actions);
        for (ActionRequest request : requests) {
            assertThat(request.actor()).isEqualTo(PlanFixtures.TERRAFORM);
            assertThat(request.context()).containsKeys("address", "type", "provider", "provisional", "terraformActions");
        }
    }

    @Test
    void deleteThenCreateIsAReplacementAndUnmappedTypesAreDecidedUnderATerraformKind() throws Exception {
        TerraformPlanAdapter governingAll = PlanFixtures.adapter(IdContext.EMPTY, Set.of());
        List<ActionRequest> requests = governingAll.toRequests(PlanFixtures.plan("tfjson_replace_tainted_tf1.15.json"));
        assertThat(requests).hasSize(1);
        ActionRequest replace = requests.get(0);
        assertThat(replace.action()).isEqualTo(Action.REPLACE);
        assertThat(replace.target()).isEqualTo("terraform:null:null_resource:null_resource.example");
        assertThat(replace.context()).contains(entry("terraformActions", List.of("delete", "create")),
                entry("actionReason", "replace_because_tainted"),
                entry("unmapped", "resource type 'null_resource' is not mapped to an element kind"));
    }

    @Test
    void createBeforeDestroyIsAReplacementInTheRegionOfTheProviderConfiguration() throws Exception {
        ActionRequest replace = adapter.toRequests(PlanFixtures.plan("checkov_aws_create_before_destroy.json")).get(0);
        assertThat(replace.action()).isEqualTo(Action.REPLACE);
        assertThat(replace.context()).containsEntry("terraformActions", List.of("create", "delete"));
        assertThat(replace.target()).isEqualTo("aws:secretsmanager:secret:us-west-2:unknown:test");
    }

    @Test
    void noOpChangesAreSkippedAndSubResourcesAreUpdatesOfTheirParent() throws Exception {
        List<ActionRequest> requests = adapter.toRequests(PlanFixtures.plan("tfcompliance_aws_mixed_actions_drift.json"));
        assertThat(requests).extracting(r -> r.context().get("address")).containsExactly(
                "aws_cloudwatch_event_rule.Metricos_custom_alert_schedule_frequent[0]",
                "aws_cloudwatch_event_target.metric_event_target",
                "aws_lambda_function.lambda",
                "aws_security_group.lambda_sg",
                "aws_ssm_parameter.lambda_sg_id");
        ActionRequest target = requests.get(1);
        assertThat(target.action()).isEqualTo(Action.UPDATE);
        // the account comes from the plan's data.aws_caller_identity; no region is configured anywhere
        assertThat(target.target())
                .isEqualTo("aws:events:rule:unknown:553479592532:metrics-lambda-pri20210708075056362700000001");
        assertThat(target.context()).contains(entry("facet", "target"), entry("type", "aws_cloudwatch_event_target"),
                entry("provisional", true), entry("terraformActions", List.of("update")));
        assertThat(requests.get(0).action()).isEqualTo(Action.DELETE);
        assertThat(requests.get(0).after()).isEmpty();
        assertThat(requests.get(0).before()).containsEntry("name", "metrics-lambda-pri20210709064633847000000001");
    }

    @Test
    void priorStateIdsAndModulesReachTheRequest() throws Exception {
        ActionRequest update = adapter.toRequests(PlanFixtures.plan("infracost_aws_update_drift_tf1.0.json")).get(0);
        assertThat(update.target()).isEqualTo("aws:ec2:instance:us-east-1:111111111111:i-01ba2abb329c4eec0");
        assertThat(update.context()).containsEntry("provisional", false).doesNotContainKey("module");
        assertThat(update.before()).containsKey("instance_type");
        assertThat(update.after()).containsKey("instance_type");

        List<ActionRequest> forEach = adapter.toRequests(PlanFixtures.plan("checkov_aws_for_each_tf1.9.json"));
        assertThat(forEach.get(3).context()).contains(entry("module", "module.sg[\"bad_example\"]"),
                entry("address", "module.sg[\"bad_example\"].aws_security_group.bad"));
    }

    @Test
    void theCallersContextWinsOverTheProviderConfigurationAndTheDefaults() throws Exception {
        TerraformPlanAdapter withDefaults = PlanFixtures.adapter(new IdContext("111122223333", "ap-south-1", null),
                PlanFixtures.UNGOVERNED);
        TerraformPlan plan = PlanFixtures.plan("tfcompliance_aws_update_noop_create.json");
        assertThat(withDefaults.toRequests(plan).get(1).target())
                .isEqualTo("aws:s3:bucket:us-west-1:111122223333:my-tf-test-bucket");
        assertThat(withDefaults.toRequests(plan.withContext(new IdContext("444455556666", "eu-west-1", null))).get(1)
                .target()).isEqualTo("aws:s3:bucket:eu-west-1:444455556666:my-tf-test-bucket");
    }

    @Test
    void theCallerIdentityInThePriorStateNamesTheAccount() throws Exception {
        List<ActionRequest> requests = adapter.toRequests(PlanFixtures.plan("checkov_aws_large_55_resources.json"));
        assertThat(requests).extracting(ActionRequest::target)
                .contains("aws:s3:bucket:us-west-2:123456789123:123456789123-acme-corp-data",
                        "aws:iam:role:global:123456789123:123456789123-acme-corp-role");
    }

    @Test
    void aSubResourceFindsItsParentsCertainIdInThePriorState() throws Exception {
        String json = """
                {"format_version":"1.2",
                 "prior_state":{"values":{"root_module":{"resources":[
                   {"address":"aws_security_group.web","mode":"managed","type":"aws_security_group","name":"web",
                    "values":{"id":"sg-0abc","arn":"arn:aws:ec2:eu-west-1:111122223333:security-group/sg-0abc"}}]}}},
                 "resource_changes":[
                   {"address":"aws_security_group_rule.https","mode":"managed","type":"aws_security_group_rule",
                    "change":{"actions":["update"],"before":{"id":"sgrule-1","security_group_id":"sg-0abc","to_port":80},
                              "after":{"id":"sgrule-1","security_group_id":"sg-0abc","to_port":443}}}]}
                """;
        ActionRequest request = adapter.toRequests(TerraformPlan.parse(json)).get(0);
        assertThat(request.action()).isEqualTo(Action.UPDATE);
        assertThat(request.target()).isEqualTo("aws:ec2:security-group:eu-west-1:111122223333:sg-0abc");
        assertThat(request.context()).contains(entry("facet", "rule"), entry("provisional", false));
        assertThat(request.after()).containsEntry("to_port", 443);
    }

    @Test
    void aCreateTakesOwnerEnvironmentAndLabelsFromItsTags() throws Exception {
        ActionRequest bucket = adapter.toRequests(PlanFixtures.plan("tfcompliance_aws_update_noop_create.json")).get(1);
        assertThat(bucket.action()).isEqualTo(Action.CREATE);
        assertThat(bucket.after()).containsEntry("environment", "dev")
                .containsEntry("labels", Map.of("Environment", "Dev", "Name", "My bucket"))
                .doesNotContainKey("owner");
        String json = """
                {"format_version":"1.2","resource_changes":[{"address":"aws_lambda_function.f","mode":"managed",
                 "type":"aws_lambda_function","change":{"actions":["create"],"before":null,
                 "after":{"function_name":"seed","environment":[{"variables":{"A":"1"}}],
                          "tags":{"mandate:owner":"team-payments","Owner":"someone-else","env":"Prod","trust-zone":"eu-internal"}},
                 "after_unknown":{"arn":true}}}]}
                """;
        ActionRequest function = adapter.toRequests(TerraformPlan.parse(json)).get(0);
        assertThat(function.after()).containsEntry("owner", "team-payments").containsEntry("trustZone", "eu-internal")
                .containsEntry("labels", Map.of("Owner", "someone-else", "env", "Prod", "trust-zone", "eu-internal"));
        // the provider's own attribute is never overwritten; the hint stays in the context
        assertThat(function.after().get("environment")).isEqualTo(List.of(Map.of("variables", Map.of("A", "1"))));
        assertThat(function.context().get("proposed")).isEqualTo(Map.of("owner", "team-payments", "environment", "prod",
                "trustZone", "eu-internal", "labels", Map.of("Owner", "someone-else", "env", "Prod",
                        "trust-zone", "eu-internal")));
    }

    @Test
    void theModuleIsTakenFromTheAddressWhenThePlanDoesNotGiveIt() {
        assertThat(PlanReader.moduleOf("module.net[\"eu\"].module.sg.aws_security_group.web[0]", "aws_security_group"))
                .isEqualTo("module.net[\"eu\"].module.sg");
        assertThat(PlanReader.moduleOf("module.net.data.aws_vpc.main", "aws_vpc")).isEqualTo("module.net");
        assertThat(PlanReader.moduleOf("aws_vpc.main", "aws_vpc")).isNull();
    }

    @Test
    void theCallerNamesTheActorAndJustification() throws Exception {
        Actor pipeline = new Actor("github-actions:orders", ActorKind.SYSTEM, "team-payments", List.of(), null,
                "workload-identity");
        List<ActionRequest> requests = adapter.toRequests(PlanFixtures.plan("checkov_aws_sg_rule_update.json")
                .withActor(pipeline).withJustification("CHG-1234"));
        assertThat(requests).allSatisfy(r -> {
            assertThat(r.actor()).isEqualTo(pipeline);
            assertThat(r.justification()).isEqualTo("CHG-1234");
        });
    }

    @Test
    void sensitiveValuesNeverReachTheRequest() throws Exception {
        String json = """
                {"format_version":"1.2","resource_changes":[{"address":"aws_db_instance.main","mode":"managed",
                 "type":"aws_db_instance","name":"main","provider_name":"registry.terraform.io/hashicorp/aws",
                 "change":{"actions":["update"],
                  "before":{"identifier":"orders-prod","password":"old","arn":"arn:aws:rds:eu-west-1:111122223333:db:orders-prod",
                            "tags":{"team":"payments","token":"t1"}},
                  "after":{"identifier":"orders-prod","password":"new","tags":{"team":"payments","token":"t2"}},
                  "after_unknown":{},"before_sensitive":{"password":true,"tags":{"token":true}},
                  "after_sensitive":{"password":true,"tags":{"token":true}}}}]}
                """;
        ActionRequest request = adapter.toRequests(TerraformPlan.parse(json)).get(0);
        assertThat(request.target()).isEqualTo("aws:rds:db-instance:eu-west-1:111122223333:orders-prod");
        assertThat(request.before()).containsEntry("password", PlanReader.SENSITIVE)
                .containsEntry("tags", Map.of("team", "payments", "token", PlanReader.SENSITIVE));
        assertThat(request.after()).containsEntry("password", PlanReader.SENSITIVE);
        assertThat(request.toString()).doesNotContain("old", "new", "t1", "t2");
    }

    @Test
    void aPlanWithoutResourceChangesProposesNothing() throws Exception {
        assertThat(adapter.toRequests(TerraformPlan.parse("{\"format_version\":\"1.2\"}"))).isEmpty();
        assertThat(adapter.toRequests(TerraformPlan.parse("{\"format_version\":\"0.2\",\"resource_changes\":[]}")))
                .isEmpty();
        assertThat(Collections.<ActionRequest>emptyList()).isEmpty();
    }
}
