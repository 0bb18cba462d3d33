package dev.mandate.enforce.kubernetes;

import java.util.Locale;
import java.util.Set;

/**
 * The element ids of Kubernetes objects ({@code docs/ids.md}):
 * {@code k8s:<group-or-core>:<kind-lowercase>:<cluster>:<namespace-or-_cluster>:<name>}. Stateless and thread-safe.
 */
public final class KubernetesElementIds {

    /** The namespace segment of cluster-scoped objects. */
    public static final String CLUSTER_SCOPE = "_cluster";

    /** Kinds of the core and well-known groups that are cluster-scoped (lower case). */
    private static final Set<String> CLUSTER_SCOPED = Set.of("namespace", "node", "persistentvolume",
            "clusterrole", "clusterrolebinding", "storageclass", "customresourcedefinition", "priorityclass",
            "validatingwebhookconfiguration", "mutatingwebhookconfiguration", "validatingadmissionpolicy",
            "validatingadmissionpolicybinding", "csidriver", "csinode", "runtimeclass", "ingressclass",
            "apiservice", "certificatesigningrequest", "volumeattachment");

    private KubernetesElementIds() {
    }

    /**
     * The id of an object.
     *
     * @param group     the API group ({@code ""} or {@code null} for the core group)
     * @param kind      the kind as Kubernetes spells it ({@code Deployment})
     * @param cluster   the cluster's configured name
     * @param namespace the namespace, or {@code null}/blank for a cluster-scoped object
     * @param name      {@code metadata.name}, or {@code ~<generateName>} for a provisional id
     * @throws IllegalArgumentException when a part is missing or cannot be written in an id
     */
    public static String of(String group, String kind, String cluster, String namespace, String name) {
        String groupSegment = group == null || group.isBlank() ? "core" : group.trim().toLowerCase(Locale.ROOT);
        String scope = namespace == null || namespace.isBlank() ? CLUSTER_SCOPE : namespace;
        String id = "k8s:" + segment("group", groupSegment) + ":" + segment("kind", lower(kind)) + ":"
                + segment("cluster", lower(cluster)) + ":" + segment("namespace", scope) + ":" + segment("name", name);
        return id;
    }

    /** Whether objects of this kind (any case) live outside namespaces. */
    public static boolean isClusterScoped(String kind) {
        return kind != null && CLUSTER_SCOPED.contains(kind.toLowerCase(Locale.ROOT));
    }

    private static String lower(String value) {
        return value == null ? null : value.trim().toLowerCase(Locale.ROOT);
    }

    private static String segment(String what, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("the " + what + " of a kubernetes element id is missing");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ':' || Character.isWhitespace(c)) {
                throw new IllegalArgumentException("the " + what + " '" + value
                        + "' cannot be part of an element id (it contains ':' or white space)");
            }
        }
        return value;
    }
}
