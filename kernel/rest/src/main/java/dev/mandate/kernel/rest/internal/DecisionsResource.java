package dev.mandate.kernel.rest.internal;

import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Decision;
import dev.mandate.api.decision.DecisionPoint;

import javax.ws.rs.Consumes;
import javax.ws.rs.DefaultValue;
import javax.ws.rs.QueryParam;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/** {@code POST /mandate/v1/decisions}: an action request in, a recorded decision out. */
@Component(service = DecisionsResource.class)
@JaxrsResource
@Path("mandate/v1/decisions")
public class DecisionsResource {

    private final DecisionPoint decisionPoint;

    @Activate
    public DecisionsResource(@Reference DecisionPoint decisionPoint) {
        this.decisionPoint = decisionPoint;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Decision decide(ActionRequest request, @QueryParam("dryRun") @DefaultValue("false") boolean dryRun) {
        if (request == null) {
            throw new IllegalArgumentException("the request body is empty: send an action request");
        }
        return decisionPoint.decide(request, dryRun);
    }
}
