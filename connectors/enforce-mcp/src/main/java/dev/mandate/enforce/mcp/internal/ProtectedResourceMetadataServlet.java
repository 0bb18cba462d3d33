package dev.mandate.enforce.mcp.internal;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mandate.api.auth.CallerAuthenticator;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The OAuth 2.0 protected resource metadata (RFC 9728) of the AI-agent gate, which MCP's authorization section
 * asks of a protected MCP server: at {@value #PATH} (the well-known prefix inserted before the gate's path), the
 * gate's resource identifier and the authorization servers whose access tokens it accepts, so that an MCP client
 * can find where to get a token from the {@code resource_metadata} of a 401's challenge. 404 while no access
 * tokens are accepted (only API tokens or Basic). The resource identifier is the scheme, host and port the
 * request reached. Thread-safe.
 */
@Component(service = Servlet.class, property = {"osgi.http.whiteboard.servlet.name=mandate-mcp-resource-metadata",
    "osgi.http.whiteboard.servlet.pattern=" + ProtectedResourceMetadataServlet.PATH})
public class ProtectedResourceMetadataServlet extends HttpServlet {

    static final String PATH = "/.well-known/oauth-protected-resource" + AgentGateServlet.PATH;

    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final transient CallerAuthenticator authenticator;

    @Activate
    public ProtectedResourceMetadataServlet(@Reference CallerAuthenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        List<String> servers = authenticator.authorizationServers();
        if (servers.isEmpty()) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND, "the gate accepts no oauth2 access tokens");
            return;
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("resource", origin(request) + AgentGateServlet.PATH);
        metadata.put("authorization_servers", servers);
        metadata.put("bearer_methods_supported", List.of("header"));
        metadata.put("resource_name", "Mandate AI-agent gate");
        byte[] body = JSON.writeValueAsBytes(metadata);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** The scheme, host and port {@code request} reached. */
    static String origin(HttpServletRequest request) {
        int port = request.getServerPort();
        boolean standard = port < 0 || ("https".equals(request.getScheme()) && port == 443)
                || ("http".equals(request.getScheme()) && port == 80);
        return request.getScheme() + "://" + request.getServerName() + (standard ? "" : ":" + port);
    }

    /** Where the metadata of the gate reached by {@code request} is, for a 401's {@code resource_metadata}. */
    static String location(HttpServletRequest request) {
        return origin(request) + PATH;
    }
}
