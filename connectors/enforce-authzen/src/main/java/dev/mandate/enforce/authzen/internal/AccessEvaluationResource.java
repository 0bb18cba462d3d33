package dev.mandate.enforce.authzen.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mandate.api.auth.CallerAuthenticator;
import dev.mandate.api.enforcement.EnforcementPoint;
import dev.mandate.api.enforcement.EnforcementResult;
import dev.mandate.api.enforcement.InvalidChangeException;
import dev.mandate.api.enforcement.RestExtensions;

import javax.ws.rs.Consumes;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.HttpHeaders;
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
 * The AuthZEN Access Evaluation API ({@code POST /access/v1/evaluation}) and Access Evaluations API
 * ({@code POST /access/v1/evaluations}) at the server root, as AuthZEN 1.0 places them. A decision is always a
 * 200 with {@code {"decision": …, "context": …}}; a request that is malformed as a whole is a 400 problem
 * (RFC 9457) whose {@code errors[0].pointer} says where; in a batch, an evaluation that is malformed on its own
 * is {@code decision: false} with {@code context.error}, and the others are still decided. Each evaluation is
 * one enforcement through the enforcement point, so each is recorded as evidence, with the authenticated caller
 * (the PEP) as {@code context.pep}; an unauthenticated call is refused first ({@link PepAuthentication}). The
 * {@code X-Request-ID} of the request is echoed.
 */
@Component(service = AccessEvaluationResource.class)
@JaxrsResource
@JaxrsExtensionSelect({RestExtensions.JSON_PROVIDER, RestExtensions.PROBLEM_MAPPER})
@Path("access/v1")
public class AccessEvaluationResource {

    static final String PROBLEM_JSON = RestExtensions.PROBLEM_JSON;
    static final String REQUEST_ID = "X-Request-ID";
    static final String EXECUTE_ALL = "execute_all";
    static final String DENY_ON_FIRST_DENY = "deny_on_first_deny";
    static final String PERMIT_ON_FIRST_PERMIT = "permit_on_first_permit";

    private static final Set<String> SEMANTICS = Set.of(EXECUTE_ALL, DENY_ON_FIRST_DENY, PERMIT_ON_FIRST_PERMIT);
    private static final Set<String> TUPLE = Set.of("subject", "action", "resource", "context");
    private static final Logger LOG = LoggerFactory.getLogger(AccessEvaluationResource.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final EnforcementPoint enforcementPoint;
    private final AuthZenAdapter adapter;
    private final PepAuthentication authentication;

    @Activate
    public AccessEvaluationResource(@Reference EnforcementPoint enforcementPoint, @Reference AuthZenAdapter adapter,
            @Reference CallerAuthenticator authenticator) {
        this.enforcementPoint = enforcementPoint;
        this.adapter = adapter;
        this.authentication = new PepAuthentication(authenticator, adapter);
    }

    /** Without caller authentication (tests of the mapping; the adapter's settings say whether it is off). */
    AccessEvaluationResource(EnforcementPoint enforcementPoint, AuthZenAdapter adapter) {
        this(enforcementPoint, adapter, null);
    }

    @POST
    @Path("evaluation")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
    @Produces({MediaType.APPLICATION_JSON, PROBLEM_JSON})
    public Response evaluation(InputStream body, @HeaderParam(REQUEST_ID) String requestId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        PepAuthentication.Admission admission = authentication.admit(authorization, requestId);
        if (admission.refusal() != null) {
            return admission.refusal();
        }
        try {
            Map<String, Object> request = parse(body);
            return ok(decide(new AccessEvaluation(request, "", admission.caller())), requestId);
        } catch (InvalidChangeException e) {
            return problem(e, requestId);
        } catch (RuntimeException e) {
            return failure(e, requestId);
        }
    }

    @POST
    @Path("evaluations")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
    @Produces({MediaType.APPLICATION_JSON, PROBLEM_JSON})
    public Response evaluations(InputStream body, @HeaderParam(REQUEST_ID) String requestId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        PepAuthentication.Admission admission = authentication.admit(authorization, requestId);
        if (admission.refusal() != null) {
            return admission.refusal();
        }
        try {
            Map<String, Object> request = parse(body);
            Object items = request.get("evaluations");
            if (items == null || (items instanceof List<?> list && list.isEmpty())) {
                // without an evaluations array the request is a single evaluation (backwards compatible)
                return ok(decide(new AccessEvaluation(request, "", admission.caller())), requestId);
            }
            if (!(items instanceof List<?> list)) {
                throw new InvalidChangeException("/evaluations", "'evaluations' must be an array");
            }
            if (list.size() > adapter.settings().maxEvaluations()) {
                throw new InvalidChangeException("/evaluations", "'evaluations' holds " + list.size()
                        + " evaluations, more than the " + adapter.settings().maxEvaluations() + " one request may carry");
            }
            String semantic = semantic(request);
            List<Map<String, Object>> answers = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                String pointer = "/evaluations/" + i;
                Map<String, Object> answer = evaluateItem(request, list.get(i), pointer, admission.caller());
                answers.add(answer);
                boolean permitted = Boolean.TRUE.equals(answer.get("decision"));
                if (DENY_ON_FIRST_DENY.equals(semantic) && !permitted
                        || PERMIT_ON_FIRST_PERMIT.equals(semantic) && permitted) {
                    break;
                }
            }
            return ok(Map.of("evaluations", answers), requestId);
        } catch (InvalidChangeException e) {
            return problem(e, requestId);
        } catch (RuntimeException e) {
            return failure(e, requestId);
        }
    }

    /** One evaluation of a batch, with the top-level defaults applied; its own errors stay its own. */
    private Map<String, Object> evaluateItem(Map<String, Object> request, Object item, String pointer,
            String caller) {
        if (!(item instanceof Map<?, ?>)) {
            return error(400, "the evaluation at " + pointer + " must be an object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> own = (Map<String, Object>) item;
        Map<String, Object> tuple = new LinkedHashMap<>();
        for (String key : TUPLE) {
            if (request.containsKey(key)) {
                tuple.put(key, request.get(key));
            }
        }
        tuple.putAll(own);
        try {
            return decide(new AccessEvaluation(tuple, pointer, caller));
        } catch (InvalidChangeException e) {
            return error(400, "malformed at " + e.path() + ": " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("authzen evaluation {} could not be decided", pointer, e);
            return error(500, "the evaluation could not be decided: " + e.getMessage());
        }
    }

    private Map<String, Object> decide(AccessEvaluation evaluation) throws InvalidChangeException {
        EnforcementResult<Map<String, Object>> result = enforcementPoint.enforce(adapter, evaluation,
                adapter.settings().whatIf());
        Map<String, Object> answer = result.response();
        if (result.evidence() == null && Boolean.TRUE.equals(answer.get("decision"))) {
            // the enforcement could not be recorded: nothing it decided may go ahead
            return error(500, "the decision could not be recorded as evidence");
        }
        return answer;
    }

    static String semantic(Map<String, Object> request) throws InvalidChangeException {
        Object options = request.get("options");
        if (options == null) {
            return EXECUTE_ALL;
        }
        if (!(options instanceof Map<?, ?> map)) {
            throw new InvalidChangeException("/options", "'options' must be an object");
        }
        Object semantic = map.get("evaluations_semantic");
        if (semantic == null) {
            return EXECUTE_ALL;
        }
        if (!(semantic instanceof String s) || !SEMANTICS.contains(s)) {
            throw new InvalidChangeException("/options/evaluations_semantic", "unknown evaluations semantic '"
                    + semantic + "' (known: execute_all, deny_on_first_deny, permit_on_first_permit)");
        }
        return s;
    }

    static Map<String, Object> error(int status, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("status", status);
        error.put("message", message);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("decision", false);
        answer.put("context", Map.of("error", error));
        return answer;
    }

    static Map<String, Object> parse(InputStream body) throws InvalidChangeException {
        Object parsed;
        try {
            parsed = MAPPER.readValue(body, Object.class);
        } catch (JsonProcessingException e) {
            throw new InvalidChangeException("", "the body is no JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidChangeException("", "the body could not be read: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?>)) {
            throw new InvalidChangeException("", "the body must be a JSON object");
        }
        return MAPPER.convertValue(parsed, new TypeReference<Map<String, Object>>() { });
    }

    static Response ok(Object answer, String requestId) {
        return withId(Response.ok(json(answer), MediaType.APPLICATION_JSON_TYPE), requestId).build();
    }

    static Response problem(InvalidChangeException e, String requestId) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("pointer", e.path());
        error.put("message", e.getMessage());
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "https://mandate.dev/problems/invalid-access-evaluation");
        problem.put("title", "Bad Request");
        problem.put("status", 400);
        problem.put("detail", "the access evaluation request is malformed at " + (e.path().isEmpty() ? "its root"
                : e.path()) + ": " + e.getMessage());
        problem.put("errors", List.of(error));
        return withId(Response.status(Response.Status.BAD_REQUEST).type(PROBLEM_JSON).entity(json(problem)),
                requestId).build();
    }

    static Response failure(RuntimeException e, String requestId) {
        LOG.error("authzen request {} could not be decided", requestId, e);
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "https://mandate.dev/problems/decision-failed");
        problem.put("title", "Internal Server Error");
        problem.put("status", 500);
        problem.put("detail", "the access evaluation could not be decided; treat it as denied");
        return withId(Response.serverError().type(PROBLEM_JSON).entity(json(problem)), requestId).build();
    }

    private static Response.ResponseBuilder withId(Response.ResponseBuilder builder, String requestId) {
        return requestId == null ? builder : builder.header(REQUEST_ID, requestId);
    }

    private static byte[] json(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
