package dev.mandate.enforce.mcp.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

import dev.mandate.api.decision.Action;
import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Actor;
import dev.mandate.api.decision.ActorKind;
import dev.mandate.api.decision.AgentInfo;
import dev.mandate.api.intent.Team;

/**
 * Reads tool arguments into action requests. Whoever calls through MCP is an AI actor: its id, team and groups
 * come from the {@code agent} argument, and so do the model id and the SHA-256 of the plan or prompt it acts
 * on. A missing or malformed model or hash is passed on as absent, so the decision point denies the request
 * and records that an undeclared agent asked (it is never silently accepted, nor lost as a mere input error).
 * When the caller has authenticated, the agent is that caller: its id, groups and assurance come from the
 * authentication, a {@code team} argument is taken only when the caller holds one of that team's groups, and an
 * {@code agent.id} that differs is kept as the attribute {@code declaredId} only.
 */
final class AgentRequests {

    /** The context key that says the request came through the MCP gate. */
    static final String CHANNEL = "channel";
    static final String MCP = "mcp";

    private static final Pattern SHA256 = Pattern.compile("(sha256:)?[0-9a-fA-F]{64}");

    private final String defaultAgentId;
    private final Function<String, Optional<Team>> teams;

    AgentRequests(String defaultAgentId, Function<String, Optional<Team>> teams) {
        this.defaultAgentId = defaultAgentId;
        this.teams = teams;
    }

    /**
     * The action request the arguments of {@code check_action} or {@code request_approval} describe.
     *
     * @param caller the authenticated caller, or {@code null} when the gate does not authenticate
     */
    ActionRequest actionRequest(Map<String, Object> arguments, Actor caller) throws ToolInputException {
        Action action;
        try {
            action = Action.parse(text(arguments, "action", true));
        } catch (IllegalArgumentException e) {
            throw new ToolInputException("action", e.getMessage());
        }
        String target = text(arguments, "target", true);
        Map<String, Object> context = new LinkedHashMap<>(object(arguments, "context"));
        context.put(CHANNEL, MCP);
        return new ActionRequest(actor(arguments, caller), action, target, text(arguments, "justification", false),
                object(arguments, "before"), object(arguments, "after"), context);
    }

    /**
     * The AI actor that asks: the authenticated caller with the model and plan hash the {@code agent} argument
     * declares, or without authentication the agent that argument declares (an agent with nothing declared when
     * it is absent).
     */
    Actor actor(Map<String, Object> arguments, Actor caller) throws ToolInputException {
        Map<String, Object> agent = object(arguments, "agent");
        String id = text(agent, "id", false);
        String team = text(agent, "team", false);
        List<String> groups = strings(agent, "groups");
        String model = text(agent, "model", false);
        String hash = text(agent, "planSha256", false);
        if (hash == null) {
            hash = text(agent, "promptSha256", false);
        }
        if (hash != null && !SHA256.matcher(hash).matches()) {
            // not a SHA-256: the agent has not declared what it acts on
            hash = null;
        }
        AgentInfo info = new AgentInfo(model == null ? "" : model,
                hash == null ? "" : hash.toLowerCase(java.util.Locale.ROOT));
        if (caller == null) {
            return new Actor(id == null ? defaultAgentId : id, ActorKind.AI, team, groups, info, null,
                    Map.of(CHANNEL, MCP));
        }
        if (team != null && teams.apply(team).map(t -> t.groups().stream().noneMatch(caller.groups()::contains))
                .orElse(true)) {
            throw new ToolInputException("agent", "'" + caller.id() + "' does not act for team '" + team
                    + "': it holds none of the team's groups");
        }
        Map<String, Object> attributes = new LinkedHashMap<>(caller.attributes());
        attributes.put(CHANNEL, MCP);
        if (id != null && !id.equals(caller.id())) {
            attributes.put("declaredId", id);
        }
        return new Actor(caller.id(), ActorKind.AI, team, caller.groups(), info, caller.assurance(), attributes);
    }

    /** Whether the arguments declare the agent's model and a well-formed plan hash. */
    static boolean declared(Actor actor) {
        return actor.agent() != null && actor.agent().isComplete();
    }

    static String text(Map<String, Object> arguments, String name, boolean required) throws ToolInputException {
        Object value = arguments.get(name);
        if (value == null || (value instanceof String s && s.isBlank())) {
            if (required) {
                throw new ToolInputException(name, "'" + name + "' is missing");
            }
            return null;
        }
        if (!(value instanceof String s)) {
            throw new ToolInputException(name, "'" + name + "' must be a string, not '" + value + "'");
        }
        return s.trim();
    }

    static boolean flag(Map<String, Object> arguments, String name) throws ToolInputException {
        Object value = arguments.get(name);
        if (value == null) {
            return false;
        }
        if (!(value instanceof Boolean b)) {
            throw new ToolInputException(name, "'" + name + "' must be true or false, not '" + value + "'");
        }
        return b;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Map<String, Object> arguments, String name) throws ToolInputException {
        Object value = arguments == null ? null : arguments.get(name);
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new ToolInputException(name, "'" + name + "' must be an object, not '" + value + "'");
        }
        return (Map<String, Object>) map;
    }

    static List<String> strings(Map<String, Object> arguments, String name) throws ToolInputException {
        Object value = arguments.get(name);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new ToolInputException(name, "'" + name + "' must be a list of strings");
        }
        List<String> out = new ArrayList<>(list.size());
        for (Object item : list) {
            if (!(item instanceof String s)) {
                throw new ToolInputException(name, "'" + name + "' must be a list of strings, not '" + item + "'");
            }
            out.add(s);
        }
        return out;
    }
}
