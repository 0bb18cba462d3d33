package dev.mandate.benchmarks.decision;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.cedarpolicy.BasicAuthorizationEngine;
import com.cedarpolicy.model.AuthorizationRequest;
import com.cedarpolicy.model.AuthorizationSuccessResponse;
import com.cedarpolicy.model.entity.Entity;
import com.cedarpolicy.model.exception.AuthException;
import com.cedarpolicy.model.policy.Policy;
import com.cedarpolicy.model.policy.PolicySet;
import com.cedarpolicy.value.CedarList;
import com.cedarpolicy.value.EntityTypeName;
import com.cedarpolicy.value.EntityUID;
import com.cedarpolicy.value.PrimBool;
import com.cedarpolicy.value.PrimLong;
import com.cedarpolicy.value.PrimString;
import com.cedarpolicy.value.Value;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Actor;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.ModelSnapshot;
import dev.mandate.api.model.Relation;
import dev.mandate.api.model.RelationType;
import dev.mandate.blueprints.cedar.CedarEstate;

/**
 * Cedar's Java binding (cedar-java, JNI into the Rust engine) deciding the same requests on the
 * same estate, the way {@code ../shared/bench/cedar-peer/CedarJavaBaseline.java} drives it: per
 * request the entity slice (actor, the resource and its containment chain, its account, the action
 * chain) and the context with the blast radius, then {@code isAuthorized}; a deny whose forbids are
 * all {@code @outcome("approval")} is asked again with {@code approved = true} to tell
 * needs_approval from deny. Benchmark scope only: cedar-java is never part of the product.
 */
final class CedarJavaPeer {

    private static final EntityTypeName ACTOR = type("Infra::Actor");
    private static final EntityTypeName RESOURCE = type("Infra::Resource");
    private static final EntityTypeName ACCOUNT = type("Infra::Account");
    private static final EntityTypeName TEAM = type("Infra::Team");
    private static final EntityTypeName ROLE = type("Infra::Role");
    private static final EntityTypeName ORG = type("Infra::Org");
    private static final EntityTypeName ACTION = type("Infra::Action");
    private static final Map<String, String> ACTION_PARENT = Map.ofEntries(Map.entry("read", ""),
            Map.entry("create", "write"), Map.entry("update", "write"), Map.entry("delete", "write"),
            Map.entry("makePublic", "write"), Map.entry("modifyIam", "write"), Map.entry("connect", "write"),
            Map.entry("changeTrustZone", "write"), Map.entry("restart", "operate"), Map.entry("scale", "operate"),
            Map.entry("write", "mutate"), Map.entry("operate", "mutate"), Map.entry("mutate", ""));

    /** One request, resolved to what the slice needs. */
    private record Query(Actor actor, String verb, Element resource, Map<String, Object> context, long blastRadius) {
    }

    private final BasicAuthorizationEngine engine = new BasicAuthorizationEngine();
    private final PolicySet policies;
    private final Map<String, String> outcomes = new HashMap<>();
    private final Map<String, String> parents = new HashMap<>();
    private final Map<String, Element> elements = new HashMap<>();
    private final Map<String, Boolean> frozen = new HashMap<>();
    private final Map<String, List<Entity>> actionChains = new HashMap<>();
    private final Query[] queries;

    CedarJavaPeer(CedarEstate estate, ModelSnapshot model, Path policiesJson) throws IOException {
        Set<Policy> set = new HashSet<>();
        for (JsonNode policy : new ObjectMapper().readTree(policiesJson.toFile())) {
            set.add(new Policy(policy.get("text").asText(), policy.get("id").asText()));
            outcomes.put(policy.get("id").asText(), policy.get("outcome").asText());
        }
        policies = new PolicySet(set);
        try {
            policies.cache();
        } catch (com.cedarpolicy.model.exception.CacheException e) {
            throw new IllegalStateException("cedar could not parse the policies of '" + policiesJson + "'", e);
        }
        for (Element element : estate.elements()) {
            elements.put(element.id(), element);
            frozen.put((String) element.attributes().get("account"),
                    (Boolean) element.attributes().get("accountFrozen"));
        }
        for (Relation relation : estate.relations()) {
            if (relation.type() == RelationType.CONTAINS) {
                parents.put(relation.to(), relation.from());
            }
        }
        for (String action : ACTION_PARENT.keySet()) {
            List<Entity> chain = new ArrayList<>();
            for (String current = action; !current.isEmpty(); current = ACTION_PARENT.get(current)) {
                String parent = ACTION_PARENT.get(current);
                chain.add(new Entity(ACTION.of(current), new HashMap<>(),
                        parent.isEmpty() ? new HashSet<>() : new HashSet<>(Set.of(ACTION.of(parent)))));
            }
            actionChains.put(action, chain);
        }
        List<ActionRequest> requests = estate.requests();
        queries = new Query[requests.size()];
        Map<String, Long> radii = new HashMap<>();
        for (int i = 0; i < queries.length; i++) {
            ActionRequest request = requests.get(i);
            // Cedar is handed the blast radius (as the Node and Java baselines do); Mandate computes its own
            long radius = radii.computeIfAbsent(request.target(),
                    id -> (long) model.blastRadius(id, dev.mandate.blueprints.cedar.MandateHarness.BLAST_RELATIONS,
                            Integer.MAX_VALUE).count());
            queries[i] = new Query(request.actor(), (String) request.context().get("verb"),
                    elements.get(request.target()), request.context(), radius);
        }
    }

    int size() {
        return queries.length;
    }

    /** Cedar's answer to request {@code i}: {@code allow}, {@code deny} or {@code needs_approval}. */
    String decide(int i) {
        Query q = queries[i];
        try {
            Set<Entity> entities = slice(q);
            Map<String, Value> context = context(q, false);
            EntityUID principal = ACTOR.of(q.actor().id());
            EntityUID action = ACTION.of(q.verb());
            EntityUID resource = RESOURCE.of(nativeId(q.resource().id()));
            AuthorizationSuccessResponse first = engine.isAuthorized(
                    new AuthorizationRequest(principal, action, resource, context), policies, entities).success
                    .orElseThrow();
            if (first.isAllowed()) {
                return "allow";
            }
            Set<String> reasons = first.getReason();
            if (reasons.isEmpty()) {
                return "deny";
            }
            for (String id : reasons) {
                if (!"approval".equals(outcomes.get(id))) {
                    return "deny";
                }
            }
            AuthorizationSuccessResponse second = engine.isAuthorized(
                    new AuthorizationRequest(principal, action, resource, context(q, true)), policies, entities)
                    .success.orElseThrow();
            return second.isAllowed() ? "needs_approval" : "deny";
        } catch (AuthException e) {
            throw new IllegalStateException("cedar failed on request " + i, e);
        }
    }

    private Set<Entity> slice(Query q) {
        Set<Entity> entities = new HashSet<>();
        Actor actor = q.actor();
        Map<String, Value> attributes = new HashMap<>();
        attributes.put("kind", new PrimString(actor.kind().name().toLowerCase(java.util.Locale.ROOT)));
        attributes.put("clearance", new PrimLong((Long) actor.attributes().get("clearance")));
        attributes.put("homeZone", new PrimString((String) actor.attributes().get("homeZone")));
        attributes.put("disabled", new PrimBool((Boolean) actor.attributes().get("disabled")));
        List<Value> scope = new ArrayList<>();
        for (Object account : (List<?>) actor.attributes().get("scope")) {
            scope.add(ACCOUNT.of((String) account));
        }
        attributes.put("scope", new CedarList(scope));
        Set<EntityUID> memberOf = new HashSet<>();
        for (String group : actor.groups()) {
            memberOf.add(group.startsWith("role:") ? ROLE.of(group.substring(5)) : TEAM.of(group));
        }
        entities.add(new Entity(ACTOR.of(actor.id()), attributes, memberOf));
        String account = (String) q.resource().attributes().get("account");
        for (String id = q.resource().id(); id != null; id = parents.get(id)) {
            Element r = elements.get(id);
            Map<String, Value> ra = new HashMap<>();
            ra.put("rtype", new PrimString((String) r.attributes().get("rtype")));
            ra.put("owner", TEAM.of(r.owner()));
            ra.put("env", new PrimString(r.environment()));
            ra.put("trustZone", new PrimString(r.trustZone()));
            ra.put("dataClass", new PrimString((String) r.attributes().get("dataClass")));
            ra.put("isPublic", new PrimBool((Boolean) r.attributes().get("isPublic")));
            List<Value> tags = new ArrayList<>();
            for (Object tag : (List<?>) r.attributes().get("tags")) {
                tags.add(new PrimString((String) tag));
            }
            ra.put("tags", new CedarList(tags));
            ra.put("account", ACCOUNT.of(account));
            String parent = parents.get(id);
            entities.add(new Entity(RESOURCE.of(nativeId(id)), ra, new HashSet<>(Set.of(
                    parent == null ? ACCOUNT.of(account) : RESOURCE.of(nativeId(parent))))));
        }
        entities.add(new Entity(ACCOUNT.of(account), new HashMap<>(Map.of("frozen", new PrimBool(frozen.get(account)))),
                new HashSet<>(Set.of(ORG.of("acme")))));
        entities.addAll(actionChains.get(q.verb()));
        return entities;
    }

    private static Map<String, Value> context(Query q, boolean approved) {
        Map<String, Object> c = q.context();
        Map<String, Value> context = new HashMap<>();
        context.put("mfa", new PrimBool((Boolean) c.get("mfa")));
        context.put("approved", new PrimBool(approved || (Boolean) c.get("approved")));
        context.put("breakGlass", new PrimBool((Boolean) c.get("breakGlass")));
        context.put("reason", new PrimString((String) c.get("reason")));
        context.put("sourceZone", new PrimString((String) c.get("sourceZone")));
        context.put("inChangeWindow", new PrimBool((Boolean) c.get("inChangeWindow")));
        context.put("blastRadius", new PrimLong(q.blastRadius()));
        return context;
    }

    /** {@code r-17} of {@code bench:infra:vm:acct-3:r-17}. */
    private static String nativeId(String elementId) {
        return elementId.substring(elementId.lastIndexOf(':') + 1);
    }

    private static EntityTypeName type(String name) {
        return EntityTypeName.parse(name).orElseThrow();
    }
}
