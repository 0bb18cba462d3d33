package dev.mandate.enforce.authzen.internal;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mandate.api.auth.CallerAuthenticator;
import dev.mandate.api.decision.Action;
import dev.mandate.api.decision.UnknownTargetException;
import dev.mandate.api.enforcement.EnforcementPoint;
import dev.mandate.api.enforcement.EnforcementResult;
import dev.mandate.api.enforcement.InvalidChangeException;
import dev.mandate.api.enforcement.RestExtensions;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.ElementPage;
import dev.mandate.api.model.ElementQuery;
import dev.mandate.api.model.ModelSnapshot;
import dev.mandate.api.model.ModelStore;

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

/**
 * The search APIs of AuthZEN 1.0 that Mandate can answer soundly, each by deciding every candidate as a what-if
 * through the enforcement point (recorded as evidence, no grant, no approval request), so a search never says
 * more than the evaluations it stands for would:
 * <ul>
 * <li>{@code POST /access/v1/search/resource}: the elements of {@code resource.type} (an element kind, or
 * {@code element} for every kind) on which the subject may take the action, in the model's id order, paged with
 * {@code page.limit} and an opaque {@code page.next_token}; one request evaluates at most the configured number
 * of candidates and may end a page early, with a token to go on;</li>
 * <li>{@code POST /access/v1/search/action}: the Mandate actions the subject may take on the resource (every
 * action is evaluated; one page);</li>
 * <li>{@code POST /access/v1/search/subject}: 501. Subjects are not in the model (they come from the caller's
 * identity provider), so who-may-do-this cannot be enumerated soundly.</li>
 * </ul>
 * Thread-safe; blocks for one decision per candidate.
 */
@Component(service = AccessSearchResource.class)
@JaxrsResource
@JaxrsExtensionSelect({RestExtensions.JSON_PROVIDER, RestExtensions.PROBLEM_MAPPER})
@Path("access/v1/search")
public class AccessSearchResource {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Elements fetched from the model at a time. */
    private static final int BATCH = 100;

    private final EnforcementPoint enforcementPoint;
    private final AuthZenAdapter adapter;
    private final ModelStore model;
    private final PepAuthentication authentication;

    @Activate
    public AccessSearchResource(@Reference EnforcementPoint enforcementPoint, @Reference AuthZenAdapter adapter,
            @Reference ModelStore model, @Reference CallerAuthenticator authenticator) {
        this.enforcementPoint = enforcementPoint;
        this.adapter = adapter;
        this.model = model;
        this.authentication = new PepAuthentication(authenticator, adapter);
    }

    /** Where a page ends: the model cursor of the batch it is in, and how many of that batch were consumed. */
    record Position(String cursor, int skip) {

        String token() {
            String text = (cursor == null ? "" : cursor) + "|" + skip;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
        }

        static Position of(String token) throws InvalidChangeException {
            if (token == null || token.isEmpty()) {
                return new Position(null, 0);
            }
            try {
                String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
                int bar = text.lastIndexOf('|');
                int skip = Integer.parseInt(text.substring(bar + 1));
                if (bar < 0 || skip < 0) {
                    throw new IllegalArgumentException(text);
                }
                return new Position(bar == 0 ? null : text.substring(0, bar), skip);
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                throw new InvalidChangeException("/page/token", "'token' is not a next_token this pdp gave");
            }
        }
    }

    @POST
    @Path("resource")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
    @Produces({MediaType.APPLICATION_JSON, AccessEvaluationResource.PROBLEM_JSON})
    public Response resource(InputStream body, @HeaderParam(AccessEvaluationResource.REQUEST_ID) String requestId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return serve(body, requestId, authorization, this::resources);
    }

    /** The resources of the requested type the subject may take the action on, one page of them. */
    private Map<String, Object> resources(Map<String, Object> request, String caller) throws InvalidChangeException {
        Map<String, Object> resource = AccessMapping.object(request, "resource", "", true);
        String type = AccessMapping.text(resource, "type", "/resource", true);
        Map<String, Object> page = AccessMapping.object(request, "page", "", false);
        int limit = limit(page);
        Position position = Position.of(AccessMapping.text(page, "token", "/page", false));
        // the subject and action are read once up front: a malformed request is a 400 before anything is decided
        adapter.settings().mapping().read(tuple(request, Map.of("type", AccessMapping.ELEMENT_TYPE, "id", "-")), "");
        String kind = AccessMapping.ELEMENT_TYPE.equals(type) ? null : type;
        ModelSnapshot snapshot = model.current();
        List<Map<String, Object>> results = new ArrayList<>();
        int examined = 0;
        String cursor = position.cursor();
        int skip = position.skip();
        String next = null;
        searching:
        while (true) {
            ElementPage batch;
            try {
                batch = snapshot.query(new ElementQuery(kind, null, null, null, null, null, cursor, BATCH));
            } catch (IllegalArgumentException e) {
                throw new InvalidChangeException("/page/token", e.getMessage());
            }
            List<Element> items = batch.items();
            for (int i = skip; i < items.size(); i++) {
                if (results.size() == limit || examined == adapter.settings().searchCandidates()) {
                    next = new Position(cursor, i).token();
                    break searching;
                }
                Element element = items.get(i);
                examined++;
                if (permitted(request, Map.of("type", AccessMapping.ELEMENT_TYPE, "id", element.id()), caller)) {
                    results.add(Map.of("type", element.kind(), "id", element.id()));
                }
            }
            if (batch.nextCursor() == null) {
                break;
            }
            cursor = batch.nextCursor();
            skip = 0;
        }
        return answer(results, next, snapshot.revision(), examined);
    }

    @POST
    @Path("action")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
    @Produces({MediaType.APPLICATION_JSON, AccessEvaluationResource.PROBLEM_JSON})
    public Response action(InputStream body, @HeaderParam(AccessEvaluationResource.REQUEST_ID) String requestId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return serve(body, requestId, authorization, this::actions);
    }

    /** The actions the subject may take on the resource: every action evaluated, one page. */
    private Map<String, Object> actions(Map<String, Object> request, String caller) throws InvalidChangeException {
        Map<String, Object> resource = AccessMapping.object(request, "resource", "", true);
        List<Map<String, Object>> results = new ArrayList<>();
        for (Action action : Action.values()) {
            Map<String, Object> tuple = new LinkedHashMap<>(tuple(request, resource));
            tuple.put("action", Map.of("name", action.wireName()));
            if (decide(new AccessEvaluation(tuple, "", caller))) {
                results.add(Map.of("name", action.wireName()));
            }
        }
        return answer(results, null, model.current().revision(), Action.values().length);
    }

    /** One search: the caller admitted, the body read, the answer or the problem. */
    private Response serve(InputStream body, String requestId, String authorization, Search search) {
        PepAuthentication.Admission admission = authentication.admit(authorization, requestId);
        if (admission.refusal() != null) {
            return admission.refusal();
        }
        try {
            return AccessEvaluationResource.ok(search.answer(AccessEvaluationResource.parse(body),
                    admission.caller()), requestId);
        } catch (InvalidChangeException e) {
            return AccessEvaluationResource.problem(e, requestId);
        } catch (RuntimeException e) {
            return AccessEvaluationResource.failure(e, requestId);
        }
    }

    /** A search's answer to a parsed request. */
    @FunctionalInterface
    private interface Search {
        Map<String, Object> answer(Map<String, Object> request, String caller) throws InvalidChangeException;
    }

    @POST
    @Path("subject")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
    @Produces({MediaType.APPLICATION_JSON, AccessEvaluationResource.PROBLEM_JSON})
    public Response subject(InputStream body, @HeaderParam(AccessEvaluationResource.REQUEST_ID) String requestId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        PepAuthentication.Admission admission = authentication.admit(authorization, requestId);
        if (admission.refusal() != null) {
            return admission.refusal();
        }
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "https://mandate.dev/problems/subject-search-not-supported");
        problem.put("title", "Not Implemented");
        problem.put("status", 501);
        problem.put("detail", "subject search is not offered: subjects come from the caller's identity provider, "
                + "not from mandate's model, so who may do this cannot be listed soundly; evaluate candidate "
                + "subjects with /access/v1/evaluations instead");
        try {
            Response.ResponseBuilder builder = Response.status(501).type(AccessEvaluationResource.PROBLEM_JSON)
                    .entity(JSON.writeValueAsBytes(problem));
            return (requestId == null ? builder : builder.header(AccessEvaluationResource.REQUEST_ID, requestId))
                    .build();
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** Whether the subject may take the action on {@code resource}: a what-if evaluation, recorded. */
    private boolean permitted(Map<String, Object> request, Map<String, Object> resource, String caller)
            throws InvalidChangeException {
        return decide(new AccessEvaluation(tuple(request, resource), "", caller));
    }

    private boolean decide(AccessEvaluation evaluation) throws InvalidChangeException {
        try {
            EnforcementResult<Map<String, Object>> result = enforcementPoint.enforce(adapter, evaluation, true);
            // an evaluation that could not be recorded stands for nothing
            return result.evidence() != null && Boolean.TRUE.equals(result.response().get("decision"));
        } catch (UnknownTargetException e) {
            // removed from the model while the search ran
            return false;
        }
    }

    /** The evaluation tuple: the request's subject, action and context with {@code resource}. */
    private static Map<String, Object> tuple(Map<String, Object> request, Map<String, Object> resource) {
        Map<String, Object> tuple = new LinkedHashMap<>();
        for (String key : List.of("subject", "action", "context")) {
            if (request.containsKey(key)) {
                tuple.put(key, request.get(key));
            }
        }
        tuple.put("resource", resource);
        return tuple;
    }

    private int limit(Map<String, Object> page) throws InvalidChangeException {
        Object limit = page.get("limit");
        int largest = adapter.settings().searchLimit();
        if (limit == null) {
            return largest;
        }
        if (!(limit instanceof Integer n) || n < 1) {
            throw new InvalidChangeException("/page/limit", "'limit' must be a positive integer");
        }
        return Math.min(n, largest);
    }

    private static Map<String, Object> answer(List<Map<String, Object>> results, String next, long revision,
            int examined) {
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("next_token", next == null ? "" : next);
        page.put("count", results.size());
        page.put("properties", Map.of("model_revision", revision, "evaluated", examined));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("results", results);
        answer.put("page", page);
        return answer;
    }
}
