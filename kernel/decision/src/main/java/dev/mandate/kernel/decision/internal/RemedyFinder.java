package dev.mandate.kernel.decision.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import dev.mandate.api.decision.Action;
import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Actor;
import dev.mandate.api.decision.ActorKind;
import dev.mandate.api.decision.Outcome;
import dev.mandate.api.decision.Reason;
import dev.mandate.api.decision.Remedy;
import dev.mandate.api.intent.DecisionRight;
import dev.mandate.api.intent.Evaluation;
import dev.mandate.api.intent.EvaluationContext;
import dev.mandate.api.intent.Inputs;
import dev.mandate.api.intent.IntentService;
import dev.mandate.api.intent.TargetDrift;
import dev.mandate.api.intent.Team;
import dev.mandate.api.model.BlastRadius;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.ModelSnapshot;

/**
 * Finds what an actor can change to turn a DENY or REQUIRE_APPROVAL into an ALLOW. Nothing here is
 * written per rule: each lever the actor holds (justification, authentication assurance, acting as a
 * person, the target's environment, the blast radius, the time, the attributes the change sets, the
 * owner a new element names, acting for the owning team) is tried by evaluating the same intent again
 * on the changed request, and a lever is offered when it takes blocking reasons away. Decision rights
 * add who can approve. Pure and deterministic for the same inputs; costs a few evaluations, and only
 * for decisions that are not an ALLOW.
 *
 * <p>A lever can only take a blocking reason away by changing an input that decides it. When pruned,
 * each lever's change is compared with the inputs that decide the blocking reasons (the intent's
 * rules report theirs, {@link IntentService#inputs(String)}; the missing decision right is decided by
 * the combiner's own inputs and every allow and deny rule), and a lever none of them reads is not
 * evaluated: it would clear nothing, so the remedies are the same as without pruning. A lever that is
 * tried is evaluated as a what-if of the decision's own evaluation ({@link IntentService#evaluateWhatIf}):
 * only the rules that read what it changes are evaluated again, the others keep what they found.
 */
final class RemedyFinder {

    /** What a decision was taken on; what the levers change. */
    record Situation(ActionRequest request, Element target, BlastRadius radius, Instant now, ModelSnapshot model,
            EffectCombiner.Approval approval, TargetDrift drift) {

        Situation(ActionRequest request, Element target, BlastRadius radius, Instant now, ModelSnapshot model,
                EffectCombiner.Approval approval) {
            this(request, target, radius, now, model, approval, TargetDrift.none());
        }

        Situation with(ActionRequest changed) {
            return new Situation(changed, target, radius, now, model, approval, drift);
        }

        Situation with(BlastRadius changed) {
            return new Situation(request, target, changed, now, model, approval, drift);
        }
    }

    static final String STATED = "(stated by the actor)";
    /** The owner a probe gives an unowned target: a team that does not exist, so it holds no right. */
    private static final String UNCLAIMED_OWNER = "team-that-claims-it";
    private static final Duration HORIZON = Duration.ofDays(62);
    /**
     * What EffectCombiner reads besides the evaluation: the owner (and whether there is one), the
     * actor's team and groups (membership of the owning team), the action and the target's
     * environment (the rights that cover it).
     */
    static final Inputs COMBINER = Inputs.of("element.owner", "actor.team", "actor.groups", "request.action",
            "element.environment");

    private final IntentService intent;
    private final EffectCombiner combiner;
    private final Function<String, Optional<Team>> teams;
    private final UnaryOperator<Element> owned;
    private final List<String> assuranceLevels;
    private final boolean pruned;
    // what decides the missing decision right, for the generation in force (racy: recomputed at worst)
    private volatile Known noRight;

    /**
     * @param owned           the element with the owner the organisation's Ownership rules declare
     * @param assuranceLevels the assurance levels an actor can raise to, strongest first
     * @param pruned          whether a lever is tried only when a blocking reason reads what it changes
     *                        ({@link IntentService#inputs(String)}); the remedies are the same either way
     */
    RemedyFinder(IntentService intent, EffectCombiner combiner, Function<String, Optional<Team>> teams,
            UnaryOperator<Element> owned, List<String> assuranceLevels, boolean pruned) {
        this.intent = intent;
        this.combiner = combiner;
        this.teams = teams;
        this.owned = owned;
        this.assuranceLevels = List.copyOf(assuranceLevels);
        this.pruned = pruned;
    }

    /** The same finder, pruning levers or not. */
    RemedyFinder pruned(boolean prune) {
        return new RemedyFinder(intent, combiner, teams, owned, assuranceLevels, prune);
    }

    /** The remedy for an AI actor that did not say who it is. */
    static Remedy declareAgent(String source) {
        return new Remedy("declare-agent",
                "declare the agent's model id and the sha-256 of its prompt or plan (actor.agent.model, actor.agent.promptSha256)",
                List.of(source), Map.of("fields", List.of("agent.model", "agent.promptSha256")), false);
    }

    List<Remedy> find(Situation situation, Verdict verdict) {
        return find(situation, verdict, null);
    }

    /**
     * @param evaluation what the intent found for the situation, which each lever's evaluation varies (only the
     *                   rules that read what the lever changes are evaluated again); null: every rule is
     */
    List<Remedy> find(Situation situation, Verdict verdict, Evaluation evaluation) {
        if (verdict.outcome() == Outcome.ALLOW) {
            return List.of();
        }
        Blocking blocking = blocking(situation, blocking(verdict), evaluation);
        List<Remedy> remedies = new ArrayList<>();
        if (verdict.outcome() == Outcome.REQUIRE_APPROVAL) {
            remedies.add(requestApproval(verdict, blocking));
        }
        actForOwner(situation, blocking).ifPresent(remedies::add);
        addJustification(situation, blocking).ifPresent(remedies::add);
        raiseAssurance(situation, blocking).ifPresent(remedies::add);
        useHuman(situation, blocking).ifPresent(remedies::add);
        otherEnvironment(situation, blocking).ifPresent(remedies::add);
        smallerBlastRadius(situation, blocking).ifPresent(remedies::add);
        waitForWindow(situation, blocking).ifPresent(remedies::add);
        resolveDrift(situation, blocking).ifPresent(remedies::add);
        remedies.addAll(attributes(situation, blocking));
        setOwner(situation, blocking).ifPresent(remedies::add);
        assignOwner(situation, blocking).ifPresent(remedies::add);
        // the sufficient ones first, each group in the order found
        List<Remedy> ordered = new ArrayList<>(remedies.size());
        for (Remedy remedy : remedies) {
            if (remedy.sufficient()) {
                ordered.add(remedy);
            }
        }
        for (Remedy remedy : remedies) {
            if (!remedy.sufficient()) {
                ordered.add(remedy);
            }
        }
        return ordered;
    }

    private static Remedy requestApproval(Verdict verdict, Blocking blocking) {
        String approvers = String.join("', '", verdict.approvers());
        return new Remedy("request-approval", "ask '" + approvers + "' to approve it (a member holding an approving "
                + "right for the action, not the requester)", List.copyOf(blocking.sources()),
                Map.of("approvers", verdict.approvers()), true);
    }

    private Optional<Remedy> actForOwner(Situation s, Blocking blocking) {
        if (!blocking.contains(EffectCombiner.NO_RIGHT) || !s.target().hasOwner()
                || !blocking.mayBeClearedBy("actor.team")) {
            return Optional.empty();
        }
        Optional<Team> owner = teams.apply(s.target().owner());
        if (owner.isEmpty()) {
            return Optional.empty();
        }
        Team team = owner.get();
        List<String> rights = new ArrayList<>();
        for (DecisionRight right : team.decisionRights()) {
            if (right.covers(s.request().action().wireName(), s.target().environment())) {
                rights.add(right.id());
            }
        }
        Actor actor = s.request().actor();
        Actor member = new Actor(actor.id(), actor.kind(), team.id(), actor.groups(), actor.agent(), actor.assurance(),
                actor.attributes());
        return probe(s, blocking, s.with(withActor(s.request(), member))).map(effect -> {
            Map<String, Object> parameters = new LinkedHashMap<>();
            parameters.put("team", team.id());
            parameters.put("groups", team.groups());
            parameters.put("rights", rights);
            return effect.remedy("act-for-owner", "have a member of '" + team.id() + "' (groups "
                    + team.groups() + ") make it: its right" + (rights.size() == 1 ? " '" : "s '")
                    + String.join("', '", rights) + "' cover" + (rights.size() == 1 ? "s " : " ")
                    + s.request().action() + (s.target().environment() == null ? "" : " in " + s.target().environment()),
                    parameters);
        });
    }

    private Optional<Remedy> addJustification(Situation s, Blocking blocking) {
        ActionRequest request = s.request();
        if (request.justification() != null && !request.justification().isBlank()
                || !blocking.mayBeClearedBy("request.justification")) {
            return Optional.empty();
        }
        ActionRequest justified = new ActionRequest(request.actor(), request.action(), request.target(), STATED,
                request.before(), request.after(), request.context());
        return probe(s, blocking, s.with(justified)).map(effect -> effect.remedy("add-justification",
                "add a justification: say why the change is needed", Map.of("field", "justification")));
    }

    private Optional<Remedy> raiseAssurance(Situation s, Blocking blocking) {
        if (!blocking.mayBeClearedBy("actor.assurance")) {
            return Optional.empty();
        }
        Actor actor = s.request().actor();
        for (String level : assuranceLevels) {
            if (level.equals(actor.assurance())) {
                return Optional.empty();
            }
            Actor stronger = new Actor(actor.id(), actor.kind(), actor.team(), actor.groups(), actor.agent(), level,
                    actor.attributes());
            Optional<Effect> effect = probe(s, blocking, s.with(withActor(s.request(), stronger)));
            if (effect.isPresent()) {
                return Optional.of(effect.get().remedy("raise-assurance", "authenticate with '" + level + "' (now '"
                        + (actor.assurance() == null ? "none" : actor.assurance()) + "')", Map.of("assurance", level)));
            }
        }
        return Optional.empty();
    }

    private Optional<Remedy> useHuman(Situation s, Blocking blocking) {
        Actor actor = s.request().actor();
        if (actor.kind() == ActorKind.HUMAN || !blocking.mayBeClearedBy("actor.kind")
                && !blocking.mayBeClearedBy("actor.agent") && !blocking.mayBeClearedBy("actor.assurance")) {
            return Optional.empty();
        }
        // a person acting signs in as strongly as the organisation asks
        String assurance = assuranceLevels.isEmpty() ? actor.assurance() : assuranceLevels.get(0);
        Actor person = new Actor(actor.id(), ActorKind.HUMAN, actor.team(), actor.groups(), null, assurance,
                actor.attributes());
        return probe(s, blocking, s.with(withActor(s.request(), person))).map(effect -> effect.remedy("use-human-actor",
                "have a person of '" + (actor.team() == null ? "the owning team" : actor.team())
                        + "' make this change: it is not one " + (actor.kind() == ActorKind.AI ? "an ai agent" : "a system")
                        + " may make", Map.of("kind", ActorKind.HUMAN.name())));
    }

    private Optional<Remedy> otherEnvironment(Situation s, Blocking blocking) {
        Element target = s.target();
        if (target.environment() == null || !target.hasOwner() || !blocking.mayBeClearedBy("element.environment")) {
            return Optional.empty();
        }
        Set<String> candidates = new java.util.TreeSet<>();
        teams.apply(target.owner()).ifPresent(team -> team.decisionRights().forEach(right -> {
            if (right.actions().contains("*") || right.actions().contains(s.request().action().wireName())) {
                candidates.addAll(right.environments());
            }
        }));
        candidates.remove(target.environment());
        for (String environment : candidates) {
            Element moved = new Element(target.id(), target.kind(), target.provider(), environment, target.trustZone(),
                    target.owner(), target.labels(), target.attributes(), target.layers());
            Optional<Effect> effect = probe(s, blocking, new Situation(s.request(), moved, s.radius(), s.now(), s.model(),
                    s.approval(), s.drift()));
            if (effect.isPresent()) {
                return Optional.of(effect.get().remedy("use-other-environment", "use a target in '" + environment
                        + "' instead of '" + target.environment() + "'", Map.of("environment", environment)));
            }
        }
        return Optional.empty();
    }

    private Optional<Remedy> smallerBlastRadius(Situation s, Blocking blocking) {
        BlastRadius radius = s.radius();
        if (radius == null || (radius.count() == 0 && !radius.truncated()) || !blocking.mayBeClearedBy("blastRadius")) {
            return Optional.empty();
        }
        Optional<Effect> none = probe(s, blocking, s.with(radius(radius, 0)));
        if (none.isEmpty()) {
            return Optional.empty();
        }
        // the largest count that still clears what count 0 clears
        int low = 0;
        int high = radius.count() - 1;
        Effect best = none.get();
        while (low < high) {
            int middle = (low + high + 1) >>> 1;
            Optional<Effect> effect = probe(s, blocking, s.with(radius(radius, middle)));
            if (effect.isPresent() && effect.get().cleared().containsAll(none.get().cleared())) {
                low = middle;
                best = effect.get();
            } else {
                high = middle - 1;
            }
        }
        String now = radius.count() + (radius.truncated() ? " or more" : "");
        String message = low == 0
                ? "leave nothing depending on it (now " + now + " elements do): move or retire the dependents first"
                : "reduce the blast radius to at most " + low + " dependent elements (now " + now
                        + "): split the change or move dependents first";
        return Optional.of(best.remedy("reduce-blast-radius", message, Map.of("max", low, "now", radius.count())));
    }

    private Optional<Remedy> waitForWindow(Situation s, Blocking blocking) {
        Set<String> freezes = null;
        for (String source : blocking.sources()) {
            if (source.startsWith("freeze:")) {
                if (freezes == null) {
                    freezes = new LinkedHashSet<>();
                }
                freezes.add(source);
            }
        }
        if (freezes == null || !blocking.mayBeClearedBy("now")) {
            return Optional.empty();
        }
        // doubling steps find a time the freezes are over, halving steps the first minute they are
        long highMinutes = 60;
        Optional<Effect> after = Optional.empty();
        while (highMinutes <= HORIZON.toMinutes()) {
            after = clearsAll(s, blocking, freezes, highMinutes);
            if (after.isPresent()) {
                break;
            }
            highMinutes *= 2;
        }
        if (after.isEmpty()) {
            return Optional.empty();
        }
        long lowMinutes = highMinutes / 2;
        while (highMinutes - lowMinutes > 1) {
            long middle = (lowMinutes + highMinutes) >>> 1;
            Optional<Effect> effect = clearsAll(s, blocking, freezes, middle);
            if (effect.isPresent()) {
                highMinutes = middle;
                after = effect;
            } else {
                lowMinutes = middle;
            }
        }
        Instant at = s.now().plus(Duration.ofMinutes(highMinutes));
        return Optional.of(after.get().remedy("wait-until", "wait until " + at + ", when " + String.join(", ", freezes)
                + " no longer applies", Map.of("at", at.toString())));
    }

    private Optional<Effect> clearsAll(Situation s, Blocking blocking, Set<String> freezes, long minutes) {
        Instant later = s.now().plus(Duration.ofMinutes(minutes));
        return probe(s, blocking, new Situation(s.request(), s.target(), s.radius(), later, s.model(), s.approval(), s.drift()))
                .filter(effect -> effect.cleared().containsAll(freezes));
    }

    private List<Remedy> attributes(Situation s, Blocking blocking) {
        ActionRequest request = s.request();
        List<Remedy> remedies = new ArrayList<>();
        for (Map.Entry<String, Object> entry : request.after().entrySet()) {
            if ("owner".equals(entry.getKey()) || "environment".equals(entry.getKey())) {
                continue;
            }
            Map<String, Object> after = new LinkedHashMap<>(request.after());
            after.remove(entry.getKey());
            ActionRequest without = new ActionRequest(request.actor(), request.action(), request.target(),
                    request.justification(), request.before(), after, request.context());
            Situation changed = request.action() == Action.CREATE
                    ? new Situation(without, owned.apply(ProposedElement.of(without)), s.radius(), s.now(), s.model(),
                            s.approval(), s.drift())
                    : s.with(without);
            probe(s, blocking, changed).ifPresent(effect -> remedies.add(effect.remedy("change-attribute",
                    "do not set '" + entry.getKey() + "' to " + entry.getValue() + ": leave it as it is or choose another value",
                    Map.of("attribute", entry.getKey(), "value", String.valueOf(entry.getValue())))));
        }
        return remedies;
    }

    /** Open drift on the target or its dependents holds the change: reconciling it first clears those reasons. */
    private Optional<Remedy> resolveDrift(Situation s, Blocking blocking) {
        TargetDrift drift = s.drift();
        if (drift.isClean() || !blocking.mayBeClearedBy("drift")) {
            return Optional.empty();
        }
        Situation reconciled = new Situation(s.request(), s.target(), s.radius(), s.now(), s.model(), s.approval(),
                TargetDrift.clean(drift.revision()));
        List<String> findings = drift.findings().stream().map(TargetDrift.Finding::id).toList();
        return probe(s, blocking, reconciled).map(effect -> effect.remedy("resolve-drift",
                "reconcile the open drift first" + (findings.isEmpty() ? "" : " on '" + s.target().id() + "' ("
                        + String.join(", ", findings) + ")")
                        + (drift.inBlastRadius() == 0 ? "" : (findings.isEmpty() ? " on " : " and on ")
                                + drift.inBlastRadius() + " elements of its blast radius")
                        + ": bring it back to what was built or intended, or record the change",
                Map.of("findings", findings, "inBlastRadius", drift.inBlastRadius())));
    }

    private Optional<Remedy> setOwner(Situation s, Blocking blocking) {
        ActionRequest request = s.request();
        String team = request.actor().team();
        if (request.action() != Action.CREATE || s.target().hasOwner() || team == null || team.isBlank()) {
            return Optional.empty();
        }
        Map<String, Object> after = new LinkedHashMap<>(request.after());
        after.put("owner", team);
        Map<String, Object> context = new LinkedHashMap<>(request.context());
        if (context.get("proposed") instanceof Map<?, ?> proposed) {
            Map<Object, Object> facts = new LinkedHashMap<>(proposed);
            facts.put("owner", team);
            context.put("proposed", facts);
        }
        ActionRequest named = new ActionRequest(request.actor(), request.action(), request.target(),
                request.justification(), request.before(), after, context);
        Situation changed = new Situation(named, owned.apply(ProposedElement.of(named)), s.radius(), s.now(), s.model(),
                s.approval(), s.drift());
        return probe(s, blocking, changed).map(effect -> effect.remedy("set-owner",
                "name the owning team of the new element (owner: '" + team + "')", Map.of("owner", team)));
    }

    /**
     * Nobody owns the target, so nobody holds a right over it or can approve it: have it claimed. Clears
     * the missing decision right, and whatever the rules in force stop only because nobody owns it (the
     * same evaluation with an owner).
     */
    private Optional<Remedy> assignOwner(Situation s, Blocking blocking) {
        if (s.target().hasOwner() || s.request().action() == Action.CREATE) {
            return Optional.empty();
        }
        Set<String> clears = new LinkedHashSet<>();
        if (blocking.contains(EffectCombiner.NO_RIGHT)) {
            clears.add(EffectCombiner.NO_RIGHT);
        }
        Element target = s.target();
        Element claimed = new Element(target.id(), target.kind(), target.provider(), target.environment(),
                target.trustZone(), UNCLAIMED_OWNER, target.labels(), target.attributes(), target.layers());
        probe(s, blocking, new Situation(s.request(), claimed, s.radius(), s.now(), s.model(), s.approval(), s.drift()))
                .ifPresent(effect -> clears.addAll(effect.cleared()));
        if (clears.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Remedy("assign-owner", "have '" + s.target().id() + "' claimed by an accountable team "
                + "(an Ownership rule naming it), then ask that team", List.copyOf(clears),
                Map.of("element", s.target().id()), false));
    }

    /** What a changed situation does to the blocking reasons; empty when it clears none of them or cannot be evaluated. */
    private Optional<Effect> probe(Situation original, Blocking blocking, Situation changed) {
        List<String> paths = Changes.between(original, changed);
        if (blocking.untouchedBy(paths)) {
            // no blocking reason reads what the lever changed: the evaluation would clear none of them
            return Optional.empty();
        }
        Evaluation evaluation = intent.evaluateWhatIf(new EvaluationContext(changed.target(), changed.request(),
                changed.radius(), changed.now(), changed.model(), changed.drift()), blocking.evaluation(), paths);
        if (!evaluation.errors().isEmpty()) {
            return Optional.empty();
        }
        Verdict verdict = combiner.combine(changed.request(), changed.target(), evaluation, changed.approval());
        Set<String> now = blocking(verdict);
        Set<String> cleared = new LinkedHashSet<>(blocking.sources());
        cleared.removeAll(now);
        if (cleared.isEmpty()) {
            return Optional.empty();
        }
        Set<String> introduced = new LinkedHashSet<>(now);
        introduced.removeAll(blocking.sources());
        return Optional.of(new Effect(List.copyOf(cleared), List.copyOf(introduced), verdict.outcome() == Outcome.ALLOW));
    }

    /**
     * The blocking reasons, with what decides each when levers are pruned: a match's source as the
     * intent reports it; the missing decision right as this class's combiner reads it.
     */
    private Blocking blocking(Situation situation, Set<String> sources, Evaluation evaluation) {
        if (!pruned) {
            // the reference the tests hold pruning to: every lever, every rule evaluated afresh
            return new Blocking(sources, null, null);
        }
        Inputs[] decidedBy = new Inputs[sources.size()];
        int i = 0;
        for (String source : sources) {
            decidedBy[i++] = EffectCombiner.NO_RIGHT.equals(source) ? noRight(situation) : intent.inputs(source);
        }
        return new Blocking(sources, decidedBy, evaluation);
    }

    /**
     * What decides whether the missing decision right stays a blocking reason (EffectCombiner): it
     * goes when a permit appears (an allow match, or a right of the owning team the actor belongs to,
     * for the action in the target's environment), when a deny appears (the deny is then the reason),
     * or, for an approved request, when the owner's approval becomes the authority (taken as anything).
     */
    private Inputs noRight(Situation situation) {
        if (situation.approval() != null) {
            return Inputs.ALL;
        }
        long generation = intent.generation();
        Known known = noRight;
        if (known == null || known.generation() != generation) {
            known = new Known(generation, COMBINER.with(intent.inputs(dev.mandate.api.intent.Effect.ALLOW))
                    .with(intent.inputs(dev.mandate.api.intent.Effect.DENY)));
            noRight = known;
        }
        return known.inputs();
    }

    /** The sources of the reasons that keep a decision from being an ALLOW. */
    static Set<String> blocking(Verdict verdict) {
        Set<String> sources = new LinkedHashSet<>();
        for (Reason reason : verdict.reasons()) {
            if ("deny".equals(reason.effect()) || "require-approval".equals(reason.effect())) {
                sources.add(reason.source());
            }
        }
        return sources;
    }

    private static ActionRequest withActor(ActionRequest request, Actor actor) {
        return new ActionRequest(actor, request.action(), request.target(), request.justification(), request.before(),
                request.after(), request.context());
    }

    private static BlastRadius radius(BlastRadius radius, int count) {
        List<String> elements = radius.elements().subList(0, Math.min(count, radius.elements().size()));
        return new BlastRadius(count, count == 0 ? 0 : radius.depth(), radius.owners(), radius.environments(),
                radius.trustZones(), elements, false);
    }

    /**
     * The sources of the reasons that keep a decision from being an ALLOW, the inputs that decide
     * each ({@code null} when levers are not pruned), and what the intent found for the decision
     * ({@code null}: unknown).
     */
    private record Blocking(Set<String> sources, Inputs[] decidedBy, Evaluation evaluation) {

        boolean contains(String source) {
            return sources.contains(source);
        }

        /**
         * Whether a lever that changes only the input at {@code path} (or under it) may clear a
         * blocking reason: some reason reads it. Always, when levers are not pruned. Saves building
         * the changed situation; {@link #untouchedBy} checks every probe all the same.
         */
        boolean mayBeClearedBy(String path) {
            if (decidedBy == null) {
                return true;
            }
            for (Inputs reads : decidedBy) {
                if (reads.reads(path)) {
                    return true;
                }
            }
            return false;
        }

        /**
         * Whether a change of the situation at these paths ({@link Changes}; null: anything may have
         * changed) leaves every blocking reason as it is, because none of them reads an input it
         * changes: evaluating it could then clear nothing.
         */
        boolean untouchedBy(List<String> paths) {
            if (decidedBy == null) {
                return false;
            }
            if (paths == null) {
                return false;
            }
            for (Inputs reads : decidedBy) {
                for (int i = 0, size = paths.size(); i < size; i++) {
                    if (reads.reads(paths.get(i))) {
                        return false;
                    }
                }
            }
            return true;
        }
    }

    /** What decides the missing decision right under one generation of what is in force. */
    private record Known(long generation, Inputs inputs) {
    }

    /** What one lever does: the reasons it takes away, those it brings, and whether the result is an ALLOW. */
    private record Effect(List<String> cleared, List<String> introduced, boolean sufficient) {
        Remedy remedy(String kind, String message, Map<String, Object> parameters) {
            String full = introduced.isEmpty() ? message : message + "; then " + String.join(", ", introduced) + " applies";
            return new Remedy(kind, full, cleared, parameters, sufficient);
        }
    }
}
