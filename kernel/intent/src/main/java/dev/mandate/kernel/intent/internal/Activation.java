package dev.mandate.kernel.intent.internal;

import java.time.Instant;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionResolver;
import dev.cel.runtime.CelVariableResolver;
import dev.cel.runtime.Program;

import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Actor;
import dev.mandate.api.decision.AgentInfo;
import dev.mandate.api.intent.EvaluationContext;
import dev.mandate.api.intent.TargetDrift;
import dev.mandate.api.model.BlastRadius;
import dev.mandate.api.model.Element;

/**
 * The CEL variables of one evaluation, shared by every expression of it. Every documented field is
 * present (empty text, list or map where the request has nothing), so that a rule reads
 * {@code element.owner == ""} rather than tripping over a missing key.
 */
final class Activation {

    private Activation() {
    }

    /** The variables of this context, each built when an expression first reads it. */
    static Map<String, Object> of(EvaluationContext context) {
        return new Lazy(context);
    }

    /**
     * Evaluates a program over these variables: lazy ones are handed to CEL as a resolver, so that
     * an evaluation neither copies them nor builds a variable no expression reads.
     */
    static Object eval(Program program, Map<String, Object> variables, CelFunctionResolver functions)
            throws CelEvaluationException {
        return variables instanceof Lazy lazy ? program.eval((CelVariableResolver) lazy, functions)
                : program.eval(variables, functions);
    }

    /**
     * The variables {@code element}, {@code actor}, {@code request}, {@code blastRadius},
     * {@code drift} and {@code now} of one context, converted on first read and kept for the rest of the evaluation
     * (a request reads most rules' variables once, and {@code blastRadius} only where a rule asks
     * for it). Read-only; confined to the evaluating thread.
     */
    static final class Lazy extends AbstractMap<String, Object> implements CelVariableResolver {
        private final EvaluationContext context;
        private Object element;
        private Object actor;
        private Object request;
        private Object blastRadius;
        private Object drift;
        private Object now;

        Lazy(EvaluationContext context) {
            this.context = context;
        }

        @Override
        public Object get(Object name) {
            if (!(name instanceof String key)) {
                return null;
            }
            switch (key) {
                case "element":
                    if (element == null) {
                        element = element(context.target());
                    }
                    return element;
                case "actor":
                    if (actor == null) {
                        actor = actor(context.request() == null ? null : context.request().actor());
                    }
                    return actor;
                case "request":
                    if (request == null) {
                        request = request(context.request(), context.target());
                    }
                    return request;
                case "blastRadius":
                    if (blastRadius == null) {
                        Element target = context.target();
                        blastRadius = blastRadius(context.blastRadius() != null ? context.blastRadius()
                                : BlastRadius.none(target.owner(), target.environment(), target.trustZone()));
                    }
                    return blastRadius;
                case "drift":
                    if (drift == null) {
                        drift = drift(context.drift());
                    }
                    return drift;
                case "now":
                    if (now == null) {
                        now = context.now() == null ? Instant.now() : context.now();
                    }
                    return now;
                default:
                    return null;
            }
        }

        @Override
        public boolean containsKey(Object name) {
            return CelEnvironment.VARIABLES.contains(name);
        }

        @Override
        public Optional<Object> find(String name) {
            return Optional.ofNullable(get(name));
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            Map<String, Object> all = new LinkedHashMap<>(8);
            for (String name : CelEnvironment.VARIABLES) {
                all.put(name, get(name));
            }
            return Collections.unmodifiableMap(all).entrySet();
        }
    }

    private static final String[] ELEMENT = {"id", "kind", "provider", "environment", "trustZone", "owner", "labels",
        "attributes"};
    private static final String[] ACTOR = {"id", "kind", "team", "groups", "agent", "assurance", "attributes"};
    private static final String[] REQUEST = {"action", "target", "justification", "before", "after", "context"};
    private static final String[] BLAST_RADIUS = {"count", "depth", "owners", "environments", "trustZones", "elements",
        "truncated"};

    static Map<String, Object> element(Element element) {
        return new Fields(ELEMENT, text(element.id()), text(element.kind()), text(element.provider()),
                text(element.environment()), text(element.trustZone()), text(element.owner()),
                CelValues.view(element.labels()), CelValues.view(element.attributes()));
    }

    private static Map<String, Object> actor(Actor actor) {
        AgentInfo agent = actor == null ? null : actor.agent();
        return new Fields(ACTOR, text(actor == null ? null : actor.id()),
                actor == null || actor.kind() == null ? "" : actor.kind().name(),
                text(actor == null ? null : actor.team()),
                // immutable text already (Actor copies it): CEL reads it as it is
                actor == null ? List.of() : actor.groups(),
                agent == null ? NO_AGENT
                        : Map.of("model", text(agent.model()), "promptSha256", text(agent.promptSha256())),
                text(actor == null ? null : actor.assurance()),
                actor == null ? Map.of() : CelValues.view(actor.attributes()));
    }

    /** {@code actor.agent} of an actor that declares no agent. */
    private static final Map<String, Object> NO_AGENT = Map.of("model", "", "promptSha256", "");

    private static Map<String, Object> request(ActionRequest request, Element element) {
        return new Fields(REQUEST, request == null || request.action() == null ? "" : request.action().wireName(),
                text(request == null || request.target() == null ? element.id() : request.target()),
                text(request == null ? null : request.justification()),
                request == null ? Map.of() : CelValues.view(request.before()),
                request == null ? Map.of() : CelValues.view(request.after()),
                request == null ? Map.of() : CelValues.view(request.context()));
    }

    private static Map<String, Object> blastRadius(BlastRadius radius) {
        // immutable lists of text already (BlastRadius copies them): CEL reads them as they are
        return new Fields(BLAST_RADIUS, (long) radius.count(), (long) radius.depth(), radius.owners(),
                radius.environments(), radius.trustZones(), radius.elements(), radius.truncated());
    }

    /** {@code drift} when nothing is open: shared, so a clean target costs no allocation. */
    private static final Map<String, Object> NO_DRIFT = Map.of("open", 0L, "kinds", List.of(), "findings", List.of(),
            "inBlastRadius", 0L);

    static Map<String, Object> drift(TargetDrift drift) {
        if (drift == null || drift.isClean()) {
            return NO_DRIFT;
        }
        Set<String> kinds = new java.util.TreeSet<>();
        List<Object> findings = new java.util.ArrayList<>(drift.findings().size());
        for (TargetDrift.Finding finding : drift.findings()) {
            kinds.add(text(finding.kind()));
            findings.add(Map.of("id", text(finding.id()), "kind", text(finding.kind()), "severity",
                    text(finding.severity()), "message", text(finding.message())));
        }
        Map<String, Object> map = new LinkedHashMap<>(8);
        map.put("open", (long) drift.findings().size());
        map.put("kinds", List.copyOf(kinds));
        map.put("findings", List.copyOf(findings));
        map.put("inBlastRadius", (long) drift.inBlastRadius());
        return map;
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }
}
