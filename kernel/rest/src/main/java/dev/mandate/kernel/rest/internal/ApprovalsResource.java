package dev.mandate.kernel.rest.internal;

import java.util.List;
import java.util.Locale;

import dev.mandate.api.decision.Actor;
import dev.mandate.api.decision.ApprovalRequest;
import dev.mandate.api.decision.ApprovalService;
import dev.mandate.api.decision.ApprovalStatus;
import dev.mandate.api.enforcement.RestExtensions;

import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.NotAuthorizedException;
import javax.ws.rs.NotFoundException;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtensionSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * The REQUIRE_APPROVAL queue: {@code GET /mandate/v1/approvals?status=}, one request, and
 * {@code POST /mandate/v1/approvals/{id}/decide} by a holder of the decision right. Every endpoint
 * needs HTTP Basic credentials of the JAAS realm ({@link ApproverAuthentication}); the approver is
 * the authenticated user, with the realm's roles and groups as its identity groups.
 */
@Component(service = ApprovalsResource.class)
@JaxrsResource
@JaxrsExtensionSelect({RestExtensions.JSON_PROVIDER, RestExtensions.PROBLEM_MAPPER})
@Authenticated
@Path("mandate/v1/approvals")
@Produces(MediaType.APPLICATION_JSON)
public class ApprovalsResource {

    /** An approver's answer; who answers is the authenticated user. */
    public record Verdict(Boolean approve, String comment) {
    }

    private final ApprovalService approvals;

    @Activate
    public ApprovalsResource(@Reference ApprovalService approvals) {
        this.approvals = approvals;
    }

    @GET
    public List<ApprovalRequest> list(@QueryParam("status") String status, @Context SecurityContext security) {
        caller(security);
        return approvals.list(status == null || status.isBlank() ? null : parseStatus(status));
    }

    @GET
    @Path("{id}")
    public ApprovalRequest get(@PathParam("id") String id, @Context SecurityContext security) {
        caller(security);
        return approvals.get(id).orElseThrow(() -> notFound(id));
    }

    @POST
    @Path("{id}/decide")
    @Consumes(MediaType.APPLICATION_JSON)
    public ApprovalRequest decide(@PathParam("id") String id, Verdict verdict, @Context SecurityContext security) {
        Actor approver = caller(security);
        if (verdict == null || verdict.approve() == null) {
            throw new IllegalArgumentException("send {\"approve\": true|false, \"comment\": \"…\"}; the approver is the "
                    + "authenticated user");
        }
        if (approvals.get(id).isEmpty()) {
            throw notFound(id);
        }
        return verdict.approve() ? approvals.approve(id, approver, verdict.comment())
                : approvals.reject(id, approver, verdict.comment());
    }

    /** The authenticated actor; a 401 when the authentication filter did not run (fail closed). */
    private static Actor caller(SecurityContext security) {
        if (security != null && security.getUserPrincipal() instanceof ActorPrincipal principal) {
            return principal.actor();
        }
        throw new NotAuthorizedException(Problem.of(Response.Status.UNAUTHORIZED, "unauthenticated",
                "authentication required: send HTTP Basic credentials of a user of the realm").toResponse());
    }

    private static ApprovalStatus parseStatus(String status) {
        try {
            return ApprovalStatus.valueOf(status.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown approval status '" + status
                    + "' (known: pending, escalated, approved, rejected, expired)");
        }
    }

    private static NotFoundException notFound(String id) {
        return new NotFoundException(Problem.of(Response.Status.NOT_FOUND, "unknown-approval",
                "no approval request '" + id + "'").toResponse());
    }
}
