package dev.mandate.enforce.kubernetes.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.mandate.api.decision.Action;
import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Actor;
import dev.mandate.api.decision.ActorKind;
import dev.mandate.api.decision.AgentInfo;
import dev.mandate.api.enforcement.InvalidChangeException;
import dev.mandate.enforce.kubernetes.AdmissionReview;
import dev.mandate.enforce.kubernetes.KubernetesElementIds;

/**
 * Reads one AdmissionRequest into the action request it proposes: the element id of {@code docs/ids.md}, the
 * action, the actor from the user info, the object views before and after, and the context (namespace policy,
 * Pod Security profile, what a create proposes about the new element). Says where the request is malformed.
 * Stateless apart from its settings; thread-safe.
 */
final class AdmissionMapper {

    static final String RBAC = "rbac.authorization.k8s.io";
    static final String SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";
    static final String JUSTIFICATION = "mandate.dev/justification";
    static final String CHANGE_TICKET = "mandate.dev/change-ticket";
    static final String AGENT_MODEL = "mandate.dev/agent-model";
    static final String PROMPT_SHA256 = "mandate.dev/prompt-sha256";
    static final String LABEL_PREFIX = "mandate.dev/";

    private static final Set<String> OPERATIONS = Set.of("CREATE", "UPDATE", "DELETE", "CONNECT");
    /** Namespaced kinds that must have a namespace even when the request omits it. */
    private static final Set<String> NAMESPACED = Set.of("pod", "deployment", "statefulset", "daemonset", "replicaset",
            "replicationcontroller", "job", "cronjob", "service", "networkpolicy", "role", "rolebinding", "configmap",
            "secret", "serviceaccount", "ingress", "persistentvolumeclaim", "endpoints", "limitrange", "resourcequota",
            "horizontalpodautoscaler", "poddisruptionbudget");
    /** Parents of subresources, by resource (plural) name. */
    private static final Map<String, String> KIND_OF_RESOURCE = Map.ofEntries(Map.entry("pods", "Pod"),
            Map.entry("deployments", "Deployment"), Map.entry("statefulsets", "StatefulSet"),
            Map.entry("daemonsets", "DaemonSet"), Map.entry("replicasets", "ReplicaSet"),
            Map.entry("replicationcontrollers", "ReplicationController"), Map.entry("jobs", "Job"),
            Map.entry("cronjobs", "CronJob"), Map.entry("services", "Service"),
            Map.entry("serviceaccounts", "ServiceAccount"), Map.entry("namespaces", "Namespace"),
            Map.entry("nodes", "Node"));

    private final Settings settings;

    AdmissionMapper(Settings settings) {
        this.settings = settings;
    }

    Admission read(AdmissionReview review) throws InvalidChangeException {
        if (!review.isRequest()) {
            throw new InvalidChangeException(review.pointer(""), "this admission review is an answer, not a request");
        }
        Map<String, Object> in = review.request();
        String uid = requiredText(review, in, "uid");
        String operation = requiredText(review, in, "operation");
        if (!OPERATIONS.contains(operation)) {
            throw new InvalidChangeException(review.pointer("/operation"), "operation '" + operation
                    + "' is unknown (known: CREATE, UPDATE, DELETE, CONNECT)");
        }
        Map<?, ?> gvk = object(review, in, "kind", true);
        String kind = text(review, gvk, "kind", "/kind/kind", true);
        String group = text(review, gvk, "group", "/kind/group", false);
        String version = text(review, gvk, "version", "/kind/version", false);
        Map<?, ?> userInfo = object(review, in, "userInfo", true);
        String username = text(review, userInfo, "username", "/userInfo/username", true);
        List<String> groups = stringList(review, userInfo.get("groups"), "/userInfo/groups");
        Map<?, ?> object = object(review, in, "object", false);
        Map<?, ?> oldObject = object(review, in, "oldObject", false);
        if (("CREATE".equals(operation) || "UPDATE".equals(operation)) && object == null) {
            throw new InvalidChangeException(review.pointer("/object"), "a " + operation.toLowerCase()
                    + " request carries the object it writes");
        }
        String subResource = optionalText(review, in, "subResource");
        Map<?, ?> resource = object(review, in, "resource", false);
        String resourceName = resource == null ? null : text(review, resource, "resource", "/resource/resource", false);
        String namespace = optionalText(review, in, "namespace");
        if ("CONNECT".equals(operation)) {
            return new Admission(uid, operation, null, "connect operations (exec, attach, port-forward, proxy) are "
                    + "not decided");
        }
        if ("status".equals(subResource)) {
            return new Admission(uid, operation, null, "status updates are not decided");
        }

        // the element: the object itself, or for a subresource its parent
        String targetKind = kind;
        String targetGroup = group;
        if (subResource != null && resourceName != null && KIND_OF_RESOURCE.containsKey(resourceName)) {
            targetKind = KIND_OF_RESOURCE.get(resourceName);
            targetGroup = text(review, resource, "group", "/resource/group", false);
        }
        Map<?, ?> current = object != null ? object : oldObject;
        Map<?, ?> metadata = current == null ? Map.of() : PodSpecView.map(current.get("metadata"));
        if (namespace == null && metadata.get("namespace") instanceof String ns && !ns.isBlank()) {
            namespace = ns;
        }
        boolean clusterScoped = KubernetesElementIds.isClusterScoped(targetKind)
                || (namespace == null && !NAMESPACED.contains(targetKind.toLowerCase(java.util.Locale.ROOT)));
        if (clusterScoped) {
            namespace = null;
        } else if (namespace == null) {
            namespace = "default";
        }
        if (settings.isExempt(namespace)) {
            return new Admission(uid, operation, null, "namespace '" + namespace + "' is exempt");
        }
        String name = optionalText(review, in, "name");
        boolean provisional = false;
        if (name == null && metadata.get("name") instanceof String n && !n.isBlank()) {
            name = n;
        }
        if (name == null && "CREATE".equals(operation) && subResource == null
                && metadata.get("generateName") instanceof String generate && !generate.isBlank()) {
            name = "~" + generate;
            provisional = true;
        }
        if (name == null) {
            throw new InvalidChangeException(review.pointer("/name"), "the request names no object (no name, no "
                    + "metadata.name, no generateName)");
        }

        NamespacePolicy policy = settings.policyFor(namespace);
        String namespaceName = "Namespace".equals(kind) && group.isEmpty() ? name : null;
        if (namespaceName != null && object != null) {
            // a namespace's own mandate.dev/* labels fill what the configuration leaves open
            Map<String, String> labels = ObjectView.strings(metadata.get("labels"));
            String profile = labels.get(LABEL_PREFIX + "pod-security");
            policy = settings.configured(namespaceName).or(new NamespacePolicy(labels.get(LABEL_PREFIX + "environment"),
                    labels.get(LABEL_PREFIX + "trust-zone"), profile != null && Settings.PROFILES.contains(profile)
                            ? profile : null, labels.get(LABEL_PREFIX + "owner"))).or(settings.defaults());
        }

        Map<String, Object> before = ObjectView.of(oldObject, kind);
        Map<String, Object> after = ObjectView.of(object, kind);
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("source", "kubernetes-admission");
        context.put("cluster", settings.cluster());
        if (namespace != null) {
            context.put("namespace", namespace);
        }
        context.put("operation", operation);
        context.put("admissionUid", uid);
        context.put("dryRun", Boolean.TRUE.equals(in.get("dryRun")));
        Map<String, Object> kindMap = new LinkedHashMap<>();
        kindMap.put("group", group);
        kindMap.put("version", version);
        kindMap.put("kind", kind);
        context.put("kind", kindMap);
        if (resourceName != null) {
            context.put("resource", resourceName);
        }
        if (subResource != null) {
            context.put("subResource", subResource);
        }
        context.put("podSecurity", policy.podSecurity() == null ? "privileged" : policy.podSecurity());
        context.put("namespacePolicy", policy.toMap());
        if (provisional) {
            context.put("provisional", true);
        }

        Action action;
        String target;
        boolean binding = RBAC.equals(group) && ("RoleBinding".equals(kind) || "ClusterRoleBinding".equals(kind))
                && subResource == null;
        if (binding) {
            String bindingId = id(review, group, kind, namespace, name);
            Map<?, ?> roleRef = PodSpecView.map((current == null ? Map.of() : current).get("roleRef"));
            String roleKind = roleRef.get("kind") instanceof String k ? k : null;
            String roleName = roleRef.get("name") instanceof String n ? n : null;
            if (roleName == null || !("Role".equals(roleKind) || "ClusterRole".equals(roleKind))) {
                throw new InvalidChangeException(review.pointer(object != null ? "/object/roleRef" : "/oldObject/roleRef"),
                        "a binding names the role it grants (roleRef.kind Role or ClusterRole, and roleRef.name)");
            }
            target = id(review, RBAC, roleKind, "Role".equals(roleKind) ? namespace : null, roleName);
            List<String> granted = grantees(object, namespace);
            List<String> held = grantees(oldObject, namespace);
            action = switch (operation) {
                case "CREATE" -> Action.ACCESS_GRANT;
                case "DELETE" -> Action.ACCESS_REVOKE;
                default -> !held.containsAll(granted) || granted.containsAll(held) ? Action.ACCESS_GRANT
                        : Action.ACCESS_REVOKE;
            };
            List<String> grantees = "DELETE".equals(operation) ? held : granted;
            context.put("binding", bindingId);
            context.put("roleRef", Map.of("kind", roleKind, "name", roleName));
            context.put("grantees", grantees);
            if (grantees.size() == 1) {
                context.put("grantee", grantees.get(0));
            }
            if ("UPDATE".equals(operation)) {
                List<String> added = new ArrayList<>(granted);
                added.removeAll(held);
                List<String> removed = new ArrayList<>(held);
                removed.removeAll(granted);
                context.put("granteesAdded", added);
                context.put("granteesRemoved", removed);
            }
        } else {
            target = id(review, targetGroup, targetKind, namespace, name);
            if ("scale".equals(subResource)) {
                action = Action.SCALE;
            } else if ("eviction".equals(subResource)) {
                action = Action.DELETE;
            } else if (subResource != null) {
                action = Action.UPDATE;
            } else {
                action = switch (operation) {
                    case "CREATE" -> Action.CREATE;
                    case "DELETE" -> Action.DELETE;
                    default -> Action.UPDATE;
                };
            }
            if ("scale".equals(subResource)) {
                after = replicas(object);
                before = replicas(oldObject);
            }
        }
        if (action == Action.CREATE) {
            Map<String, Object> proposed = new LinkedHashMap<>();
            Map<String, String> labels = ObjectView.strings(metadata.get("labels"));
            String owner = policy.owner() != null ? policy.owner() : labels.get(LABEL_PREFIX + "owner");
            if (owner != null) {
                proposed.put("owner", owner);
            }
            if (policy.environment() != null) {
                proposed.put("environment", policy.environment());
            }
            if (policy.trustZone() != null) {
                proposed.put("trustZone", policy.trustZone());
            }
            proposed.put("labels", labels);
            context.put("proposed", proposed);
        }

        Map<String, String> annotations = ObjectView.strings(metadata.get("annotations"));
        String justification = annotations.get(JUSTIFICATION);
        String changeTicket = annotations.get(CHANGE_TICKET);
        if (changeTicket != null && !changeTicket.isBlank()) {
            context.put("changeTicket", changeTicket.trim());
        }
        Actor actor = actor(username, groups, policy, namespace, annotations);
        return new Admission(uid, operation, new ActionRequest(actor, action, target,
                justification == null || justification.isBlank() ? null : justification, before, after, context),
                null);
    }

    /** Who asks: a service account (SYSTEM, acting for its namespace's owner), a configured system or AI user, or a human. */
    Actor actor(String username, List<String> groups, NamespacePolicy policy, String namespace,
            Map<String, String> annotations) {
        if (username.startsWith(SERVICE_ACCOUNT_PREFIX)) {
            String[] parts = username.substring(SERVICE_ACCOUNT_PREFIX.length()).split(":", 2);
            NamespacePolicy home = parts.length == 2 ? settings.policyFor(parts[0]) : NamespacePolicy.NONE;
            return new Actor(username, ActorKind.SYSTEM, home.owner(), groups, null, "service-account");
        }
        if (settings.isAiUser(username)) {
            return new Actor(username, ActorKind.AI, null, groups, new AgentInfo(annotations.get(AGENT_MODEL),
                    annotations.get(PROMPT_SHA256)), null);
        }
        if (settings.isSystemUser(username)) {
            return new Actor(username, ActorKind.SYSTEM, null, groups, null, null);
        }
        return new Actor(username, ActorKind.HUMAN, null, groups, null, null);
    }

    private String id(AdmissionReview review, String group, String kind, String namespace, String name)
            throws InvalidChangeException {
        try {
            return KubernetesElementIds.of(group, kind, settings.cluster(), namespace, name);
        } catch (IllegalArgumentException e) {
            throw new InvalidChangeException(review.pointer("/name"), e.getMessage());
        }
    }

    private static Map<String, Object> replicas(Map<?, ?> scale) {
        Map<String, Object> view = new LinkedHashMap<>();
        Object replicas = scale == null ? null : PodSpecView.map(scale.get("spec")).get("replicas");
        if (replicas != null) {
            view.put("replicas", replicas);
        }
        return view;
    }

    /** The subjects of a binding as user names: service accounts as {@code system:serviceaccount:<ns>:<name>}. */
    private static List<String> grantees(Map<?, ?> binding, String namespace) {
        Set<String> names = new LinkedHashSet<>();
        if (binding == null) {
            return List.of();
        }
        for (Object item : PodSpecView.list(binding.get("subjects"))) {
            Map<?, ?> subject = PodSpecView.map(item);
            if (!(subject.get("name") instanceof String name)) {
                continue;
            }
            if ("ServiceAccount".equals(subject.get("kind"))) {
                String ns = subject.get("namespace") instanceof String s && !s.isBlank() ? s
                        : namespace == null ? "default" : namespace;
                names.add(SERVICE_ACCOUNT_PREFIX + ns + ":" + name);
            } else {
                names.add(name);
            }
        }
        return List.copyOf(names);
    }

    private static String requiredText(AdmissionReview review, Map<String, Object> in, String field)
            throws InvalidChangeException {
        Object value = in.get(field);
        if (!(value instanceof String text) || text.isBlank()) {
            throw new InvalidChangeException(review.pointer("/" + field), value == null
                    ? "the admission request has no " + field
                    : "the " + field + " of an admission request is a non-empty string, not " + describe(value));
        }
        return text;
    }

    private static String optionalText(AdmissionReview review, Map<String, Object> in, String field)
            throws InvalidChangeException {
        Object value = in.get(field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String text)) {
            throw new InvalidChangeException(review.pointer("/" + field), "the " + field
                    + " of an admission request is a string, not " + describe(value));
        }
        return text.isBlank() ? null : text;
    }

    private static String text(AdmissionReview review, Map<?, ?> in, String field, String pointer, boolean required)
            throws InvalidChangeException {
        Object value = in.get(field);
        if (value == null) {
            if (required) {
                throw new InvalidChangeException(review.pointer(pointer), "the admission request has no "
                        + pointer.substring(1).replace('/', '.'));
            }
            return "";
        }
        if (!(value instanceof String text) || (required && text.isBlank())) {
            throw new InvalidChangeException(review.pointer(pointer), pointer.substring(1).replace('/', '.')
                    + " is a non-empty string, not " + describe(value));
        }
        return text;
    }

    private static Map<?, ?> object(AdmissionReview review, Map<String, Object> in, String field, boolean required)
            throws InvalidChangeException {
        Object value = in.get(field);
        if (value == null) {
            if (required) {
                throw new InvalidChangeException(review.pointer("/" + field), "the admission request has no "
                        + field);
            }
            return null;
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new InvalidChangeException(review.pointer("/" + field), "the " + field
                    + " of an admission request is an object, not " + describe(value));
        }
        return map;
    }

    private static List<String> stringList(AdmissionReview review, Object value, String pointer)
            throws InvalidChangeException {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new InvalidChangeException(review.pointer(pointer), pointer.substring(1).replace('/', '.')
                    + " is a list of strings, not " + describe(value));
        }
        List<String> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof String text)) {
                throw new InvalidChangeException(review.pointer(pointer + "/" + i), "a group is a string, not "
                        + describe(list.get(i)));
            }
            out.add(text);
        }
        return out;
    }

    private static String describe(Object value) {
        if (value instanceof List<?>) {
            return "an array";
        }
        if (value instanceof Map<?, ?>) {
            return "an object";
        }
        if (value instanceof String s) {
            return "'" + s + "'";
        }
        return String.valueOf(value);
    }
}
