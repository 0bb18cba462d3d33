package dev.mandate.kernel.reconciler.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.mandate.api.decision.Action;
import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Actor;
import dev.mandate.api.decision.ActorKind;
import dev.mandate.api.intent.Effect;
import dev.mandate.api.intent.ElementOwnership;
import dev.mandate.api.intent.Evaluation;
import dev.mandate.api.intent.EvaluationContext;
import dev.mandate.api.intent.IntentService;
import dev.mandate.api.intent.RuleMatch;
import dev.mandate.api.model.BlastRadius;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.ElementPage;
import dev.mandate.api.model.ElementQuery;
import dev.mandate.api.model.ModelSnapshot;
import dev.mandate.api.model.Relation;
import dev.mandate.api.model.RelationType;
import dev.mandate.kernel.reconciler.DriftKind;
import dev.mandate.kernel.reconciler.internal.DriftDetector.Candidate;

/**
 * Judges observed data flows (IOM §8) against the blueprints' data-flow rules: every
 * {@code FLOWS_DATA_TO} relation a source observed (it carries {@code observedBy}) is evaluated as
 * {@code context.flow} of a system read of its source element, through {@link IntentService#evaluate}
 * on the same revision (the trust zones of both ends come from the model). A data-flow rule that
 * denies the flow or makes it subject to approval is a {@link DriftKind#DATAFLOW} candidate: its id is
 * {@code dataflow:<from>-><to>#<rule>}, its path the rule ({@code <blueprint>@<version>#dataflow:<id>}),
 * expected the rule's effect, actual the flow (ends, zones, classifications, volume, ports, who
 * observed it, the owners of both ends). The classification a flow carries is that of its source
 * ({@code dataClassification} label or attribute). Stateless and thread-safe.
 */
final class FlowRuleCheck {
    private static final String DATAFLOW = "#dataflow:";
    private static final Actor RECONCILER = new Actor(DriftTracker.RECONCILER_ACTOR, ActorKind.SYSTEM, null, List.of(),
            null, null);

    /** Every data-flow rule violation among the observed flows of {@code snapshot}, keyed by finding id. */
    Map<String, Candidate> detect(ModelSnapshot snapshot, IntentService intent, Instant now) {
        Map<String, Candidate> found = new LinkedHashMap<>();
        String cursor = null;
        do {
            ElementPage page = snapshot.query(new ElementQuery(null, null, null, null, null, null, cursor, 1000));
            for (Element element : page.items()) {
                detect(snapshot, intent, now, element, found);
            }
            cursor = page.nextCursor();
        } while (cursor != null);
        return found;
    }

    /** The violations among the observed flows out of one element. */
    void detect(ModelSnapshot snapshot, IntentService intent, Instant now, Element element,
            Map<String, Candidate> found) {
        for (Relation relation : snapshot.outgoing(element.id())) {
            if (relation.type() == RelationType.FLOWS_DATA_TO && relation.properties().get("observedBy") != null) {
                judge(snapshot, intent, now, element, relation, found);
            }
        }
    }

    /** The elements whose observed flows a change of {@code id} can affect: itself and the sources of flows into it. */
    static java.util.Set<String> affected(ModelSnapshot snapshot, String id) {
        java.util.Set<String> sources = new java.util.HashSet<>();
        sources.add(id);
        for (Relation relation : snapshot.incoming(id)) {
            if (relation.type() == RelationType.FLOWS_DATA_TO) {
                sources.add(relation.from());
            }
        }
        return sources;
    }

    private void judge(ModelSnapshot snapshot, IntentService intent, Instant now, Element from, Relation relation,
            Map<String, Candidate> found) {
        Element to = snapshot.element(relation.to()).orElse(null);
        if (to == null) {
            return;
        }
        Set<String> classifications = classifications(from);
        Map<String, Object> flow = new LinkedHashMap<>();
        flow.put("type", RelationType.FLOWS_DATA_TO.name());
        flow.put("from", from.id());
        flow.put("to", to.id());
        flow.put("classifications", List.copyOf(classifications));
        ActionRequest request = new ActionRequest(RECONCILER, Action.READ, from.id(),
                "observed data flow to '" + to.id() + "'", null, null, Map.of("flow", flow, "observed", true));
        Evaluation evaluation;
        try {
            evaluation = intent.evaluate(new EvaluationContext(from, request, BlastRadius.none(from.owner(), from.environment(), from.trustZone()), now,
                    snapshot));
        } catch (RuntimeException e) {
            return; // an intent that cannot judge this flow now is judged again at the next pass
        }
        for (RuleMatch match : evaluation.matches()) {
            int at = match.source().indexOf(DATAFLOW);
            if (at < 0 || match.effect() == Effect.ALLOW) {
                continue;
            }
            String rule = match.source().substring(at + 1);
            Map<String, Object> observed = new LinkedHashMap<>();
            observed.put("from", from.id());
            observed.put("to", to.id());
            observed.put("fromTrustZone", from.trustZone());
            observed.put("toTrustZone", to.trustZone());
            observed.put("classifications", List.copyOf(classifications));
            for (String key : List.of("observedBy", "bytes", "packets", "flows", "ports", "firstSeen", "lastSeen")) {
                if (relation.properties().get(key) != null) {
                    observed.put(key, relation.properties().get(key));
                }
            }
            List<String> owners = new ArrayList<>(new LinkedHashSet<>(java.util.stream.Stream.of(owner(intent, from),
                    owner(intent, to)).filter(java.util.Objects::nonNull).toList()));
            observed.put("owners", owners);
            String severity = match.severity() == null ? "high" : match.severity().toLowerCase(Locale.ROOT);
            found.put(DriftKind.DATAFLOW.wireName() + ":" + from.id() + "->" + to.id() + "#" + rule,
                    new Candidate(DriftKind.DATAFLOW, from.id(), from.kind(), owner(intent, from), match.source(),
                            match.effect().toString(), observed, null, "observed flow from '" + from.id() + "' ("
                                    + from.trustZone() + ") to '" + to.id() + "' (" + to.trustZone() + ") breaks "
                                    + match.source() + " (" + match.effect().toString() + "; owners "
                                    + (owners.isEmpty() ? "none" : String.join(", ", owners)) + "): " + match.message(),
                            from.id() + "->" + to.id() + "#" + rule, severity, match.source()));
        }
    }

    private static Set<String> classifications(Element element) {
        Set<String> carried = new LinkedHashSet<>();
        String label = element.labels().get("dataClassification");
        if (label != null && !label.isBlank()) {
            carried.add(label);
        }
        Object attribute = element.attributes().get("dataClassification");
        if (attribute instanceof List<?> list) {
            list.forEach(item -> carried.add(String.valueOf(item)));
        } else if (attribute != null && !String.valueOf(attribute).isBlank()) {
            carried.add(String.valueOf(attribute));
        }
        return carried;
    }

    private static String owner(IntentService intent, Element element) {
        try {
            return intent.ownership(element).map(ElementOwnership::accountable).orElse(element.owner());
        } catch (RuntimeException e) {
            return element.owner();
        }
    }
}
