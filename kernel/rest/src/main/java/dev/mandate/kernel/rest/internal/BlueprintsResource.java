package dev.mandate.kernel.rest.internal;

import java.util.List;

import dev.mandate.api.intent.BlueprintInfo;
import dev.mandate.api.intent.IntentService;
import dev.mandate.api.intent.Team;

import javax.ws.rs.GET;
import javax.ws.rs.NotFoundException;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/** The intent in force: {@code GET /mandate/v1/blueprints}, one blueprint, and the teams. */
@Component(service = BlueprintsResource.class)
@JaxrsResource
@Path("mandate/v1")
@Produces(MediaType.APPLICATION_JSON)
public class BlueprintsResource {

    private final IntentService intent;

    @Activate
    public BlueprintsResource(@Reference IntentService intent) {
        this.intent = intent;
    }

    @GET
    @Path("blueprints")
    public List<BlueprintInfo> blueprints() {
        return intent.blueprints();
    }

    @GET
    @Path("blueprints/{name}")
    public BlueprintInfo blueprint(@PathParam("name") String name) {
        return intent.blueprint(name).orElseThrow(() -> new NotFoundException(Problem.of(Response.Status.NOT_FOUND,
                "unknown-blueprint", "no blueprint '" + name + "' is in force").toResponse()));
    }

    @GET
    @Path("teams")
    public List<Team> teams() {
        return intent.teams();
    }
}
