package dev.mandate.enforce.kubernetes.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a request's {@code before} and {@code after} hold for a Kubernetes object: the facts constraints need,
 * never the object's secrets.
 *
 * <pre>
 * apiVersion, kind, name, namespace, labels, annotations (without kubectl's last-applied-configuration),
 * ownerReferences: [{kind, name, controller}]
 * spec: the object's spec; for workloads without the pod template (it is in podSpec)
 * podSpec: for Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob (see PodSpecView)
 * replicas: spec.replicas, where the kind has it
 * serviceType: for a Service, spec.type (ClusterIP when unset); for a LoadBalancer also internal,
 *   publiclyAccessible and ingressRules [{source}]
 * ingressRules: for a NetworkPolicy, [{source (CIDR, "cluster", or 0.0.0.0/0 for a rule without peers), ports}]
 * rules, aggregationRule: for Role and ClusterRole;  roleRef, subjects: for RoleBinding and ClusterRoleBinding
 * type: for a Secret (its data never)
 * </pre>
 */
final class ObjectView {

    static final Set<String> WORKLOADS = Set.of("Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet",
            "ReplicationController", "Job", "CronJob");
    private static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
    private static final Set<String> OPEN = Set.of("0.0.0.0/0", "::/0");

    private ObjectView() {
    }

    static Map<String, Object> of(Map<?, ?> object, String requestKind) {
        Map<String, Object> view = new LinkedHashMap<>();
        if (object == null) {
            return view;
        }
        String kind = object.get("kind") instanceof String k && !k.isEmpty() ? k : requestKind;
        Map<?, ?> metadata = PodSpecView.map(object.get("metadata"));
        put(view, "apiVersion", object.get("apiVersion"));
        put(view, "kind", kind);
        put(view, "name", metadata.get("name"));
        put(view, "generateName", metadata.get("generateName"));
        put(view, "namespace", metadata.get("namespace"));
        view.put("labels", strings(metadata.get("labels")));
        Map<String, String> annotations = strings(metadata.get("annotations"));
        annotations.remove(LAST_APPLIED);
        view.put("annotations", annotations);
        List<Map<String, Object>> owners = new ArrayList<>();
        for (Object item : PodSpecView.list(metadata.get("ownerReferences"))) {
            Map<?, ?> reference = PodSpecView.map(item);
            Map<String, Object> owner = new LinkedHashMap<>();
            put(owner, "kind", reference.get("kind"));
            put(owner, "name", reference.get("name"));
            owner.put("controller", Boolean.TRUE.equals(reference.get("controller")));
            owners.add(owner);
        }
        view.put("ownerReferences", owners);
        Map<?, ?> spec = PodSpecView.map(object.get("spec"));
        if (WORKLOADS.contains(kind)) {
            Map<String, Object> rest = new LinkedHashMap<>();
            spec.forEach((key, value) -> rest.put(String.valueOf(key), value));
            Map<?, ?> podSpec;
            if ("Pod".equals(kind)) {
                podSpec = spec;
                rest.clear();
            } else if ("CronJob".equals(kind)) {
                podSpec = PodSpecView.map(PodSpecView.map(PodSpecView.map(PodSpecView.map(spec.get("jobTemplate"))
                        .get("spec")).get("template")).get("spec"));
                rest.remove("jobTemplate");
            } else {
                podSpec = PodSpecView.map(PodSpecView.map(spec.get("template")).get("spec"));
                rest.remove("template");
            }
            view.put("spec", rest);
            view.put("podSpec", PodSpecView.of(podSpec));
            put(view, "replicas", spec.get("replicas"));
        } else if (object.get("spec") instanceof Map<?, ?>) {
            view.put("spec", spec);
        }
        switch (kind == null ? "" : kind) {
            case "Service" -> service(view, spec, metadata);
            case "NetworkPolicy" -> view.put("ingressRules", networkPolicyIngress(spec));
            case "Role", "ClusterRole" -> {
                view.put("rules", PodSpecView.list(object.get("rules")));
                put(view, "aggregationRule", object.get("aggregationRule"));
            }
            case "RoleBinding", "ClusterRoleBinding" -> {
                put(view, "roleRef", object.get("roleRef"));
                view.put("subjects", PodSpecView.list(object.get("subjects")));
            }
            case "Secret" -> put(view, "type", object.get("type"));
            default -> {
            }
        }
        return view;
    }

    /**
     * A Service's exposure: {@code serviceType}, and for a LoadBalancer {@code publiclyAccessible} and
     * {@code ingressRules} [{source}] (its loadBalancerSourceRanges, else 0.0.0.0/0 unless annotated internal).
     */
    private static void service(Map<String, Object> view, Map<?, ?> spec, Map<?, ?> metadata) {
        String type = spec.get("type") instanceof String t ? t : "ClusterIP";
        view.put("serviceType", type);
        if (!"LoadBalancer".equals(type)) {
            return;
        }
        Map<String, String> annotations = strings(metadata.get("annotations"));
        boolean internal = "true".equalsIgnoreCase(annotations.get("service.beta.kubernetes.io/aws-load-balancer-internal"))
                || "internal".equalsIgnoreCase(annotations.get("service.beta.kubernetes.io/aws-load-balancer-scheme"))
                || "true".equalsIgnoreCase(annotations.get("service.beta.kubernetes.io/azure-load-balancer-internal"))
                || "internal".equalsIgnoreCase(annotations.get("networking.gke.io/load-balancer-type"))
                || "internal".equalsIgnoreCase(annotations.get("cloud.google.com/load-balancer-type"));
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Object range : PodSpecView.list(spec.get("loadBalancerSourceRanges"))) {
            rules.add(Map.of("source", String.valueOf(range)));
        }
        if (rules.isEmpty() && !internal) {
            rules.add(Map.of("source", "0.0.0.0/0"));
        }
        view.put("internal", internal);
        view.put("publiclyAccessible", !internal && rules.stream().anyMatch(r -> OPEN.contains(r.get("source"))));
        view.put("ingressRules", rules);
    }

    /**
     * A NetworkPolicy's ingress as [{source, ports}]: an ipBlock's CIDR, {@code cluster} for pod and namespace
     * selectors, {@code 0.0.0.0/0} for a rule without peers (it admits every source).
     */
    private static List<Map<String, Object>> networkPolicyIngress(Map<?, ?> spec) {
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Object item : PodSpecView.list(spec.get("ingress"))) {
            Map<?, ?> rule = PodSpecView.map(item);
            List<Object> ports = PodSpecView.list(rule.get("ports"));
            List<Object> peers = PodSpecView.list(rule.get("from"));
            if (peers.isEmpty()) {
                rules.add(Map.of("source", "0.0.0.0/0", "ports", ports));
            }
            for (Object peerItem : peers) {
                Map<?, ?> peer = PodSpecView.map(peerItem);
                Map<?, ?> block = PodSpecView.map(peer.get("ipBlock"));
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("source", block.get("cidr") instanceof String cidr ? cidr : "cluster");
                if (block.get("except") != null) {
                    entry.put("except", PodSpecView.list(block.get("except")));
                }
                entry.put("ports", ports);
                rules.add(entry);
            }
        }
        return rules;
    }

    private static void put(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    static Map<String, String> strings(Object value) {
        Map<String, String> out = new LinkedHashMap<>();
        PodSpecView.map(value).forEach((k, v) -> {
            if (k != null && v != null) {
                out.put(String.valueOf(k), String.valueOf(v));
            }
        });
        return out;
    }
}
