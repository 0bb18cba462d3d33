package dev.mandate.enforce.kubernetes.internal;

import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mandate.api.decision.Decision;
import dev.mandate.api.decision.Outcome;
import dev.mandate.api.enforcement.EnforcementPoint;
import dev.mandate.api.enforcement.EnforcementResult;
import dev.mandate.api.enforcement.InvalidChangeException;
import dev.mandate.api.enforcement.RestExtensions;
import dev.mandate.enforce.kubernetes.AdmissionReview;

import javax.ws.rs.Consumes;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtensionSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /mandate/v1/enforce/kubernetes/admission}: the validating admission webhook. An AdmissionReview v1
 * in, an AdmissionReview v1 out (200 whatever the outcome; the API server reads {@code response.allowed}). A
 * malformed review is a 400 problem whose {@code errors[0].pointer} says where, and nothing is decided. An
 * error after the review was read (the decision point or the ledger failing) answers per the failure policy:
 * refused by default, admitted with a warning when configured to fail open.
 */
@Component(service = AdmissionWebhookResource.class)
@JaxrsResource
@JaxrsExtensionSelect({RestExtensions.JSON_PROVIDER, RestExtensions.PROBLEM_MAPPER})
@Path("mandate/v1/enforce/kubernetes/admission")
public class AdmissionWebhookResource {

    static final String PROBLEM_JSON = RestExtensions.PROBLEM_JSON;
    private static final Logger LOG = LoggerFactory.getLogger(AdmissionWebhookResource.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final EnforcementPoint enforcementPoint;
    private final AdmissionReviewAdapter adapter;

    @Activate
    public AdmissionWebhookResource(@Reference EnforcementPoint enforcementPoint,
            @Reference AdmissionReviewAdapter adapter) {
        this.enforcementPoint = enforcementPoint;
        this.adapter = adapter;
    }

    @POST
    @Consumes({MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM, MediaType.TEXT_PLAIN})
    @Produces({MediaType.APPLICATION_JSON, PROBLEM_JSON})
    public Response review(InputStream body) {
        AdmissionReview review;
        try {
            review = AdmissionReview.parse(body);
        } catch (InvalidChangeException e) {
            return problem(e);
        }
        Admission admission;
        try {
            admission = adapter.read(review);
        } catch (InvalidChangeException e) {
            return problem(e);
        } catch (RuntimeException e) {
            LOG.error("admission review {} could not be read", review.uid(), e);
            return ok(adapter.failure(review, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
        if (!admission.decided()) {
            return ok(adapter.admittedWithoutDecision(review));
        }
        AdmissionReview answer;
        try {
            answer = decide(review);
        } catch (InvalidChangeException e) {
            return problem(e);
        } catch (RuntimeException e) {
            LOG.error("admission review {} of {} could not be decided", review.uid(), admission.request().target(), e);
            answer = adapter.failure(review, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        return ok(answer);
    }

    /** Decides the review through the enforcement point and adds the enforcement's evidence to the answer. */
    AdmissionReview decide(AdmissionReview review) throws InvalidChangeException {
        EnforcementResult<AdmissionReview> result = enforcementPoint.enforce(adapter, review);
        AdmissionReview answer = result.response();
        if (result.evidence() == null) {
            // the enforcement could not be recorded: nothing it decided may go ahead
            return adapter.failure(review, "the enforcement could not be recorded as evidence");
        }
        if (answer.allowed() && result.outcome() != Outcome.ALLOW) {
            return adapter.failure(review, "the enforcement outcome is " + result.outcome());
        }
        Map<String, String> audit = new LinkedHashMap<>();
        audit.put("outcome", result.outcome().name());
        audit.put("evidence", result.evidence());
        List<String> ids = result.decisions().stream().map(Decision::decisionId).toList();
        if (!ids.isEmpty()) {
            audit.put("decision", String.join(",", ids));
        }
        return answer.withAuditAnnotations(audit);
    }

    private static Response ok(AdmissionReview answer) {
        return Response.ok(answer.toJson(), MediaType.APPLICATION_JSON_TYPE).build();
    }

    static Response problem(InvalidChangeException e) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("pointer", e.path());
        error.put("message", e.getMessage());
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "https://mandate.dev/problems/invalid-admission-review");
        problem.put("title", "Bad Request");
        problem.put("status", 400);
        problem.put("detail", "the admission review is malformed at " + e.path() + ": " + e.getMessage());
        problem.put("errors", List.of(error));
        try {
            return Response.status(Response.Status.BAD_REQUEST).type(PROBLEM_JSON)
                    .entity(MAPPER.writeValueAsBytes(problem)).build();
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
