package dev.mandate.kernel.decision.internal;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Actor;
import dev.mandate.api.decision.Reason;
import dev.mandate.api.decision.Remedy;
import dev.mandate.api.intent.TargetDrift;
import dev.mandate.api.intent.Notice;
import dev.mandate.api.model.BlastRadius;

/** The evidence payload of one decision: plain maps and lists, so the ledger can canonicalise it. */
final class DecisionRecord {
    static final String TYPE = "decision";
    static final String DRY_RUN_TYPE = "decision.dry-run";

    private DecisionRecord() {
    }

    /**
     * The payload, built when the ledger first reads it: a decision hands the ledger its facts,
     * and the maps of its canonical form are made where the record is written, as part of the
     * evidence. Immutable once built; safe to read from any thread.
     *
     * @param approval the approval that released the decision, or {@code null}
     * @param grantExpiry when the decision's grant expires, or {@code null} without a grant
     * @param drift the open drift the decision was taken on
     * @param remedies what the actor can change to get an ALLOW (empty for an ALLOW)
     */
    static Map<String, Object> lazyPayload(String decisionId, ActionRequest request, Verdict verdict,
            BlastRadius blastRadius, List<String> blueprints, long intentGeneration, Map<String, Object> approval,
            String grantExpiry, TargetDrift drift, List<Remedy> remedies) {
        return new Lazy(() -> {
            Map<String, Object> payload = payload(decisionId, request, verdict, blastRadius, blueprints,
                    intentGeneration);
            if (approval != null) {
                payload.put("approval", approval);
            }
            if (grantExpiry != null) {
                payload.put("grant", Map.of("expiresAt", grantExpiry));
            }
            if (drift != null && (drift.revision() != 0 || !drift.isClean())) {
                payload.put("drift", drift(drift));
            }
            if (!remedies.isEmpty()) {
                payload.put("remedies", remedies(remedies));
            }
            return Collections.unmodifiableMap(payload);
        });
    }

    /** A read-only map whose entries are computed once, on first read. */
    private static final class Lazy extends AbstractMap<String, Object> {
        private final Supplier<Map<String, Object>> build;
        private volatile Map<String, Object> built;

        Lazy(Supplier<Map<String, Object>> build) {
            this.build = build;
        }

        private Map<String, Object> built() {
            Map<String, Object> map = built;
            if (map == null) {
                synchronized (this) {
                    map = built;
                    if (map == null) {
                        map = build.get();
                        built = map;
                    }
                }
            }
            return map;
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return built().entrySet();
        }

        @Override
        public Object get(Object key) {
            return built().get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            return built().containsKey(key);
        }

        @Override
        public int size() {
            return built().size();
        }
    }

    static Map<String, Object> payload(String decisionId, ActionRequest request, Verdict verdict,
            BlastRadius blastRadius, List<String> blueprints, long intentGeneration) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("decisionId", decisionId);
        payload.put("request", request(request));
        payload.put("outcome", verdict.outcome().name());
        List<Map<String, Object>> reasons = new ArrayList<>();
        for (Reason reason : verdict.reasons()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("source", reason.source());
            entry.put("effect", reason.effect());
            entry.put("message", reason.message());
            reasons.add(entry);
        }
        payload.put("reasons", reasons);
        payload.put("obligations", verdict.obligations());
        if (!verdict.notices().isEmpty()) {
            List<Map<String, Object>> notices = new ArrayList<>();
            for (Notice notice : verdict.notices()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("kind", notice.kind().toString());
                entry.put("source", notice.source());
                entry.put("rule", notice.match().source());
                entry.put("message", notice.message());
                notices.add(entry);
            }
            payload.put("notices", notices);
        }
        payload.put("approvers", verdict.approvers());
        if (blastRadius != null) {
            Map<String, Object> radius = new LinkedHashMap<>();
            radius.put("count", blastRadius.count());
            radius.put("owners", blastRadius.owners());
            radius.put("truncated", blastRadius.truncated());
            payload.put("blastRadius", radius);
        }
        payload.put("blueprints", blueprints);
        payload.put("intentGeneration", intentGeneration);
        return payload;
    }

    /** The drift the decision was taken on: the reconciler's revision and the open findings' ids. */
    static Map<String, Object> drift(TargetDrift drift) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("revision", drift.revision());
        List<Object> findings = new ArrayList<>(drift.findings().size());
        for (TargetDrift.Finding finding : drift.findings()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", finding.id());
            entry.put("kind", finding.kind());
            entry.put("severity", finding.severity());
            findings.add(entry);
        }
        map.put("findings", findings);
        map.put("inBlastRadius", drift.inBlastRadius());
        return map;
    }

    /** The remedies as plain maps, most useful first, as the decision answers them. */
    static List<Object> remedies(List<Remedy> remedies) {
        List<Object> list = new ArrayList<>(remedies.size());
        for (Remedy remedy : remedies) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("kind", remedy.kind());
            entry.put("message", remedy.message());
            entry.put("clears", remedy.clears());
            entry.put("parameters", plain(remedy.parameters()));
            entry.put("sufficient", remedy.sufficient());
            list.add(entry);
        }
        return list;
    }

    /** Parameters as JSON values: maps, lists, text, numbers and booleans; anything else as text. */
    private static Object plain(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
                || value instanceof Long || value instanceof Double) {
            return value;
        }
        if (value instanceof Number number) {
            return number.longValue();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((key, entry) -> copy.put(String.valueOf(key), plain(entry)));
            return copy;
        }
        if (value instanceof java.util.Collection<?> collection) {
            List<Object> copy = new ArrayList<>(collection.size());
            collection.forEach(item -> copy.add(plain(item)));
            return copy;
        }
        return String.valueOf(value);
    }

    private static Map<String, Object> request(ActionRequest request) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("actor", actor(request.actor()));
        map.put("action", request.action().wireName());
        map.put("target", request.target());
        map.put("justification", request.justification());
        if (!request.before().isEmpty()) {
            map.put("before", request.before());
        }
        if (!request.after().isEmpty()) {
            map.put("after", request.after());
        }
        if (!request.context().isEmpty()) {
            map.put("context", request.context());
        }
        return map;
    }

    private static Map<String, Object> actor(Actor actor) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", actor.id());
        map.put("kind", actor.kind().name());
        map.put("team", actor.team());
        map.put("groups", actor.groups());
        if (actor.agent() != null) {
            Map<String, Object> agent = new LinkedHashMap<>();
            agent.put("model", actor.agent().model());
            agent.put("promptSha256", actor.agent().promptSha256());
            map.put("agent", agent);
        }
        map.put("assurance", actor.assurance());
        return map;
    }
}
