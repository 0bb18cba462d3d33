package dev.mandate.kernel.rest.internal;

import java.util.UUID;

import dev.mandate.api.decision.ApprovalConflictException;
import dev.mandate.api.decision.ApprovalRefusedException;
import dev.mandate.api.decision.UnknownTargetException;
import dev.mandate.api.enforcement.RestExtensions;
import dev.mandate.api.evidence.EvidenceUnavailableException;
import dev.mandate.api.model.ModelUnavailableException;

import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every error of every Mandate resource becomes an RFC 9457 problem document: the caller learns
 * what was wrong, never a stack trace. Unexpected failures are logged with an id the problem cites.
 */
@Component(service = ExceptionMapper.class)
@JaxrsExtension
@JaxrsName(RestExtensions.PROBLEM_MAPPER_NAME)
public class ProblemMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemMapper.class);

    @Override
    public Response toResponse(Throwable failure) {
        return problemFor(failure).toResponse();
    }

    Problem problemFor(Throwable failure) {
        if (failure instanceof WebApplicationException web) {
            Response response = web.getResponse();
            if (response != null && response.getEntity() instanceof Problem problem) {
                return problem;
            }
            Response.Status status = Response.Status.fromStatusCode(response == null ? 500 : response.getStatus());
            if (status == null) {
                status = Response.Status.BAD_REQUEST;
            }
            return Problem.of(status, slug(status), describe(web, status));
        }
        if (failure instanceof UnknownTargetException unknown) {
            return Problem.of(Response.Status.NOT_FOUND, "unknown-element", unknown.getMessage());
        }
        if (failure instanceof ModelUnavailableException unavailable) {
            return Problem.of(Response.Status.SERVICE_UNAVAILABLE, "model-unavailable",
                    "the model is unavailable: " + unavailable.getMessage());
        }
        if (failure instanceof EvidenceUnavailableException unavailable) {
            return Problem.of(Response.Status.SERVICE_UNAVAILABLE, "evidence-unavailable",
                    "evidence store unavailable: " + unavailable.getMessage());
        }
        if (failure instanceof ApprovalConflictException conflict) {
            return Problem.of(Response.Status.CONFLICT, "approval-conflict", conflict.getMessage());
        }
        if (failure instanceof ApprovalRefusedException refused) {
            return Problem.of(Response.Status.FORBIDDEN, "approval-refused", refused.getMessage());
        }
        if (failure instanceof IllegalArgumentException invalid) {
            return Problem.of(Response.Status.BAD_REQUEST, "invalid-request", invalid.getMessage());
        }
        String incident = UUID.randomUUID().toString();
        LOG.error("unexpected failure, incident {}", incident, failure);
        return Problem.of(Response.Status.INTERNAL_SERVER_ERROR, "internal-error",
                "an unexpected error occurred; the server log has the details under incident " + incident);
    }

    private static String describe(WebApplicationException web, Response.Status status) {
        return switch (status) {
            case NOT_FOUND -> "no such resource";
            case METHOD_NOT_ALLOWED -> "method not allowed on this resource";
            case UNSUPPORTED_MEDIA_TYPE -> "unsupported media type: send application/json";
            case NOT_ACCEPTABLE -> "cannot produce the requested media type: accept application/json";
            default -> web.getMessage() == null ? status.getReasonPhrase().toLowerCase(java.util.Locale.ROOT)
                    : web.getMessage();
        };
    }

    private static String slug(Response.Status status) {
        return status.getReasonPhrase().toLowerCase(java.util.Locale.ROOT).replace(' ', '-');
    }
}
