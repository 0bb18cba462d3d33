package dev.mandate.kernel.rest.internal;

import java.util.Map;

import dev.mandate.api.enforcement.RestExtensions;
import dev.mandate.api.grant.GrantService;
import dev.mandate.api.grant.GrantVerification;
import dev.mandate.api.grant.GrantedChange;

import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtensionSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * Execution grants for control planes: {@code POST /mandate/v1/grants/verify} ("is this grant genuine,
 * unexpired, and does it cover this change?") and {@code GET /mandate/v1/grants/keys} (the JWK set).
 */
@Component(service = GrantsResource.class)
@JaxrsResource
@JaxrsExtensionSelect({RestExtensions.JSON_PROVIDER, RestExtensions.PROBLEM_MAPPER})
@Path("mandate/v1/grants")
@Produces(MediaType.APPLICATION_JSON)
public class GrantsResource {

    /** The body of a verification: the grant, and optionally the change about to be applied. */
    public record VerifyRequest(String grant, GrantedChange change) {
    }

    private final GrantService grants;

    @Activate
    public GrantsResource(@Reference GrantService grants) {
        this.grants = grants;
    }

    @POST
    @Path("verify")
    @Consumes(MediaType.APPLICATION_JSON)
    public GrantVerification verify(VerifyRequest request) {
        if (request == null || request.grant() == null || request.grant().isBlank()) {
            throw new IllegalArgumentException("grant is missing: send {\"grant\": \"<token>\", \"change\": {\"action\", \"target\"}}");
        }
        if (request.change() != null && (request.change().action() == null || request.change().target() == null)) {
            throw new IllegalArgumentException("change needs both action and target");
        }
        return grants.verify(request.grant(), request.change());
    }

    @GET
    @Path("keys")
    public Map<String, Object> keys() {
        return grants.publicKeys();
    }
}
