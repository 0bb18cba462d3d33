package dev.mandate.kernel.intent.internal;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Actor;
import dev.mandate.api.decision.AgentInfo;
import dev.mandate.api.intent.EvaluationContext;
import dev.mandate.api.model.BlastRadius;
import dev.mandate.api.model.Element;

/**
 * The CEL variables of one evaluation, built once per request and shared by every expression.
 * Every documented field is present (empty text, list or map where the request has nothing), so
 * that a rule reads {@code element.owner == ""} rather than tripping over a missing key.
 */
final class Activation {

    private Activation() {
    }

    static Map<String, Object> of(EvaluationContext context) {
        Element element = context.target();
        ActionRequest request = context.request();
        BlastRadius blastRadius = context.blastRadius() != null ? context.blastRadius()
                : BlastRadius.none(element.owner(), element.environment(), element.trustZone());
        Map<String, Object> variables = new HashMap<>(8);
        variables.put("element", element(element));
        variables.put("actor", actor(request == null ? null : request.actor()));
        variables.put("request", request(request, element));
        variables.put("blastRadius", blastRadius(blastRadius));
        variables.put("now", context.now() == null ? Instant.now() : context.now());
        return variables;
    }

    static Map<String, Object> element(Element element) {
        Map<String, Object> map = new LinkedHashMap<>(16);
        map.put("id", text(element.id()));
        map.put("kind", text(element.kind()));
        map.put("provider", text(element.provider()));
        map.put("environment", text(element.environment()));
        map.put("trustZone", text(element.trustZone()));
        map.put("owner", text(element.owner()));
        map.put("labels", CelValues.toCelMap(element.labels()));
        map.put("attributes", CelValues.toCelMap(element.attributes()));
        return map;
    }

    private static Map<String, Object> actor(Actor actor) {
        Map<String, Object> map = new LinkedHashMap<>(10);
        AgentInfo agent = actor == null ? null : actor.agent();
        map.put("id", text(actor == null ? null : actor.id()));
        map.put("kind", actor == null || actor.kind() == null ? "" : actor.kind().name());
        map.put("team", text(actor == null ? null : actor.team()));
        map.put("groups", actor == null ? List.of() : CelValues.toCel(actor.groups()));
        map.put("agent", Map.of("model", text(agent == null ? null : agent.model()),
                "promptSha256", text(agent == null ? null : agent.promptSha256())));
        map.put("assurance", text(actor == null ? null : actor.assurance()));
        map.put("attributes", actor == null ? Map.of() : CelValues.toCelMap(actor.attributes()));
        map.put("attributes", actor == null ? Map.of() : CelValues.toCel(actor.attributes()));
        return map;
    }

    private static Map<String, Object> request(ActionRequest request, Element element) {
        Map<String, Object> map = new LinkedHashMap<>(8);
        map.put("action", request == null || request.action() == null ? "" : request.action().wireName());
        map.put("target", text(request == null || request.target() == null ? element.id() : request.target()));
        map.put("justification", text(request == null ? null : request.justification()));
        map.put("before", request == null ? Map.of() : CelValues.toCelMap(request.before()));
        map.put("after", request == null ? Map.of() : CelValues.toCelMap(request.after()));
        map.put("context", request == null ? Map.of() : CelValues.toCelMap(request.context()));
        return map;
    }

    private static Map<String, Object> blastRadius(BlastRadius radius) {
        Map<String, Object> map = new LinkedHashMap<>(8);
        map.put("count", (long) radius.count());
        map.put("depth", (long) radius.depth());
        map.put("owners", CelValues.toCel(radius.owners()));
        map.put("environments", CelValues.toCel(radius.environments()));
        map.put("trustZones", CelValues.toCel(radius.trustZones()));
        map.put("elements", CelValues.toCel(radius.elements()));
        map.put("truncated", radius.truncated());
        return map;
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }
}
