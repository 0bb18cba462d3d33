package dev.mandate.kernel.rest.internal;

import java.util.List;
import java.util.Locale;

import dev.mandate.api.decision.Actor;
import dev.mandate.api.decision.ApprovalRequest;
import dev.mandate.api.decision.ApprovalService;
import dev.mandate.api.decision.ApprovalStatus;

import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.NotFoundException;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * The REQUIRE_APPROVAL queue: {@code GET /mandate/v1/approvals?status=}, one request, and
 * {@code POST /mandate/v1/approvals/{id}/decide} by a holder of the decision right.
 */
@Component(service = ApprovalsResource.class)
@JaxrsResource
@Path("mandate/v1/approvals")
@Produces(MediaType.APPLICATION_JSON)
public class ApprovalsResource {

    /** An approver's answer. */
    public record Verdict(Actor approver, Boolean approve, String comment) {
    }

    private final ApprovalService approvals;

    @Activate
    public ApprovalsResource(@Reference ApprovalService approvals) {
        this.approvals = approvals;
    }

    @GET
    public List<ApprovalRequest> list(@QueryParam("status") String status) {
        return approvals.list(status == null || status.isBlank() ? null : parseStatus(status));
    }

    @GET
    @Path("{id}")
    public ApprovalRequest get(@PathParam("id") String id) {
        return approvals.get(id).orElseThrow(() -> notFound(id));
    }

    @POST
    @Path("{id}/decide")
    @Consumes(MediaType.APPLICATION_JSON)
    public ApprovalRequest decide(@PathParam("id") String id, Verdict verdict) {
        if (verdict == null || verdict.approver() == null || verdict.approve() == null) {
            throw new IllegalArgumentException("send {\"approver\": {\"id\", \"kind\", \"team\", \"groups\"}, \"approve\": true|false, \"comment\"}");
        }
        if (approvals.get(id).isEmpty()) {
            throw notFound(id);
        }
        return verdict.approve() ? approvals.approve(id, verdict.approver(), verdict.comment())
                : approvals.reject(id, verdict.approver(), verdict.comment());
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
