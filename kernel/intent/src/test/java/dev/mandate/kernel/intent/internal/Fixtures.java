package dev.mandate.kernel.intent.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mandate.api.decision.Action;
import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Actor;
import dev.mandate.api.decision.ActorKind;
import dev.mandate.api.decision.AgentInfo;
import dev.mandate.api.intent.EvaluationContext;
import dev.mandate.api.model.BlastRadius;
import dev.mandate.api.model.Element;

/** Requests, elements and an evidence recorder for the intent tests. */
final class Fixtures {

    static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

    static final String TEAMS = """
            apiVersion: mandate.dev/v1
            kind: Team
            metadata: {name: team-platform, version: 1.0.0, description: Platform engineering}
            spec:
              displayName: Platform
              groups: [grp-platform-engineers]
              decisionRights:
                - {id: operate, actions: [update, scale, restart], environments: []}
                - {id: approve-prod, actions: ["*"], environments: [prod], approve: true}
              escalation: [team-cto-office]
            """;

    static final String DATA_STORES = """
            apiVersion: mandate.dev/v1
            kind: Blueprint
            metadata: {name: prod-data-store, version: 1.0.0, owner: team-platform, description: Production data stores}
            spec:
              fallback: deny
              appliesTo: {kinds: [aws:rds:db-instance], match: 'element.environment == "prod"'}
              constraints:
                - id: no-ai-delete
                  when: 'request.action == "delete" && actor.kind == "AI"'
                  effect: deny
                  severity: critical
                  message: AI agent '${actor.id}' may not delete production data store ${element.id}
                - id: dependents
                  when: request.action == "delete" && blastRadius.count > 0
                  effect: require-approval
                  message: ${blastRadius.count} elements owned by ${blastRadius.owners} depend on it
                  obligations: [notify-dependents]
            """;

    private Fixtures() {
    }

    /** Waits until the condition holds, at most 10 s, polling. */
    static void await(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(java.time.Duration.ofMillis(5).toNanos());
        }
    }

    static IntentSource file(String name, String text) {
        return new IntentSource("file:/etc/mandate/blueprints/" + name,
                List.of(new IntentSource.File(name, "file:/etc/mandate/blueprints/" + name, text)));
    }

    static IntentSource bundle(String symbolicName, Map<String, String> files) {
        List<IntentSource.File> list = new ArrayList<>();
        files.forEach((name, text) -> list.add(new IntentSource.File(name, "bundle:" + symbolicName + "/" + name, text)));
        return new IntentSource("bundle:" + symbolicName, list);
    }

    static Element element(String id, String environment, String owner, Map<String, Object> attributes) {
        String[] parts = id.split(":");
        return new Element(id, parts[0] + ":" + parts[1] + ":" + parts[2], parts[0], environment, "eu-internal", owner,
                Map.of(), attributes, Map.of());
    }

    static Element rds(String environment) {
        return element("aws:rds:db-instance:eu-west-1:111122223333:orders-" + environment, environment,
                "team-payments", Map.of("storageEncrypted", true, "engine", "postgres"));
    }

    static Actor ai(String id) {
        return new Actor(id, ActorKind.AI, "team-payments", List.of(), new AgentInfo("model-x", "abc123"), null);
    }

    static Actor human(String id) {
        return new Actor(id, ActorKind.HUMAN, "team-payments", List.of("grp-payments-engineers"), null, "mfa");
    }

    static EvaluationContext context(Element target, Actor actor, Action action) {
        return context(target, actor, action, Map.of(), Map.of(), BlastRadius.none(target.owner(),
                target.environment(), target.trustZone()));
    }

    static EvaluationContext context(Element target, Actor actor, Action action, Map<String, Object> after,
            Map<String, Object> requestContext, BlastRadius blastRadius) {
        return new EvaluationContext(target, new ActionRequest(actor, action, target.id(), "test", Map.of(), after,
                requestContext), blastRadius, NOW);
    }

    static BlastRadius dependents(int count, String... owners) {
        return new BlastRadius(count, 2, List.of(owners), List.of("prod"), List.of("eu-internal"), List.of(), false);
    }

    /** Keeps what would go to the ledger. */
    static final class Recorder implements EvidenceRecorder {
        final List<Map<String, Object>> records = new ArrayList<>();

        @Override
        public synchronized void record(String type, Map<String, Object> payload) {
            Map<String, Object> copy = new LinkedHashMap<>(payload);
            copy.put("type", type);
            records.add(copy);
        }

        synchronized List<String> types() {
            return records.stream().map(record -> (String) record.get("type")).toList();
        }

        synchronized Map<String, Object> last() {
            return records.get(records.size() - 1);
        }
    }
}
