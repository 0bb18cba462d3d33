package dev.mandate.kernel.rest.internal;

import dev.mandate.api.enforcement.RestExtensions;
import dev.mandate.api.intent.BlueprintInfo;
import dev.mandate.api.intent.IntentService;
import dev.mandate.api.intent.ShadowReport;

import javax.ws.rs.GET;
import javax.ws.rs.NotFoundException;
import javax.ws.rs.POST;
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
 * Staged rollout of blueprints: {@code GET /mandate/v1/blueprints/{name}/shadow-report} lists the
 * recent evaluations that the shadow version would have answered differently;
 * {@code POST /mandate/v1/blueprints/{name}/promote} puts the shadow version in force (recorded as
 * {@code blueprint.promoted} evidence).
 */
@Component(service = BlueprintShadowResource.class)
@JaxrsResource
@JaxrsExtensionSelect({RestExtensions.JSON_PROVIDER, RestExtensions.PROBLEM_MAPPER})
@Path("mandate/v1")
@Produces(MediaType.APPLICATION_JSON)
public class BlueprintShadowResource {

    private final IntentService intent;

    @Activate
    public BlueprintShadowResource(@Reference IntentService intent) {
        this.intent = intent;
    }

    @GET
    @Path("blueprints/{name}/shadow-report")
    public ShadowReport shadowReport(@PathParam("name") String name) {
        return intent.shadowReport(name).orElseThrow(() -> new NotFoundException(Problem.of(Response.Status.NOT_FOUND,
                "no-shadow-version", "blueprint '" + name + "' has no shadow version").toResponse()));
    }

    @POST
    @Path("blueprints/{name}/promote")
    public BlueprintInfo promote(@PathParam("name") String name) {
        try {
            return intent.promote(name);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException(Problem.of(Response.Status.NOT_FOUND, "no-shadow-version", e.getMessage())
                    .toResponse());
        }
    }
}
