package dev.mandate.kernel.rest.internal;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import dev.mandate.api.decision.Decision;
import dev.mandate.api.decision.DecisionPoint;
import dev.mandate.api.decision.Outcome;
import dev.mandate.api.enforcement.EnforcementPoint;
import dev.mandate.api.enforcement.EnforcementResult;
import dev.mandate.api.enforcement.InvalidChangeException;
import dev.mandate.api.enforcement.RestExtensions;

import javax.ws.rs.BadRequestException;
import javax.ws.rs.Consumes;
import javax.ws.rs.DefaultValue;
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
 * {@code POST /mandate/v1/decisions}: an action request in, a recorded decision out; or a plan
 * ({@code changes}) in, decided as one with a decision per change. Pipelines call it without
 * credentials: the actor is named in the body and its assurance is what the caller asserts; put it
 * behind the pipeline's own network controls.
 */
@Component(service = DecisionsResource.class)
@JaxrsResource
@JaxrsExtensionSelect({RestExtensions.JSON_PROVIDER, RestExtensions.PROBLEM_MAPPER})
@Path("mandate/v1/decisions")
public class DecisionsResource {

    private final DecisionPoint decisionPoint;
    private final EnforcementPoint enforcementPoint;
    private final PlanAdapter plans = new PlanAdapter();

    @Activate
    public DecisionsResource(@Reference DecisionPoint decisionPoint, @Reference EnforcementPoint enforcementPoint) {
        this.decisionPoint = decisionPoint;
        this.enforcementPoint = enforcementPoint;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Object decide(DecisionBody body, @QueryParam("dryRun") @DefaultValue("false") boolean dryRun) {
        if (body == null) {
            throw new IllegalArgumentException("the request body is empty: send an action request or a plan (changes)");
        }
        if (!body.isPlan()) {
            return decisionPoint.decide(body.request(), dryRun);
        }
        if (body.action() != null || body.target() != null || body.before() != null || body.after() != null) {
            throw new IllegalArgumentException(
                    "a plan names each change's action, target, before and after in 'changes', not at the top");
        }
        if (body.actor() == null) {
            throw new IllegalArgumentException("actor is missing: a plan is decided for one actor");
        }
        EnforcementResult<List<Decision>> result;
        try {
            result = enforcementPoint.enforce(plans, body, dryRun);
        } catch (InvalidChangeException e) {
            throw new BadRequestException(Problem.of(Response.Status.BAD_REQUEST, "invalid-plan", e.getMessage())
                    .withErrors(List.of(new Problem.ProblemError(e.path(), null, null, e.getMessage()))).toResponse());
        }
        Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        for (Decision decision : result.decisions()) {
            counts.merge(decision.outcome(), 1, Integer::sum);
        }
        return new PlanDecision(result.outcome(), counts, result.evidence(), dryRun, result.decisions());
    }
}
