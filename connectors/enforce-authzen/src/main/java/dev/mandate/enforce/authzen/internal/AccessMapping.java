package dev.mandate.enforce.authzen.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.mandate.api.decision.Action;
import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Actor;
import dev.mandate.api.decision.ActorKind;
import dev.mandate.api.decision.AgentInfo;
import dev.mandate.api.enforcement.InvalidChangeException;

/**
 * Reads one AuthZEN access evaluation (the subject, action, resource, context 4-tuple) into the action
 * request it asks about. The mapping, documented in {@code docs/enforcement/authzen.md}:
 * <ul>
 * <li>subject: {@code id} is the actor id; {@code type} gives the actor kind through the configured table
 * ({@code user} HUMAN, {@code service} SYSTEM, {@code agent} AI …); {@code properties.team}, {@code groups},
 * {@code assurance}, and for agents {@code model} and {@code prompt_sha256} (or {@code plan_sha256}) are read,
 * every other property becomes an actor attribute;</li>
 * <li>resource: the element id is {@code id} when {@code type} is {@code element} or {@code id} already starts
 * with {@code type:}, else {@code type:id} (a kind and the rest of the id); {@code properties.before} and
 * {@code properties.after} are the attributes before and after the change, other properties go to
 * {@code context.resource};</li>
 * <li>action: {@code name} is a Mandate action ({@code delete}, {@code access-grant} …) or a common AuthZEN
 * verb ({@code can_read}, {@code can_edit}, {@code view} …); its properties go to {@code context.action};</li>
 * <li>context: passed as the request context; {@code context.justification} is the justification.</li>
 * </ul>
 * Every error says where, as a JSON pointer into the evaluation. Stateless apart from its table; thread-safe.
 */
final class AccessMapping {

    static final String ELEMENT_TYPE = "element";
    static final String CHANNEL = "channel";
    static final String AUTHZEN = "authzen";

    private static final Map<String, Action> VERBS = Map.ofEntries(
            Map.entry("view", Action.READ), Map.entry("get", Action.READ), Map.entry("list", Action.READ),
            Map.entry("access", Action.READ), Map.entry("post", Action.CREATE), Map.entry("add", Action.CREATE),
            Map.entry("edit", Action.UPDATE), Map.entry("write", Action.UPDATE), Map.entry("put", Action.UPDATE),
            Map.entry("patch", Action.UPDATE), Map.entry("modify", Action.UPDATE), Map.entry("remove", Action.DELETE),
            Map.entry("destroy", Action.DELETE), Map.entry("grant", Action.ACCESS_GRANT),
            Map.entry("revoke", Action.ACCESS_REVOKE));
    private static final Set<String> ACTOR_FIELDS = Set.of("team", "groups", "assurance", "model", "prompt_sha256",
            "plan_sha256");

    private final Map<String, ActorKind> subjectKinds;

    /** @param subjectKinds actor kind by subject type, lower case */
    AccessMapping(Map<String, ActorKind> subjectKinds) {
        this.subjectKinds = Map.copyOf(subjectKinds);
    }

    /**
     * The action request {@code evaluation} asks about.
     *
     * @param at where the evaluation sits in the body ({@code ""} for a single one, {@code /evaluations/2})
     * @throws InvalidChangeException naming the JSON pointer that is wrong
     */
    ActionRequest read(Map<String, Object> evaluation, String at) throws InvalidChangeException {
        Map<String, Object> subject = object(evaluation, "subject", at, true);
        Map<String, Object> resource = object(evaluation, "resource", at, true);
        Map<String, Object> action = object(evaluation, "action", at, true);
        Map<String, Object> context = new LinkedHashMap<>(object(evaluation, "context", at, false));

        Actor actor = actor(subject, at + "/subject");
        Action verb = action(text(action, "name", at + "/action", true), at + "/action/name");
        String target = target(resource, at + "/resource");

        Map<String, Object> resourceProperties = object(resource, "properties", at + "/resource", false);
        Map<String, Object> before = object(resourceProperties, "before", at + "/resource/properties", false);
        Map<String, Object> after = object(resourceProperties, "after", at + "/resource/properties", false);
        Map<String, Object> rest = new LinkedHashMap<>(resourceProperties);
        rest.remove("before");
        rest.remove("after");
        if (!rest.isEmpty()) {
            context.put("resource", rest);
        }
        Map<String, Object> actionProperties = object(action, "properties", at + "/action", false);
        if (!actionProperties.isEmpty()) {
            context.put("action", actionProperties);
        }
        Object justification = context.get("justification");
        context.put(CHANNEL, AUTHZEN);
        return new ActionRequest(actor, verb, target, justification instanceof String s ? s : null, before, after,
                context);
    }

    private Actor actor(Map<String, Object> subject, String at) throws InvalidChangeException {
        String type = text(subject, "type", at, true);
        String id = text(subject, "id", at, true);
        ActorKind kind = subjectKinds.get(type.toLowerCase(Locale.ROOT));
        if (kind == null) {
            throw new InvalidChangeException(at + "/type", "unknown subject type '" + type + "' (known: "
                    + String.join(", ", subjectKinds.keySet().stream().sorted().toList()) + ")");
        }
        Map<String, Object> properties = object(subject, "properties", at, false);
        String pointer = at + "/properties";
        AgentInfo agent = null;
        if (kind == ActorKind.AI) {
            String model = text(properties, "model", pointer, false);
            String hash = text(properties, "prompt_sha256", pointer, false);
            if (hash == null) {
                hash = text(properties, "plan_sha256", pointer, false);
            }
            // an undeclared agent is passed on as such: the decision point denies it and records why
            agent = new AgentInfo(model == null ? "" : model, hash == null ? "" : hash);
        }
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (Map.Entry<String, Object> property : properties.entrySet()) {
            if (!ACTOR_FIELDS.contains(property.getKey())) {
                attributes.put(property.getKey(), property.getValue());
            }
        }
        return new Actor(id, kind, text(properties, "team", pointer, false), strings(properties, "groups", pointer),
                agent, text(properties, "assurance", pointer, false), attributes);
    }

    static Action action(String name, String at) throws InvalidChangeException {
        String verb = name.trim().toLowerCase(Locale.ROOT);
        if (verb.startsWith("can_")) {
            verb = verb.substring(4);
        }
        Action mapped = VERBS.get(verb);
        if (mapped != null) {
            return mapped;
        }
        try {
            return Action.parse(verb);
        } catch (IllegalArgumentException e) {
            throw new InvalidChangeException(at, "unknown action '" + name + "': use a Mandate action (create, "
                    + "update, delete, replace, access-grant, access-revoke, scale, restart, read) or can_read, "
                    + "can_create, can_update, can_delete");
        }
    }

    static String target(Map<String, Object> resource, String at) throws InvalidChangeException {
        String type = text(resource, "type", at, true);
        String id = text(resource, "id", at, true);
        if (ELEMENT_TYPE.equals(type) || id.startsWith(type + ":")) {
            return id;
        }
        return type + ":" + id;
    }

    static String text(Map<String, Object> node, String name, String at, boolean required)
            throws InvalidChangeException {
        Object value = node.get(name);
        if (value == null) {
            if (required) {
                throw new InvalidChangeException(at + "/" + name, "'" + name + "' is missing");
            }
            return null;
        }
        if (!(value instanceof String s)) {
            throw new InvalidChangeException(at + "/" + name, "'" + name + "' must be a string");
        }
        if (required && s.isBlank()) {
            throw new InvalidChangeException(at + "/" + name, "'" + name + "' is empty");
        }
        return s.isBlank() ? null : s;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Map<String, Object> node, String name, String at, boolean required)
            throws InvalidChangeException {
        Object value = node.get(name);
        if (value == null) {
            if (required) {
                throw new InvalidChangeException(at + "/" + name, "'" + name + "' is missing");
            }
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new InvalidChangeException(at + "/" + name, "'" + name + "' must be an object");
        }
        return (Map<String, Object>) map;
    }

    private static List<String> strings(Map<String, Object> node, String name, String at)
            throws InvalidChangeException {
        Object value = node.get(name);
        if (value == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (value instanceof List<?> list) {
            for (Object item : list) {
                if (!(item instanceof String s)) {
                    throw new InvalidChangeException(at + "/" + name, "'" + name + "' must be a list of strings");
                }
                out.add(s);
            }
            return out;
        }
        throw new InvalidChangeException(at + "/" + name, "'" + name + "' must be a list of strings");
    }
}
