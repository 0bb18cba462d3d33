package dev.mandate.itests;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * An agent talking to the MCP gate through the MCP Java SDK's client over streamable HTTP. Kept apart from the
 * test class so that the SDK's classes are loaded only once the feature that carries them is installed.
 */
final class McpAgent implements AutoCloseable {

    private final McpSyncClient client;

    private McpAgent(McpSyncClient client) {
        this.client = client;
    }

    /** @param authorization the Authorization header the agent authenticates with */
    static McpAgent connect(String baseUrl, String authorization) {
        // the JSON mapper is given: the SDK's ServiceLoader lookup does not cross bundles
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(baseUrl)
                .endpoint("/mandate/mcp")
                .jsonMapper(new JacksonMcpJsonMapper(new ObjectMapper()))
                .httpRequestCustomizer((request, method, uri, body, context) -> request.header("Authorization",
                        authorization))
                .build();
        McpSyncClient client = McpClient.sync(transport)
                .clientInfo(new McpSchema.Implementation("agent-gates-it", "1.0"))
                .requestTimeout(Duration.ofSeconds(30))
                .build();
        client.initialize();
        return new McpAgent(client);
    }

    String serverName() {
        return client.getCurrentInitializationResult().serverInfo().name();
    }

    List<String> toolNames() {
        return client.listTools().tools().stream().map(McpSchema.Tool::name).sorted().toList();
    }

    /** The tool's structured content; fails when the tool answered an error. */
    @SuppressWarnings("unchecked")
    Map<String, Object> call(String tool, Map<String, Object> arguments) {
        McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest(tool, arguments));
        if (Boolean.TRUE.equals(result.isError())) {
            throw new AssertionError(tool + " answered an error: " + result.content());
        }
        return (Map<String, Object>) result.structuredContent();
    }

    @Override
    public void close() {
        client.closeGracefully();
    }
}
