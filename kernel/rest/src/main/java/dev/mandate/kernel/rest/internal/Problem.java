package dev.mandate.kernel.rest.internal;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.mandate.api.enforcement.RestExtensions;

import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

/**
 * An RFC 9457 problem details document. {@code errors} lists each problem with where it is
 * ({@code pointer}: a JSON pointer into the request body, or {@code line}/{@code column}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record Problem(String type, String title, int status, String detail, String instance, List<ProblemError> errors) {

    static final String MEDIA_TYPE = RestExtensions.PROBLEM_JSON;
    static final MediaType PROBLEM_JSON = MediaType.valueOf(MEDIA_TYPE);

    /** One thing wrong, and where. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ProblemError(String pointer, Integer line, Integer column, String message) {
    }

    static Problem of(Response.Status status, String type, String detail) {
        return new Problem("https://mandate.dev/problems/" + type, status.getReasonPhrase(), status.getStatusCode(),
                detail, null, null);
    }

    Problem withErrors(List<ProblemError> list) {
        return new Problem(type, title, status, detail, instance, list);
    }

    Response toResponse() {
        return Response.status(status).type(PROBLEM_JSON).entity(this).build();
    }
}
