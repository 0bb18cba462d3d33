package dev.mandate.enforce.mcp.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mandate.api.auth.CallerAuthentication;
import dev.mandate.api.auth.CallerAuthenticator;
import dev.mandate.api.decision.Actor;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;

import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Mono;

/**
 * The MCP streamable HTTP transport in its stateless form, on the javax servlet API that Pax Web serves
 * (the SDK's own servlet transports are written against jakarta.servlet 6, which Karaf 4.4 does not have).
 * Every POST carries one JSON-RPC message: a request is answered with its JSON-RPC response as
 * {@code application/json}, a notification with 202 and no body. There are no sessions and no server-initiated
 * stream, so GET and DELETE answer 405, which the streamable HTTP client of the SDK accepts. With an
 * authenticator, a POST without valid credentials is refused before its body is read: 401 (or 403 for a caller
 * without a required role) with the {@code WWW-Authenticate} challenges, as MCP's authorization section asks,
 * and an RFC 9457 problem as the body; the authenticated caller travels in the transport context under
 * {@value #CALLER}. Thread-safe; a request blocks its servlet thread while its tool runs.
 */
class StatelessHttpTransport extends HttpServlet implements McpStatelessServerTransport {

    static final String APPLICATION_JSON = "application/json";
    static final String EVENT_STREAM = "text/event-stream";
    static final String PROTOCOL_VERSION_HEADER = "MCP-Protocol-Version";
    /** The transport-context key under which the caller's address is kept. */
    static final String REMOTE_ADDRESS = "remoteAddress";
    /** The transport-context key under which the authenticated caller ({@link Actor}) is kept. */
    static final String CALLER = "caller";
    static final String PROBLEM_JSON = "application/problem+json";

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(StatelessHttpTransport.class);

    private final transient McpJsonMapper json;
    private final int maxRequestBytes;
    private final Duration timeout;
    private final transient CallerAuthenticator authenticator;
    private final List<String> callerRoles;
    private transient volatile McpStatelessServerHandler handler;
    private volatile boolean closing;

    /** @param authenticator who checks callers, or {@code null} to take every caller (local development) */
    StatelessHttpTransport(McpJsonMapper json, int maxRequestBytes, Duration timeout, CallerAuthenticator authenticator,
            List<String> callerRoles) {
        this.json = json;
        this.authenticator = authenticator;
        this.callerRoles = List.copyOf(callerRoles);
        this.maxRequestBytes = maxRequestBytes;
        this.timeout = timeout;
    }

    @Override
    public void setMcpHandler(McpStatelessServerHandler handler) {
        this.handler = handler;
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.fromRunnable(() -> closing = true);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // no server-initiated stream without sessions
        response.setHeader("Allow", "POST");
        response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
    }

    @Override
    protected void doDelete(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // no session to end
        response.setHeader("Allow", "POST");
        response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        McpStatelessServerHandler current = handler;
        if (closing || current == null) {
            response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "the mcp server is stopping");
            return;
        }
        Actor caller = null;
        if (authenticator != null) {
            CallerAuthentication authenticated = authenticator.authenticate(request.getHeader("Authorization"),
                    callerRoles);
            if (!authenticated.succeeded()) {
                refuse(response, authenticated, authenticator.authorizationServers().isEmpty() ? null
                        : ProtectedResourceMetadataServlet.location(request));
                return;
            }
            caller = authenticated.caller();
        }
        String accept = request.getHeader("Accept");
        if (accept == null || !accept.contains(APPLICATION_JSON) || !accept.contains(EVENT_STREAM)) {
            error(response, HttpServletResponse.SC_NOT_ACCEPTABLE, null, McpSchema.ErrorCodes.INVALID_REQUEST,
                    "the accept header must list both application/json and text/event-stream");
            return;
        }
        String version = request.getHeader(PROTOCOL_VERSION_HEADER);
        if (version != null && !protocolVersions().contains(version)) {
            error(response, HttpServletResponse.SC_BAD_REQUEST, null, McpSchema.ErrorCodes.INVALID_REQUEST,
                    "unsupported protocol version '" + version + "' (supported: " + String.join(", ",
                            protocolVersions()) + ")");
            return;
        }
        if (request.getContentLengthLong() > maxRequestBytes) {
            response.sendError(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
            return;
        }
        String body = readBody(request.getInputStream());
        if (body == null) {
            response.sendError(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
            return;
        }
        McpSchema.JSONRPCMessage message;
        try {
            message = McpSchema.deserializeJsonRpcMessage(json, body);
        } catch (IOException | IllegalArgumentException e) {
            error(response, HttpServletResponse.SC_BAD_REQUEST, null, McpSchema.ErrorCodes.PARSE_ERROR,
                    "the body is no json-rpc message: " + e.getMessage());
            return;
        }
        Map<String, Object> facts = new HashMap<>();
        facts.put(REMOTE_ADDRESS, String.valueOf(request.getRemoteAddr()));
        if (caller != null) {
            facts.put(CALLER, caller);
        }
        McpTransportContext context = McpTransportContext.create(facts);
        if (message instanceof McpSchema.JSONRPCRequest call) {
            McpSchema.JSONRPCResponse answer;
            try {
                answer = current.handleRequest(context, call)
                        .contextWrite(c -> c.put(McpTransportContext.KEY, context))
                        .block(timeout);
            } catch (RuntimeException e) {
                LOG.error("mcp request '{}' failed", call.method(), e);
                error(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, call.id(),
                        McpSchema.ErrorCodes.INTERNAL_ERROR, "the request failed: " + e.getMessage());
                return;
            }
            write(response, HttpServletResponse.SC_OK, answer);
        } else if (message instanceof McpSchema.JSONRPCNotification notification) {
            try {
                current.handleNotification(context, notification)
                        .contextWrite(c -> c.put(McpTransportContext.KEY, context))
                        .block(timeout);
            } catch (RuntimeException e) {
                LOG.warn("mcp notification '{}' failed", notification.method(), e);
            }
            response.setStatus(HttpServletResponse.SC_ACCEPTED);
        } else {
            error(response, HttpServletResponse.SC_BAD_REQUEST, null, McpSchema.ErrorCodes.INVALID_REQUEST,
                    "the server accepts requests and notifications only");
        }
    }

    /**
     * 401 or 403 with the challenges and an RFC 9457 problem saying why; the Bearer challenge names the protected
     * resource metadata (RFC 9728) when there is one.
     */
    private void refuse(HttpServletResponse response, CallerAuthentication refusal, String metadata)
            throws IOException {
        boolean forbidden = refusal.status() == HttpServletResponse.SC_FORBIDDEN;
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "https://mandate.dev/problems/" + (forbidden ? "forbidden" : "unauthenticated"));
        problem.put("title", forbidden ? "Forbidden" : "Unauthorized");
        problem.put("status", refusal.status());
        problem.put("detail", refusal.error());
        refusal.challenges().forEach(challenge -> response.addHeader("WWW-Authenticate",
                metadata != null && challenge.startsWith("Bearer ") ? challenge + ", resource_metadata=\""
                        + metadata + "\"" : challenge));
        byte[] bytes = json.writeValueAsBytes(problem);
        response.setStatus(refusal.status());
        response.setContentType(PROBLEM_JSON);
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /** The body as UTF-8, or {@code null} when it is longer than the limit (a chunked body has no length). */
    private String readBody(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int read;
        while ((read = in.read(buffer)) != -1) {
            if (out.size() + read > maxRequestBytes) {
                return null;
            }
            out.write(buffer, 0, read);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private void error(HttpServletResponse response, int status, Object id, int code, String message)
            throws IOException {
        // built by hand: the SDK's response record refuses the null id that JSON-RPC prescribes when the
        // request's id could not be read
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("jsonrpc", McpSchema.JSONRPC_VERSION);
        answer.put("id", id);
        answer.put("error", error);
        write(response, status, answer);
    }

    private void write(HttpServletResponse response, int status, Object message) throws IOException {
        byte[] bytes = json.writeValueAsBytes(message);
        response.setStatus(status);
        response.setContentType(APPLICATION_JSON);
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /** The protocol versions this transport speaks, newest first (the SDK's list). */
    @Override
    public List<String> protocolVersions() {
        return McpStatelessServerTransport.super.protocolVersions();
    }
}
