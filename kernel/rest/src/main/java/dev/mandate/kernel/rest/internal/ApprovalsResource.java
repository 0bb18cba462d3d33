package dev.mandate.kernel.rest.internal;

import java.util.List;
import java.util.Locale;

import dev.mandate.api.decision.Actor;
import dev.mandate.api.decision.ApprovalRequest;
import dev.mandate.api.decision.ApprovalService;
import dev.mandate.api.decision.ApprovalStatus;
import dev.mandate.api.decision.Decision;
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
 * the authenticated user, with the realm's roles and groups as its identity groups. An approved
 * request's execution grant is shown only to its requester and to who approved it.
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
        Actor caller = caller(security);
        return approvals.list(status == null || status.isBlank() ? null : parseStatus(status)).stream()
                .map(request -> asSeenBy(caller, request)).toList();
    }

    @GET
    @Path("{id}")
    public ApprovalRequest get(@PathParam("id") String id, @Context SecurityContext security) {
        return asSeenBy(caller(security), approvals.get(id).orElseThrow(() -> notFound(id)));
    }

    /**
     * The request without its execution grant unless {@code caller} asked for the change or decided it:
     * a grant is a bearer token for the change, and every user of the realm may read the queue.
     */
    static ApprovalRequest asSeenBy(Actor caller, ApprovalRequest request) {
        Decision outcome = request.outcome();
        if (outcome == null || outcome.grant() == null || caller.id().equals(request.request().actor().id())
                || caller.id().equals(request.decidedBy())) {
            return request;
        }
        Decision withoutGrant = new Decision(outcome.decisionId(), outcome.outcome(), outcome.reasons(),
                outcome.obligations(), outcome.blastRadius(), outcome.approvers(), outcome.modelRevision(),
                outcome.blueprints(), outcome.evidence(), outcome.decidedAt(), null, outcome.dryRun(),
                outcome.approvalId(), outcome.remedies());
        return new ApprovalRequest(request.id(), request.decisionId(), request.request(), request.environment(),
                request.approvers(), request.status(), request.escalationLevel(), request.createdAt(),
                request.expiresAt(), request.decidedBy(), request.decidedAt(), request.comment(), withoutGrant);
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
