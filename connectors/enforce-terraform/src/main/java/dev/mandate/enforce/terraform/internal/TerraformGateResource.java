package dev.mandate.enforce.terraform.internal;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.mandate.api.decision.Actor;
import dev.mandate.api.decision.ActorKind;
import dev.mandate.api.decision.AgentInfo;
import dev.mandate.api.enforcement.EnforcementPoint;
import dev.mandate.api.enforcement.EnforcementResult;
import dev.mandate.api.enforcement.InvalidChangeException;
import dev.mandate.api.enforcement.RestExtensions;
import dev.mandate.enforce.terraform.TerraformGateReport;
import dev.mandate.enforce.terraform.TerraformPlan;
import dev.mandate.terraform.ids.IdContext;

import javax.ws.rs.Consumes;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtensionSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code POST /mandate/v1/enforce/terraform}: the JSON of {@code terraform show -json <planfile>} in, the
 * gate report out (200 whatever the outcome: the pipeline applies only on {@code "outcome": "ALLOW"}). Who
 * asks comes from the query ({@code actor}, {@code kind}, {@code team}, {@code group}, {@code assurance},
 * {@code agentModel}, {@code promptSha256}) or the {@code X-Mandate-*} headers, default the SYSTEM actor
 * {@code terraform}; {@code awsAccount}, {@code awsRegion}, {@code azureSubscription} fill what the plan does
 * not say. A malformed plan is a 400 problem whose {@code errors[0].pointer} says where.
 */
@Component(service = TerraformGateResource.class)
@JaxrsResource
@JaxrsExtensionSelect({RestExtensions.JSON_PROVIDER, RestExtensions.PROBLEM_MAPPER})
@Path("mandate/v1/enforce/terraform")
public class TerraformGateResource {

    static final String PROBLEM_JSON = RestExtensions.PROBLEM_JSON;

    private final EnforcementPoint enforcementPoint;
    private final TerraformPlanAdapter adapter;

    @Activate
    public TerraformGateResource(@Reference EnforcementPoint enforcementPoint, @Reference TerraformPlanAdapter adapter) {
        this.enforcementPoint = enforcementPoint;
        this.adapter = adapter;
    }

    @POST
    @Consumes({MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM, MediaType.TEXT_PLAIN})
    @Produces({MediaType.APPLICATION_JSON, PROBLEM_JSON})
    @SuppressWarnings("checkstyle:ParameterNumber")
    public Response enforce(InputStream body,
            @QueryParam("actor") String actorQuery, @HeaderParam("X-Mandate-Actor") String actorHeader,
            @QueryParam("kind") String kindQuery, @HeaderParam("X-Mandate-Actor-Kind") String kindHeader,
            @QueryParam("team") String teamQuery, @HeaderParam("X-Mandate-Team") String teamHeader,
            @QueryParam("group") List<String> groups, @QueryParam("assurance") String assurance,
            @QueryParam("agentModel") String agentModel, @QueryParam("promptSha256") String promptSha256,
            @QueryParam("justification") String justification,
            @QueryParam("awsAccount") String awsAccount, @QueryParam("awsRegion") String awsRegion,
            @QueryParam("azureSubscription") String azureSubscription) {
        Actor actor = actor(first(actorQuery, actorHeader), first(kindQuery, kindHeader), first(teamQuery, teamHeader),
                groups, assurance, agentModel, promptSha256);
        try {
            TerraformPlan plan = TerraformPlan.parse(body).withActor(actor)
                    .withContext(new IdContext(awsAccount, awsRegion, azureSubscription))
                    .withJustification(justification == null || justification.isBlank() ? null : justification);
            EnforcementResult<TerraformGateReport> result = enforcementPoint.enforce(adapter, plan);
            TerraformGateReport report = result.response().withEnforcement(result.outcome(), result.evidence());
            return Response.ok(report, MediaType.APPLICATION_JSON_TYPE).build();
        } catch (InvalidChangeException e) {
            return problem(e);
        }
    }

    static Response problem(InvalidChangeException e) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("pointer", e.path());
        error.put("message", e.getMessage());
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "https://mandate.dev/problems/invalid-terraform-plan");
        problem.put("title", "Bad Request");
        problem.put("status", 400);
        problem.put("detail", "the terraform plan is malformed at " + e.path() + ": " + e.getMessage());
        problem.put("errors", List.of(error));
        return Response.status(Response.Status.BAD_REQUEST).type(PROBLEM_JSON).entity(problem).build();
    }

    /** The actor the query or headers name, or {@code null} for the adapter's default. */
    static Actor actor(String id, String kind, String team, List<String> groups, String assurance, String agentModel,
            String promptSha256) {
        boolean named = id != null && !id.isBlank();
        if (!named) {
            if (kind != null || team != null || (groups != null && !groups.isEmpty())) {
                throw new IllegalArgumentException("actor is missing: name the actor with ?actor=<id> when giving its "
                        + "kind, team or groups");
            }
            return null;
        }
        ActorKind actorKind = ActorKind.SYSTEM;
        if (kind != null && !kind.isBlank()) {
            try {
                actorKind = ActorKind.valueOf(kind.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown actor kind '" + kind + "' (known: HUMAN, SYSTEM, AI)");
            }
        }
        List<String> groupList = new ArrayList<>();
        if (groups != null) {
            for (String group : groups) {
                for (String part : group.split(",")) {
                    if (!part.isBlank()) {
                        groupList.add(part.trim());
                    }
                }
            }
        }
        AgentInfo agent = agentModel != null || promptSha256 != null ? new AgentInfo(agentModel, promptSha256) : null;
        return new Actor(id.trim(), actorKind, team == null || team.isBlank() ? null : team.trim(), groupList, agent,
                assurance == null || assurance.isBlank() ? null : assurance.trim());
    }

    private static String first(String query, String header) {
        return query != null && !query.isBlank() ? query : header;
    }
}
