package dev.mandate.kernel.rest.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code POST /mandate/v1/decisions} served as a plain HTTP Whiteboard servlet: the hot path of the
 * API without the JAX-RS runtime's per-request work (resource matching, provider selection, filter
 * chains), which cost more CPU than the decision itself. The contract is the resource's: the same
 * body read with the API's mapper, the same {@link DecisionsResource#decide} behind it, the same
 * RFC 9457 problems ({@link ProblemMapper}, {@link JsonErrors}), the same body size limit
 * ({@link BodySizeLimit}, the same configuration), no credentials (see {@link DecisionsResource}).
 * Its exact path wins over the JAX-RS whiteboard's {@code /*}; the resource still serves the path
 * where this servlet is not deployed and keeps it in the OpenAPI document. Thread-safe.
 */
@Component(service = Servlet.class, configurationPid = "dev.mandate.kernel.rest", property = {
    "osgi.http.whiteboard.servlet.name=mandate-decisions",
    "osgi.http.whiteboard.servlet.pattern=/" + DecisionsServlet.PATH})
public class DecisionsServlet extends HttpServlet {

    static final String PATH = "mandate/v1/decisions";

    private static final long serialVersionUID = 1L;
    private static final String ALLOW = "POST, OPTIONS";

    private final transient DecisionsResource decisions;
    private final transient ProblemMapper problems = new ProblemMapper();
    private final transient ObjectReader reader;
    private final transient ObjectWriter writer;
    private final transient ObjectWriter problemWriter;
    private volatile long limit;

    @Activate
    public DecisionsServlet(@Reference DecisionsResource decisions, BodySizeLimit.Config config) {
        this.decisions = decisions;
        ObjectMapper mapper = MandateJson.newMapper();
        this.reader = mapper.readerFor(DecisionBody.class);
        this.writer = mapper.writer();
        this.problemWriter = mapper.writerFor(Problem.class);
        this.limit = config.maxBodyBytes();
    }

    @Modified
    void modified(BodySizeLimit.Config config) {
        this.limit = config.maxBodyBytes();
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String method = request.getMethod();
        if ("OPTIONS".equals(method)) {
            response.setHeader("Allow", ALLOW);
            response.setStatus(HttpServletResponse.SC_OK);
            return;
        }
        if (!"POST".equals(method)) {
            response.setHeader("Allow", ALLOW);
            problem(response, Problem.of(Response.Status.METHOD_NOT_ALLOWED, "method-not-allowed",
                    "method not allowed on this resource"));
            return;
        }
        post(request, response);
    }

    private void post(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!isJson(request.getContentType())) {
            problem(response, Problem.of(Response.Status.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                    "unsupported media type: send application/json"));
            return;
        }
        if (!acceptsJson(request.getHeader("Accept"))) {
            problem(response, Problem.of(Response.Status.NOT_ACCEPTABLE, "not-acceptable",
                    "cannot produce the requested media type: accept application/json"));
            return;
        }
        long max = limit;
        if (request.getContentLengthLong() > max) {
            problem(response, tooLarge(max));
            return;
        }
        Object answer;
        try {
            DecisionBody body = read(new BodySizeLimit.LimitedStream(request.getInputStream(), max, TooLarge::new));
            answer = decisions.decide(body, "true".equalsIgnoreCase(request.getParameter("dryRun")));
        } catch (TooLarge e) {
            problem(response, tooLarge(max));
            return;
        } catch (JsonProcessingException e) {
            problem(response, JsonErrors.toProblem(e));
            return;
        } catch (RuntimeException e) {
            problem(response, problems.problemFor(e));
            return;
        }
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("application/json");
        try (OutputStream out = response.getOutputStream()) {
            writer.writeValue(out, answer);
        }
    }

    /** The body, or {@code null} when it is empty (the resource says what is missing). */
    private DecisionBody read(InputStream in) throws IOException {
        try (JsonParser parser = reader.createParser(in)) {
            if (parser.nextToken() == null) {
                return null;
            }
            return reader.readValue(parser);
        }
    }

    private void problem(HttpServletResponse response, Problem problem) throws IOException {
        response.setStatus(problem.status());
        response.setContentType(Problem.MEDIA_TYPE);
        try (OutputStream out = response.getOutputStream()) {
            problemWriter.writeValue(out, problem);
        }
    }

    private static Problem tooLarge(long max) {
        return Problem.of(Response.Status.REQUEST_ENTITY_TOO_LARGE, "body-too-large",
                "the request body is larger than " + max + " bytes");
    }

    /** A body found larger than the limit while it was read. */
    private static final class TooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLarge(long max) {
            super("the request body is larger than " + max + " bytes", null, false, false);
        }
    }

    /** As the JAX-RS resource consumes: {@code application/json} (a missing type is read as JSON). */
    static boolean isJson(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return true;
        }
        String type = mediaType(contentType);
        return type.equals("application/json") || type.startsWith("application/") && type.endsWith("+json");
    }

    /** Whether an {@code Accept} header admits JSON (no header admits everything). */
    static boolean acceptsJson(String accept) {
        if (accept == null || accept.isBlank()) {
            return true;
        }
        for (String range : accept.split(",")) {
            String type = mediaType(range);
            if (type.equals("*/*") || type.equals("*") || type.equals("application/*") || type.equals("application/json")) {
                return true;
            }
        }
        return false;
    }

    private static String mediaType(String value) {
        int parameters = value.indexOf(';');
        return (parameters < 0 ? value : value.substring(0, parameters)).trim().toLowerCase(Locale.ROOT);
    }
}
