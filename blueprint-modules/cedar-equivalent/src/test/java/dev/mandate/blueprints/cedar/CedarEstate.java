package dev.mandate.blueprints.cedar;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mandate.api.decision.Action;
import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Actor;
import dev.mandate.api.decision.ActorKind;
import dev.mandate.api.decision.AgentInfo;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.ElementIds;
import dev.mandate.api.model.Relation;
import dev.mandate.api.model.RelationType;

/**
 * An estate written by {@code ../shared/bench/cedar-peer} ({@code meta.json}, {@code actors.ndjson},
 * {@code resources.ndjson}, {@code requests.ndjson}, {@code decisions.ndjson}) mapped onto Mandate, as
 * docs/cedar-agreement.md describes: resources become elements ({@code bench:infra:<type>:<account>:<id>})
 * with CONTAINS from their parent and DEPENDS_ON to what they depend on, actors become {@link Actor}s
 * whose groups are their teams and {@code role:<name>}, requests become {@link ActionRequest}s that
 * carry the Cedar verb in {@code context.verb}.
 */
public final class CedarEstate {

    /** The folder name of the agreement estate under {@code shared/bench}. */
    public static final String AGREEMENT = "agreement-10k";

    /** The element kind of a resource type: {@code bench:infra:<type>}. */
    public static final String KIND_PREFIX = "bench:infra:";

    /** The model id and prompt hash every AI actor of the estate declares (Cedar has no such rule). */
    static final AgentInfo AGENT = new AgentInfo("bench-agent-1",
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");

    /** One of Cedar's answers: {@code allow}, {@code deny} or {@code needs_approval}, its policy ids, the blast radius. */
    public record CedarDecision(int index, String decision, List<String> reasons, int blastRadius) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path folder;
    private final List<Element> elements;
    private final List<Relation> relations;
    private final Map<String, String> elementIds;
    private final Map<String, Actor> actors;
    private final List<ActionRequest> requests;
    private final List<String> verbs;

    private CedarEstate(Path folder, List<Element> elements, List<Relation> relations, Map<String, String> elementIds,
            Map<String, Actor> actors, List<ActionRequest> requests, List<String> verbs) {
        this.folder = folder;
        this.elements = elements;
        this.relations = relations;
        this.elementIds = elementIds;
        this.actors = actors;
        this.requests = requests;
        this.verbs = verbs;
    }

    /**
     * {@code shared/bench/<name>} found by walking up from {@code start} (the module folder when
     * Maven runs the tests), or empty when no parent holds it.
     */
    public static Optional<Path> findBench(Path start, String name) {
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("bench").resolve(name);
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Reads and maps the estate in {@code folder}; {@code maxRequests} &lt; 0 reads them all. */
    public static CedarEstate read(Path folder, int maxRequests) {
        try {
            JsonNode meta = JSON.readTree(folder.resolve("meta.json").toFile());
            Map<String, Boolean> frozen = new HashMap<>();
            for (JsonNode account : meta.get("accounts")) {
                frozen.put(account.get("id").asText(), account.get("frozen").asBoolean());
            }
            List<Element> elements = new ArrayList<>();
            List<Relation> relations = new ArrayList<>();
            Map<String, String> ids = new HashMap<>();
            List<JsonNode> resources = new ArrayList<>();
            lines(folder.resolve("resources.ndjson"), resources::add);
            for (JsonNode r : resources) {
                ids.put(r.get("id").asText(), elementId(r));
            }
            for (JsonNode r : resources) {
                elements.add(element(r, ids.get(r.get("id").asText()), frozen));
                String id = ids.get(r.get("id").asText());
                if (!r.get("parent").isNull()) {
                    relations.add(Relation.of(RelationType.CONTAINS, ids.get(r.get("parent").asText()), id));
                }
                for (JsonNode dependency : r.get("dependsOn")) {
                    relations.add(Relation.of(RelationType.DEPENDS_ON, id, ids.get(dependency.asText())));
                }
            }
            Map<String, Actor> actors = new LinkedHashMap<>();
            lines(folder.resolve("actors.ndjson"), a -> actors.put(a.get("id").asText(), actor(a)));
            List<ActionRequest> requests = new ArrayList<>();
            List<String> verbs = new ArrayList<>();
            lines(folder.resolve("requests.ndjson"), q -> {
                if (maxRequests < 0 || requests.size() < maxRequests) {
                    verbs.add(q.get("action").asText());
                    requests.add(request(q, actors, ids));
                }
            });
            return new CedarEstate(folder, List.copyOf(elements), List.copyOf(relations), Map.copyOf(ids),
                    Map.copyOf(actors), List.copyOf(requests), List.copyOf(verbs));
        } catch (IOException e) {
            throw new UncheckedIOException("estate '" + folder + "' could not be read", e);
        }
    }

    /** Cedar's answers, in request order ({@code decisions.ndjson}). */
    public List<CedarDecision> cedarDecisions() {
        List<CedarDecision> decisions = new ArrayList<>();
        try {
            lines(folder.resolve("decisions.ndjson"), d -> {
                List<String> reasons = new ArrayList<>();
                d.get("reasons").forEach(reason -> reasons.add(reason.asText()));
                decisions.add(new CedarDecision(d.get("i").asInt(), d.get("decision").asText(), List.copyOf(reasons),
                        d.get("blastRadius").asInt()));
            });
        } catch (IOException e) {
            throw new UncheckedIOException("decisions of '" + folder + "' could not be read", e);
        }
        return decisions;
    }

    public Path folder() {
        return folder;
    }

    public List<Element> elements() {
        return elements;
    }

    public List<Relation> relations() {
        return relations;
    }

    /** The element id of a Cedar resource id ({@code r-17}). */
    public String elementId(String resource) {
        return elementIds.get(resource);
    }

    public Map<String, Actor> actors() {
        return actors;
    }

    public List<ActionRequest> requests() {
        return requests;
    }

    /** The Cedar action of each request, in request order. */
    public List<String> verbs() {
        return verbs;
    }

    /** {@code bench:infra:<type>:<account>:<id>}. */
    static String elementId(JsonNode resource) {
        return ElementIds.require(KIND_PREFIX + resource.get("type").asText() + ":" + resource.get("account").asText()
                + ":" + resource.get("id").asText());
    }

    private static Element element(JsonNode r, String id, Map<String, Boolean> frozen) {
        String account = r.get("account").asText();
        List<String> tags = new ArrayList<>();
        r.get("tags").forEach(tag -> tags.add(tag.asText()));
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("rtype", r.get("type").asText());
        attributes.put("account", account);
        attributes.put("accountFrozen", frozen.getOrDefault(account, false));
        attributes.put("dataClass", r.get("dataClass").asText());
        attributes.put("isPublic", r.get("isPublic").asBoolean());
        attributes.put("tags", List.copyOf(tags));
        return new Element(id, ElementIds.kindOf(id), "bench", r.get("env").asText(), r.get("trustZone").asText(),
                r.get("owner").asText(), Map.of(), attributes, Map.of());
    }

    private static Actor actor(JsonNode a) {
        ActorKind kind = switch (a.get("kind").asText()) {
            case "human" -> ActorKind.HUMAN;
            case "system" -> ActorKind.SYSTEM;
            case "ai" -> ActorKind.AI;
            default -> throw new IllegalArgumentException("unknown actor kind '" + a.get("kind").asText() + "'");
        };
        List<String> groups = new ArrayList<>();
        a.get("teams").forEach(team -> groups.add(team.asText()));
        String team = groups.isEmpty() ? null : groups.get(0);
        a.get("roles").forEach(role -> groups.add("role:" + role.asText()));
        List<String> scope = new ArrayList<>();
        a.get("scope").forEach(account -> scope.add(account.asText()));
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("clearance", a.get("clearance").asLong());
        attributes.put("homeZone", a.get("homeZone").asText());
        attributes.put("disabled", a.get("disabled").asBoolean());
        attributes.put("scope", List.copyOf(scope));
        return new Actor(a.get("id").asText(), kind, team, groups, kind == ActorKind.AI ? AGENT : null,
                kind == ActorKind.HUMAN ? "password" : "workload-identity", attributes);
    }

    /** The Mandate action a Cedar verb maps to. */
    public static Action action(String verb) {
        return switch (verb) {
            case "read" -> Action.READ;
            case "create" -> Action.CREATE;
            case "update", "makePublic", "connect", "changeTrustZone" -> Action.UPDATE;
            case "delete" -> Action.DELETE;
            case "modifyIam" -> Action.ACCESS_GRANT;
            case "restart" -> Action.RESTART;
            case "scale" -> Action.SCALE;
            default -> throw new IllegalArgumentException("unknown cedar action '" + verb + "'");
        };
    }

    private static ActionRequest request(JsonNode q, Map<String, Actor> actors, Map<String, String> ids) {
        String verb = q.get("action").asText();
        Actor actor = actors.get(q.get("actor").asText());
        String target = ids.get(q.get("resource").asText());
        if (actor == null || target == null) {
            throw new IllegalArgumentException("request " + q.get("i") + " names an unknown actor or resource");
        }
        JsonNode c = q.get("context");
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("verb", verb);
        context.put("mfa", c.get("mfa").asBoolean());
        context.put("approved", c.get("approved").asBoolean());
        context.put("breakGlass", c.get("breakGlass").asBoolean());
        context.put("reason", c.get("reason").asText());
        context.put("sourceZone", c.get("sourceZone").asText());
        context.put("inChangeWindow", c.get("inChangeWindow").asBoolean());
        return new ActionRequest(actor, action(verb), target, "bench request " + q.get("i").asInt(), null, null,
                context);
    }

    private static void lines(Path file, Consumer<JsonNode> each) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank()) {
                    each.accept(JSON.readTree(line));
                }
            }
        }
    }
}
