package dev.mandate.connector.kubernetes.internal;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mandate.api.model.Element;
import dev.mandate.api.model.Relation;
import dev.mandate.api.model.RelationType;
import dev.mandate.enforce.kubernetes.KubernetesElementIds;

/**
 * Turns the items of list responses into elements under the ids the admission webhook decides on
 * ({@code k8s:<group>:<kind>:<cluster>:<namespace or _cluster>:<name>}), with a CONTAINS relation from each
 * object's namespace. Environment, trust zone and owner come from the object's labels {@code
 * mandate.dev/environment}, {@code mandate.dev/trust-zone}, {@code mandate.dev/owner}, else from its
 * namespace's. Not thread-safe: one per collection; namespaces must be read before the objects in them.
 */
final class ObjectElements {

    static final String ENVIRONMENT = "mandate.dev/environment";
    static final String TRUST_ZONE = "mandate.dev/trust-zone";
    static final String OWNER = "mandate.dev/owner";

    private static final ObjectMapper JSON = new ObjectMapper();
    /** What is not the object's own content: identity is in the id, status is what runs, not what was asked. */
    private static final Set<String> ENVELOPE = Set.of("metadata", "status", "kind", "apiVersion");

    private final String cluster;
    private final Map<String, Map<String, String>> namespaceLabels = new HashMap<>();

    ObjectElements(String cluster) {
        this.cluster = cluster;
    }

    /**
     * The element of one list item; {@code apiVersion} and {@code kind} are the list's (list items carry neither),
     * the kind without its {@code List} suffix.
     */
    Element element(String group, String apiVersion, String kind, JsonNode item) {
        JsonNode metadata = item.path("metadata");
        String name = metadata.path("name").asText("");
        String namespace = KubernetesElementIds.isClusterScoped(kind) ? null : metadata.path("namespace").asText(null);
        Map<String, String> labels = strings(metadata.path("labels"));
        if ("Namespace".equals(kind) && (group == null || group.isEmpty())) {
            namespaceLabels.put(name, labels);
        }
        Map<String, String> inherited = namespace == null ? Map.of() : namespaceLabels.getOrDefault(namespace, Map.of());
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("apiVersion", apiVersion);
        attributes.put("kind", kind);
        attributes.put("name", name);
        if (namespace != null) {
            attributes.put("namespace", namespace);
        }
        attributes.put("uid", metadata.path("uid").asText(null));
        Map<String, String> annotations = strings(metadata.path("annotations"));
        annotations.remove("kubectl.kubernetes.io/last-applied-configuration");
        if (!annotations.isEmpty()) {
            attributes.put("annotations", annotations);
        }
        if (metadata.path("ownerReferences").isArray() && !metadata.path("ownerReferences").isEmpty()) {
            attributes.put("ownerReferences", JSON.convertValue(metadata.path("ownerReferences"), Object.class));
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = item.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!ENVELOPE.contains(field.getKey())) {
                attributes.put(field.getKey(), JSON.convertValue(field.getValue(), Object.class));
            }
        }
        String id = KubernetesElementIds.of(group, kind, cluster, namespace, name);
        return new Element(id, "k8s:" + (group == null || group.isEmpty() ? "core" : group.toLowerCase(Locale.ROOT))
                + ":" + kind.toLowerCase(Locale.ROOT), "k8s", first(labels, inherited, ENVIRONMENT),
                first(labels, inherited, TRUST_ZONE), first(labels, inherited, OWNER), labels, attributes, Map.of());
    }

    /** The namespace's CONTAINS relation to a namespaced object's element, or {@code null} for a cluster-scoped one. */
    Relation containment(Element element) {
        Object namespace = element.attributes().get("namespace");
        if (namespace == null) {
            return null;
        }
        return Relation.of(RelationType.CONTAINS, KubernetesElementIds.of("", "Namespace", cluster, null,
                namespace.toString()), element.id());
    }

    /** The kind of the items of a list ({@code DeploymentList} → {@code Deployment}). */
    static String itemKind(JsonNode list) {
        String kind = list.path("kind").asText("");
        return kind.endsWith("List") ? kind.substring(0, kind.length() - 4) : kind;
    }

    private static String first(Map<String, String> own, Map<String, String> inherited, String key) {
        String value = own.get(key);
        return value != null && !value.isBlank() ? value : inherited.get(key);
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> values = new LinkedHashMap<>();
        object.fields().forEachRemaining(field -> values.put(field.getKey(), field.getValue().asText()));
        return values;
    }

}
