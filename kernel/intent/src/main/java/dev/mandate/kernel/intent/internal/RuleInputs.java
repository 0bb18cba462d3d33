package dev.mandate.kernel.intent.internal;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

import dev.mandate.api.intent.Effect;
import dev.mandate.api.intent.Inputs;

/**
 * What decides each rule in force, worked out once per {@link PolicySet}: for every source a reason
 * can cite, the inputs that decide whether a match with that source counts — the rule's own reads,
 * what decides whether its blueprint applies, and what decides whether a waiver that names it sets
 * it aside — and the same gathered per effect. Mirrors {@link IntentRegistry#evaluate}: whatever that
 * reads for a rule is listed here, or the rule is read as reading everything. Immutable.
 */
final class RuleInputs {

    /** A change outside the allowed variations: the action, the attributes set, the element's attributes. */
    private static final Inputs VARIATION = Inputs.of("request.action", "request.after", "element.attributes");
    /**
     * Required relations: on a create, the relations declared in the context; on a delete, the
     * target's neighbours in the model (found by the target's id, checked against its kind) and
     * whether the neighbour's blueprint applies to it ({@code match} may read {@code now}).
     */
    private static final Inputs STRUCTURE = Inputs.of("request.action", "request.context.relations", "element.id",
            "element.kind", "now");
    /** Data-flow rules: the flow described in the context, the target's id and trust zone. */
    private static final Inputs DATA_FLOW = Inputs.of("request.context.flow", "element.id", "element.trustZone");
    /** A freeze window: the action, and the time it is open at. */
    private static final Inputs FREEZE = Inputs.of("request.action", "now");
    /** A waiver: whether it is still live. */
    private static final Inputs WAIVER = Inputs.of("now");

    private final Map<String, Inputs> bySource;
    private final Map<Effect, Inputs> byEffect;

    private RuleInputs(Map<String, Inputs> bySource, Map<Effect, Inputs> byEffect) {
        this.bySource = bySource;
        this.byEffect = byEffect;
    }

    static RuleInputs of(PolicySet policy) {
        Map<String, Inputs> sources = new HashMap<>();
        Map<Effect, Inputs> effects = new EnumMap<>(Effect.class);
        for (Effect effect : Effect.values()) {
            effects.put(effect, Inputs.NONE);
        }
        for (CompiledBlueprint blueprint : policy.blueprints().values()) {
            Inputs applies = blueprint.applicabilityReads();
            String ref = blueprint.info().ref();
            for (CompiledConstraint constraint : blueprint.constraints()) {
                Inputs reads = constraint.reads().with(applies);
                if (constraint.effect() != Effect.ALLOW) {
                    reads = reads.with(waivers(policy, blueprint.name() + "#" + constraint.id()));
                }
                add(sources, effects, constraint.source(), constraint.effect(), constraint.mode(), reads);
            }
            for (Variation variation : blueprint.variations()) {
                String id = "variation:" + variation.attribute();
                add(sources, effects, ref + "#" + id, blueprint.onViolation(), blueprint.mode(),
                        VARIATION.with(applies).with(waivers(policy, blueprint.name() + "#" + id)));
            }
            for (StructureRule rule : blueprint.structure()) {
                add(sources, effects, ref + "#" + rule.id(), blueprint.onViolation(), blueprint.mode(),
                        STRUCTURE.with(applies).with(waivers(policy, blueprint.name() + "#" + rule.id())));
            }
            for (DataFlowRule rule : blueprint.dataFlows()) {
                String id = "dataflow:" + rule.id();
                Inputs reads = DATA_FLOW.with(applies);
                if (rule.effect() != Effect.ALLOW) {
                    reads = reads.with(waivers(policy, blueprint.name() + "#" + id));
                }
                add(sources, effects, ref + "#" + id, rule.effect(), rule.mode(), reads);
            }
        }
        for (FreezeDeclaration freeze : policy.freezes()) {
            add(sources, effects, freeze.source(), freeze.effect(), Mode.ENFORCE,
                    FREEZE.with(freeze.selector().reads()).with(waivers(policy, "freeze:" + freeze.name())));
        }
        return new RuleInputs(Map.copyOf(sources), effects);
    }

    /** What decides whether a waiver that names this rule ({@code <blueprint>#<rule>}, {@code freeze:<name>}) sets a match aside. */
    private static Inputs waivers(PolicySet policy, String rule) {
        Inputs reads = Inputs.NONE;
        for (WaiverDeclaration waiver : policy.waivers()) {
            if (waiver.covers(rule)) {
                reads = reads.with(WAIVER).with(waiver.selector().reads());
            }
        }
        return reads;
    }

    private static void add(Map<String, Inputs> sources, Map<Effect, Inputs> effects, String source, Effect effect,
            Mode mode, Inputs reads) {
        sources.merge(source, reads, Inputs::with);
        if (mode == Mode.ENFORCE) {
            // warn and audit matches never count
            effects.merge(effect, reads, Inputs::with);
        }
    }

    /** What decides whether a match citing this source counts; {@link Inputs#ALL} for a source not in force. */
    Inputs of(String source) {
        Inputs reads = source == null ? null : bySource.get(source);
        return reads == null ? Inputs.ALL : reads;
    }

    /** What decides whether any match with this effect counts. */
    Inputs of(Effect effect) {
        return effect == null ? Inputs.ALL : byEffect.get(effect);
    }
}
