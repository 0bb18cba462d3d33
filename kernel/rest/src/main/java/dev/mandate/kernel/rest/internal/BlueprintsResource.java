package dev.mandate.kernel.rest.internal;

import java.util.List;

import dev.mandate.api.enforcement.RestExtensions;
import dev.mandate.api.intent.BlueprintInfo;
import dev.mandate.api.intent.IntentService;
import dev.mandate.api.intent.Team;
import dev.mandate.kernel.intent.BlueprintCatalog;
import dev.mandate.kernel.intent.BlueprintDetail;
import dev.mandate.kernel.intent.Rejection;

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
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtensionSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * The intent in force: {@code GET /mandate/v1/blueprints}, one blueprint (and in full:
 * {@code /blueprints/{name}/detail}), the teams, and the sources whose last load was rejected with
 * file, line, column and reason ({@code GET /mandate/v1/intent/rejections}).
 */
@Component(service = BlueprintsResource.class)
@JaxrsResource
@JaxrsExtensionSelect({RestExtensions.JSON_PROVIDER, RestExtensions.PROBLEM_MAPPER})
@Path("mandate/v1")
@Produces(MediaType.APPLICATION_JSON)
public class BlueprintsResource {

    private final IntentService intent;
    private final BlueprintCatalog catalog;

    @Activate
    public BlueprintsResource(@Reference IntentService intent, @Reference BlueprintCatalog catalog) {
        this.intent = intent;
        this.catalog = catalog;
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
    @Path("blueprints/{name}/detail")
    public BlueprintDetail detail(@PathParam("name") String name) {
        return catalog.detail(name).orElseThrow(() -> new NotFoundException(Problem.of(Response.Status.NOT_FOUND,
                "unknown-blueprint", "no blueprint '" + name + "' is in force").toResponse()));
    }

    @GET
    @Path("intent/rejections")
    public List<Rejection> rejections() {
        return catalog.rejections();
    }

    @GET
    @Path("teams")
    public List<Team> teams() {
        return intent.teams();
    }
}
