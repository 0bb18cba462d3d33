package dev.mandate.enforce.authzen.internal;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mandate.api.enforcement.RestExtensions;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtensionSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code GET /.well-known/authzen-configuration}: the policy decision point metadata of AuthZEN 1.0. It names
 * only what is served: the PDP identifier, the evaluation and the evaluations endpoints, and the resource and
 * action search endpoints (not subject search, which Mandate cannot answer soundly).
 * The identifier is the configured one; without it, the scheme, host and port the request reached.
 */
@Component(service = AuthZenMetadataResource.class)
@JaxrsResource
@JaxrsExtensionSelect({RestExtensions.JSON_PROVIDER, RestExtensions.PROBLEM_MAPPER})
@Path(".well-known/authzen-configuration")
public class AuthZenMetadataResource {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final AuthZenAdapter adapter;

    @Activate
    public AuthZenMetadataResource(@Reference AuthZenAdapter adapter) {
        this.adapter = adapter;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response metadata(@Context UriInfo uri) throws JsonProcessingException {
        String configured = adapter.settings().policyDecisionPoint();
        byte[] body = MAPPER.writeValueAsBytes(metadata(configured != null ? configured : origin(uri.getBaseUri())));
        return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).build();
    }

    static Map<String, Object> metadata(String pdp) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("policy_decision_point", pdp);
        metadata.put("access_evaluation_endpoint", pdp + "/access/v1/evaluation");
        metadata.put("access_evaluations_endpoint", pdp + "/access/v1/evaluations");
        metadata.put("search_resource_endpoint", pdp + "/access/v1/search/resource");
        metadata.put("search_action_endpoint", pdp + "/access/v1/search/action");
        return metadata;
    }

    /** The scheme, host and port of {@code base}: the PDP identifier has no path, query or fragment. */
    static String origin(URI base) {
        return base.getScheme() + "://" + base.getRawAuthority();
    }
}
