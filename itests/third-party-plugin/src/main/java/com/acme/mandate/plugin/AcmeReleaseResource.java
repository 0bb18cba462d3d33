package com.acme.mandate.plugin;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.mandate.api.enforcement.EnforcementPoint;
import dev.mandate.api.enforcement.EnforcementResult;
import dev.mandate.api.enforcement.InvalidChangeException;

import javax.ws.rs.Consumes;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/** The vendor's own endpoint, brought and taken away with its bundle: {@code POST /acme/v1/release}. */
@Component(service = AcmeReleaseResource.class)
@JaxrsResource
@Path("acme/v1/release")
public class AcmeReleaseResource {

    private final EnforcementPoint enforcement;
    private final AcmeChangeAdapter adapter;

    @Activate
    public AcmeReleaseResource(@Reference EnforcementPoint enforcement, @Reference AcmeChangeAdapter adapter) {
        this.enforcement = enforcement;
        this.adapter = adapter;
    }

    @POST
    @Consumes(MediaType.TEXT_PLAIN)
    @Produces(MediaType.APPLICATION_JSON)
    public Response release(String changes) {
        try {
            EnforcementResult<Map<String, Object>> result = enforcement.enforce(adapter, changes);
            Map<String, Object> body = new LinkedHashMap<>(result.response());
            body.put("outcome", result.outcome().name());
            body.put("evidence", result.evidence());
            return Response.ok(body).build();
        } catch (InvalidChangeException e) {
            Map<String, Object> problem = new LinkedHashMap<>();
            problem.put("status", 400);
            problem.put("detail", e.getMessage());
            problem.put("pointer", e.path());
            return Response.status(400).type("application/problem+json").entity(problem).build();
        }
    }
}
