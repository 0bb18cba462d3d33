package dev.mandate.kernel.decision.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Actor;
import dev.mandate.api.intent.Inputs;
import dev.mandate.api.intent.TargetDrift;
import dev.mandate.api.model.BlastRadius;
import dev.mandate.api.model.Element;

/**
 * Which inputs of an evaluation a lever changed: the paths ({@link Inputs}) at which two situations
 * differ, read the way the intent engine hands them to constraints ({@code actor.assurance},
 * {@code request.after.<key>}, {@code element.environment}, {@code blastRadius.count}, {@code now} …).
 * Pure.
 */
final class Changes {

    private Changes() {
    }

    /**
     * The paths at which {@code changed} differs from {@code original}; {@code null} when they differ in
     * what has no path (another model snapshot or approval): then anything may have changed.
     */
    static List<String> between(RemedyFinder.Situation original, RemedyFinder.Situation changed) {
        if (original.model() != changed.model() || !Objects.equals(original.approval(), changed.approval())) {
            return null;
        }
        List<String> paths = new ArrayList<>(4);
        request(original.request(), changed.request(), paths);
        element(original.target(), changed.target(), paths);
        radius(original, changed, paths);
        if (!Objects.equals(original.now(), changed.now())) {
            paths.add("now");
        }
        drift(original.drift(), changed.drift(), paths);
        return paths;
    }

    private static void request(ActionRequest a, ActionRequest b, List<String> paths) {
        if (a == b) {
            return;
        }
        actor(a.actor(), b.actor(), paths);
        if (a.action() != b.action()) {
            paths.add("request.action");
        }
        if (!Objects.equals(a.target(), b.target())) {
            paths.add("request.target");
        }
        if (!Objects.equals(a.justification(), b.justification())) {
            paths.add("request.justification");
        }
        keys("request.before", a.before(), b.before(), paths);
        keys("request.after", a.after(), b.after(), paths);
        keys("request.context", a.context(), b.context(), paths);
    }

    private static void actor(Actor a, Actor b, List<String> paths) {
        if (a == b) {
            return;
        }
        if (!Objects.equals(a.id(), b.id())) {
            paths.add("actor.id");
        }
        if (a.kind() != b.kind()) {
            paths.add("actor.kind");
        }
        if (!Objects.equals(a.team(), b.team())) {
            paths.add("actor.team");
        }
        if (!Objects.equals(a.groups(), b.groups())) {
            paths.add("actor.groups");
        }
        if (!Objects.equals(a.agent(), b.agent())) {
            paths.add("actor.agent");
        }
        if (!Objects.equals(a.assurance(), b.assurance())) {
            paths.add("actor.assurance");
        }
        keys("actor.attributes", a.attributes(), b.attributes(), paths);
    }

    private static void element(Element a, Element b, List<String> paths) {
        if (a == b) {
            return;
        }
        if (!Objects.equals(a.id(), b.id())) {
            // request.target reads the element's id where the request names none
            paths.add("element.id");
            paths.add("request.target");
        }
        if (!Objects.equals(a.kind(), b.kind())) {
            paths.add("element.kind");
        }
        if (!Objects.equals(a.provider(), b.provider())) {
            paths.add("element.provider");
        }
        if (!Objects.equals(a.environment(), b.environment())) {
            paths.add("element.environment");
        }
        if (!Objects.equals(a.trustZone(), b.trustZone())) {
            paths.add("element.trustZone");
        }
        if (!Objects.equals(a.owner(), b.owner())) {
            paths.add("element.owner");
        }
        keys("element.labels", a.labels(), b.labels(), paths);
        keys("element.attributes", a.attributes(), b.attributes(), paths);
        if (!Objects.equals(a.layers(), b.layers())) {
            paths.add("element"); // no constraint sees the layers; counted as a change of the whole element all the same
        }
    }

    /** Without a radius, the engine makes one of the target's owner, environment and trust zone. */
    private static void radius(RemedyFinder.Situation original, RemedyFinder.Situation changed, List<String> paths) {
        BlastRadius a = original.radius();
        BlastRadius b = changed.radius();
        if (a == b && a != null) {
            return;
        }
        if (a == null || b == null) {
            paths.add("blastRadius");
            return;
        }
        if (a.count() != b.count()) {
            paths.add("blastRadius.count");
        }
        if (a.depth() != b.depth()) {
            paths.add("blastRadius.depth");
        }
        if (!a.owners().equals(b.owners())) {
            paths.add("blastRadius.owners");
        }
        if (!a.environments().equals(b.environments())) {
            paths.add("blastRadius.environments");
        }
        if (!a.trustZones().equals(b.trustZones())) {
            paths.add("blastRadius.trustZones");
        }
        if (!a.elements().equals(b.elements())) {
            paths.add("blastRadius.elements");
        }
        if (a.truncated() != b.truncated()) {
            paths.add("blastRadius.truncated");
        }
    }

    private static void drift(TargetDrift a, TargetDrift b, List<String> paths) {
        if (Objects.equals(a, b)) {
            return;
        }
        if (a == null || b == null) {
            paths.add("drift");
            return;
        }
        if (!a.findings().equals(b.findings())) {
            paths.add("drift.open");
            paths.add("drift.kinds");
            paths.add("drift.findings");
        }
        if (a.inBlastRadius() != b.inBlastRadius()) {
            paths.add("drift.inBlastRadius");
        }
    }

    /** Each key whose value differs, or that only one of the maps holds. */
    private static void keys(String prefix, Map<String, ?> a, Map<String, ?> b, List<String> paths) {
        if (a == b) {
            return;
        }
        if (a == null || b == null) {
            paths.add(prefix);
            return;
        }
        for (Map.Entry<String, ?> entry : a.entrySet()) {
            if (!b.containsKey(entry.getKey()) || !Objects.equals(entry.getValue(), b.get(entry.getKey()))) {
                paths.add(prefix + "." + entry.getKey());
            }
        }
        for (String key : b.keySet()) {
            if (!a.containsKey(key)) {
                paths.add(prefix + "." + key);
            }
        }
    }
}
