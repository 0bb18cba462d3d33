package dev.mandate.enforce.mcp.internal;

import java.util.List;

import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Decision;
import dev.mandate.api.enforcement.EnforcementAdapter;

import org.osgi.service.component.annotations.Component;

/**
 * The MCP gate as an enforcement adapter: a tool call already is one action request (read from the tool's
 * arguments), and its answer is that request's decision. Going through the enforcement point records the
 * enforcement by adapter {@code mcp} and turns a request on an element the model does not hold into a deny.
 * Stateless and thread-safe.
 */
@Component(service = {EnforcementAdapter.class, AgentActionAdapter.class}, property = "mandate.adapter=mcp")
public class AgentActionAdapter implements EnforcementAdapter<ActionRequest, Decision> {

    static final String ID = "mcp";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<ActionRequest> toRequests(ActionRequest input) {
        return List.of(input);
    }

    @Override
    public Decision toResponse(ActionRequest input, List<Decision> decisions) {
        return decisions.get(0);
    }
}
