package dev.mandate.enforce.terraform.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import dev.mandate.api.decision.Actor;
import dev.mandate.api.decision.ActorKind;
import dev.mandate.api.decision.Outcome;
import dev.mandate.api.decision.Reason;
import dev.mandate.enforce.terraform.TerraformGateReport;

import javax.ws.rs.core.Response;

import org.junit.jupiter.api.Test;

class TerraformGateResourceTest {

    /** Denies what targets the security group sg-547cc4cd5f94bb696, allows the rest; records as "sha256:cafe". */
    private final ScriptedEnforcementPoint point = new ScriptedEnforcementPoint("sha256:cafe", (id, request) -> {
        boolean deny = request.target().endsWith("sg-547cc4cd5f94bb696");
        return GateReportTest.decision(id, deny ? Outcome.DENY : Outcome.ALLOW,
                deny ? List.of(new Reason("mandate#unknown-target", "deny", "not in the model")) : List.of(),
                List.of(), deny ? null : "grant");
    });
    private final TerraformGateResource resource = new TerraformGateResource(point, PlanFixtures.adapter());

    private Response post(InputStream body, String actor, String kind, String team, List<String> groups) {
        return resource.enforce(body, actor, null, kind, null, team, null, groups, null, null, null, "CHG-7", null, null,
                null);
    }

    @Test
    void aPlanIsDecidedAndTheReportCarriesTheEnforcement() throws IOException {
        Response response;
        try (InputStream in = Files.newInputStream(PlanFixtures.PLANS.resolve("checkov_aws_sg_rule_update.json"))) {
            response = post(in, "gitlab:infra-pipeline", "system", "team-network", List.of("grp-a,grp-b", "grp-c"));
        }
        assertThat(response.getStatus()).isEqualTo(200);
        TerraformGateReport report = (TerraformGateReport) response.getEntity();
        assertThat(report.outcome()).isEqualTo(Outcome.DENY);
        assertThat(report.evidence()).isEqualTo("sha256:cafe");
        assertThat(report.changes()).extracting(TerraformGateReport.Change::outcome)
                .containsExactly(Outcome.ALLOW, Outcome.DENY);
        assertThat(point.seen).allSatisfy(r -> {
            assertThat(r.actor()).isEqualTo(new Actor("gitlab:infra-pipeline", ActorKind.SYSTEM, "team-network",
                    List.of("grp-a", "grp-b", "grp-c"), null, null));
            assertThat(r.justification()).isEqualTo("CHG-7");
        });
    }

    @Test
    void withoutAnActorTheDefaultSystemActorAsks() {
        Response response = post(body("{\"format_version\":\"1.2\",\"resource_changes\":[{\"address\":\"aws_sqs_queue.q\","
                + "\"type\":\"aws_sqs_queue\",\"change\":{\"actions\":[\"create\"],\"before\":null,"
                + "\"after\":{\"name\":\"orders\"}}}]}"), null, null, null, null);
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(point.seen).singleElement().satisfies(r -> assertThat(r.actor()).isEqualTo(PlanFixtures.TERRAFORM));
    }

    @Test
    void aMalformedPlanIsAProblemWithItsPointer() {
        Response response = post(body("{\"format_version\":\"1.2\",\"resource_changes\":[{\"address\":\"a.b\","
                + "\"type\":\"aws_s3_bucket\",\"change\":{\"actions\":\"create\"}}]}"), null, null, null, null);
        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(response.getMediaType().toString()).isEqualTo("application/problem+json");
        @SuppressWarnings("unchecked")
        Map<String, Object> problem = (Map<String, Object>) response.getEntity();
        assertThat(problem).containsEntry("status", 400).containsEntry("title", "Bad Request")
                .containsEntry("type", "https://mandate.dev/problems/invalid-terraform-plan");
        assertThat(problem.get("detail").toString()).startsWith("the terraform plan is malformed at "
                + "/resource_changes/0/change/actions: ");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> errors = (List<Map<String, Object>>) problem.get("errors");
        assertThat(errors.get(0)).containsEntry("pointer", "/resource_changes/0/change/actions");
        assertThat(point.seen).isEmpty();
    }

    @Test
    void aBadActorIsRefused() {
        assertThatThrownBy(() -> post(body("{}"), "bob", "robot", null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown actor kind 'robot' (known: HUMAN, SYSTEM, AI)");
        assertThatThrownBy(() -> post(body("{}"), null, null, "team-web", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("actor is missing");
    }

    @Test
    void theActorMayComeFromHeadersAndAnAgentDeclaresItself() {
        Actor agent = TerraformGateResource.actor("agent-7", "AI", "team-web", List.of(), null, "claude-x", "ab12");
        assertThat(agent.kind()).isEqualTo(ActorKind.AI);
        assertThat(agent.agent().isComplete()).isTrue();
        resource.enforce(body("{\"format_version\":\"1.0\",\"resource_changes\":[{\"address\":\"aws_sqs_queue.q\","
                + "\"type\":\"aws_sqs_queue\",\"change\":{\"actions\":[\"delete\"],\"before\":{\"name\":\"q\"},"
                + "\"after\":null}}]}"), null, "ci-runner", null, "HUMAN", null, "team-ops", null, null, null, null,
                null, null, null, null);
        assertThat(point.seen).singleElement().satisfies(r -> {
            assertThat(r.actor().id()).isEqualTo("ci-runner");
            assertThat(r.actor().kind()).isEqualTo(ActorKind.HUMAN);
            assertThat(r.actor().team()).isEqualTo("team-ops");
        });
    }

    private static InputStream body(String json) {
        return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }
}
