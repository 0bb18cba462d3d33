package dev.mandate.enforce.mcp.internal;

import java.time.Duration;
import java.util.Map;

import javax.servlet.http.HttpServlet;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;

/**
 * The gate served by a real servlet container (Jetty 9.4 on a free port, the javax servlet API Pax Web serves)
 * and an agent connected to it through the MCP Java SDK's client over streamable HTTP.
 */
final class GateServer implements AutoCloseable {

    final McpSyncClient client;
    final String endpoint;
    private final Server jetty;

    GateServer(AgentGateServlet gate) throws Exception {
        this(gate, null);
    }

    /** @param authorization the Authorization header the agent sends, or {@code null} for none */
    GateServer(AgentGateServlet gate, String authorization) throws Exception {
        this(gate, authorization, Map.of());
    }

    /** @param others further servlets by path, served beside the gate */
    GateServer(AgentGateServlet gate, String authorization, Map<String, HttpServlet> others) throws Exception {
        jetty = new Server(0);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder(gate), AgentGateServlet.PATH);
        others.forEach((path, servlet) -> context.addServlet(new ServletHolder(servlet), path));
        jetty.setHandler(context);
        jetty.start();
        int port = ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
        endpoint = "http://localhost:" + port + AgentGateServlet.PATH;
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport
                .builder("http://localhost:" + port)
                .endpoint(AgentGateServlet.PATH)
                .jsonMapper(new JacksonMcpJsonMapper(new ObjectMapper()))
                .httpRequestCustomizer((request, method, uri, body, transportContext) -> {
                    if (authorization != null) {
                        request.header("Authorization", authorization);
                    }
                })
                .build();
        client = McpClient.sync(transport)
                .clientInfo(new McpSchema.Implementation("test-agent", "1.0"))
                .requestTimeout(Duration.ofSeconds(10))
                .build();
        client.initialize();
    }

    @Override
    public void close() throws Exception {
        client.close();
        jetty.stop();
    }
}
