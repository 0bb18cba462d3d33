package dev.mandate.enforce.mcp.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mandate.api.auth.CallerAuthenticator;
import dev.mandate.api.decision.Actor;
import dev.mandate.api.decision.ApprovalService;
import dev.mandate.api.enforcement.EnforcementPoint;
import dev.mandate.api.grant.GrantService;
import dev.mandate.api.intent.IntentService;
import dev.mandate.api.model.ModelStore;

import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.json.schema.jackson2.DefaultJsonSchemaValidator;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.spec.McpSchema;

import javax.servlet.Servlet;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AI-agent gate: a Model Context Protocol server (the official MCP Java SDK, stateless streamable HTTP) on
 * the HTTP whiteboard at {@value #PATH}, with the tools {@code check_action}, {@code request_approval},
 * {@code explain_element} and {@code verify_grant}. Every call is taken as an AI actor that must declare its
 * model and the hash of its plan; with authentication on (the default) the agent is the authenticated caller.
 * Building the server only registers the tools; nothing blocks on activation.
 */
@Component(service = Servlet.class, configurationPid = "dev.mandate.enforce.mcp",
        property = {"osgi.http.whiteboard.servlet.name=mandate-mcp",
            "osgi.http.whiteboard.servlet.pattern=" + AgentGateServlet.PATH})
@Designate(ocd = AgentGateConfig.class)
public class AgentGateServlet extends StatelessHttpTransport {

    static final String PATH = "/mandate/mcp";
    static final String SERVER_NAME = "mandate";
    static final String CHECK_ACTION = "check_action";
    static final String REQUEST_APPROVAL = "request_approval";
    static final String EXPLAIN_ELEMENT = "explain_element";
    static final String VERIFY_GRANT = "verify_grant";

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(AgentGateServlet.class);
    private static final String INSTRUCTIONS = "Mandate decides whether a change to infrastructure is legitimate "
            + "before it runs. Call check_action before every change you intend to make, with agent.model and "
            + "agent.planSha256 (the SHA-256 of your plan or prompt); act only on ALLOW and present the returned "
            + "grant. On REQUIRE_APPROVAL use request_approval and wait; on DENY read 'remedies'. Use "
            + "explain_element to learn who owns an element, what binds it and what depends on it.";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ApprovalService approvals;

    private final transient McpStatelessSyncServer server;

    @Activate
    public AgentGateServlet(@Reference EnforcementPoint enforcementPoint, @Reference ModelStore model,
            @Reference IntentService intent, @Reference GrantService grants,
            @Reference CallerAuthenticator authenticator, AgentGateConfig config) {
        this(enforcementPoint, null, model, intent, grants, Settings.of(config), Clock.systemUTC(), authenticator);
    }

    /**
     * The gate outside OSGi (unit tests): the same server, with the approval queue given directly (or
     * {@code null} for none).
     */
    AgentGateServlet(EnforcementPoint enforcementPoint, ApprovalService approvalQueue, ModelStore model,
            IntentService intent, GrantService grants, Settings settings, Clock clock,
            CallerAuthenticator authenticator) {
        super(new JacksonMcpJsonMapper(new ObjectMapper()), settings.maxRequestBytes(),
                Duration.ofSeconds(settings.timeoutSeconds()), settings.authenticate() ? authenticator : null,
                settings.callerRoles());
        this.approvals = approvalQueue;
        Supplier<ApprovalService> queue = () -> approvals;
        AgentTools tools = new AgentTools(enforcementPoint, queue, model, intent, grants, settings, clock);
        this.server = build(tools, settings);
    }

    @Deactivate
    void deactivate() {
        server.close();
    }

    private McpStatelessSyncServer build(AgentTools tools, Settings settings) {
        ObjectMapper json = new ObjectMapper();
        return McpServer.sync(this)
                .serverInfo(SERVER_NAME, version())
                .instructions(INSTRUCTIONS)
                .jsonMapper(new JacksonMcpJsonMapper(json))
                .jsonSchemaValidator(new DefaultJsonSchemaValidator(json))
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                // tools run on the servlet thread: no scheduler threads of our own to outlive the bundle
                .immediateExecution(true)
                // the tools read their arguments themselves: an agent that leaves out its model or plan hash must
                // get a recorded DENY, not a schema error that leaves no evidence
                .validateToolInputs(false)
                .requestTimeout(Duration.ofSeconds(settings.timeoutSeconds()))
                .tools(List.of(
                        tool(json, CHECK_ACTION, "Check an action before you take it",
                                "Asks Mandate whether you may take an action on an infrastructure element, as the "
                                        + "AI agent you are. Answers ALLOW (with an execution grant unless dryRun), "
                                        + "DENY or REQUIRE_APPROVAL, the reasons, and 'remedies': what to change to "
                                        + "get an ALLOW.", false, tools::checkAction),
                        tool(json, REQUEST_APPROVAL, "Ask for approval, or follow an approval request",
                                "With an action request and a justification: decides it and, when it needs "
                                        + "approval, opens an approval request addressed to the approvers. With "
                                        + "approvalId: where that request stands, and the grant once approved.",
                                false, tools::requestApproval),
                        tool(json, EXPLAIN_ELEMENT, "Explain an element",
                                "Who owns an element (accountable, responsible, consulted, decision rights), the "
                                        + "blueprints bound to it and its blast radius (what depends on it).", true,
                                tools::explainElement),
                        tool(json, VERIFY_GRANT, "Verify an execution grant",
                                "Whether an execution grant is genuine and unexpired and, given action and "
                                        + "target, whether it covers that change.", true, tools::verifyGrant)))
                .build();
    }

    /** A tool call's handler: the answer, or the argument that is wrong. */
    @FunctionalInterface
    interface Handler {
        AgentTools.Answer handle(Actor caller, Map<String, Object> arguments) throws ToolInputException;
    }

    private static SyncToolSpecification tool(ObjectMapper json, String name, String title, String description,
            boolean readOnly, Handler handler) {
        McpSchema.Tool tool = McpSchema.Tool.builder()
                .name(name)
                .title(title)
                .description(description)
                .inputSchema(schema(json, name))
                .annotations(new McpSchema.ToolAnnotations(title, readOnly, false, readOnly, false, null))
                .build();
        return new SyncToolSpecification(tool, (context, call) -> call(name, handler,
                context == null ? null : (Actor) context.get(CALLER), call));
    }

    static McpSchema.CallToolResult call(String name, Handler handler, Actor caller, McpSchema.CallToolRequest call) {
        Map<String, Object> arguments = call.arguments() == null ? Map.of() : call.arguments();
        try {
            AgentTools.Answer answer = handler.handle(caller, arguments);
            return McpSchema.CallToolResult.builder()
                    .addTextContent(answer.text())
                    .structuredContent(answer.content())
                    .isError(false)
                    .build();
        } catch (ToolInputException e) {
            return McpSchema.CallToolResult.builder()
                    .addTextContent("invalid argument '" + e.argument() + "' of " + name + ": " + e.getMessage())
                    .structuredContent(Map.of("error", e.getMessage(), "argument", e.argument()))
                    .isError(true)
                    .build();
        } catch (RuntimeException e) {
            LOG.error("mcp tool {} failed", name, e);
            return McpSchema.CallToolResult.builder()
                    .addTextContent(name + " failed: " + e.getMessage() + "; nothing was allowed, do not act")
                    .isError(true)
                    .build();
        }
    }

    /** The tool's input schema (JSON Schema 2020-12), as the bundle carries it. */
    static Map<String, Object> schema(ObjectMapper json, String tool) {
        String resource = tool + ".schema.json";
        try (InputStream in = AgentGateServlet.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the input schema '" + resource + "' is missing from the bundle");
            }
            return json.readValue(in, new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException("the input schema '" + resource + "' does not parse", e);
        }
    }

    private static String version() {
        Package pkg = AgentGateServlet.class.getPackage();
        String version = pkg == null ? null : pkg.getImplementationVersion();
        return version == null ? "0.1.0" : version;
    }
}
