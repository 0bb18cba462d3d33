package dev.mandate.enforce.mcp.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the AI-agent gate (PID {@code dev.mandate.enforce.mcp}). */
@ObjectClassDefinition(name = "Mandate AI-agent gate (MCP)",
        description = "The MCP server agents call before they act")
public @interface AgentGateConfig {

    @AttributeDefinition(name = "Servlet pattern", description = "Where the MCP endpoint is served (HTTP whiteboard)")
    String osgi_http_whiteboard_servlet_pattern() default AgentGateServlet.PATH;

    @AttributeDefinition(name = "Authenticate", description = "Callers must authenticate (dev.mandate.kernel.auth: "
            + "an OAuth 2 access token, an API token or Basic against the JAAS realm) and the authenticated caller is "
            + "the agent in the evidence. Switch off only for local development: then the agent is whoever the "
            + "arguments name")
    boolean authenticate() default true;

    @AttributeDefinition(name = "Caller roles", description = "Roles or groups of which an authenticated caller must "
            + "hold one (403 otherwise); empty: any authenticated caller")
    String[] callerRoles() default {};

    @AttributeDefinition(name = "Default agent id", description = "The actor id of an agent whose tool arguments "
            + "do not name it (agent.id)")
    String defaultAgentId() default "ai-agent";

    @AttributeDefinition(name = "Blast-radius relations", description = "Relations explain_element walks, as the "
            + "decision point does")
    String[] blastRadius_relations() default {"DEPENDS_ON", "CONTAINS", "HOSTED_ON", "BACKED_UP_BY"};

    @AttributeDefinition(name = "Blast-radius cap", description = "Where the walk stops")
    int blastRadius_cap() default 10_000;

    @AttributeDefinition(name = "Largest request", description = "Bytes of one JSON-RPC message")
    int maxRequestBytes() default 1_048_576;

    @AttributeDefinition(name = "Timeout", description = "Seconds one tool call may take")
    int timeoutSeconds() default 30;
}
