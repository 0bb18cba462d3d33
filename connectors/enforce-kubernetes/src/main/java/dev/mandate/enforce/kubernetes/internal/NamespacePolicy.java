package dev.mandate.enforce.kubernetes.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What Mandate knows about a namespace: where its elements live and who owns them, and the Pod Security
 * Standards profile its workloads must meet. A field is {@code null} when nothing says.
 *
 * @param environment the environment of its elements ({@code prod}, {@code staging} …)
 * @param trustZone   their trust zone ({@code pci-cde} …)
 * @param podSecurity {@code privileged}, {@code baseline} or {@code restricted}
 * @param owner       the team that owns what is created in it
 */
record NamespacePolicy(String environment, String trustZone, String podSecurity, String owner) {

    static final NamespacePolicy NONE = new NamespacePolicy(null, null, null, null);

    /** This policy, with what it leaves open taken from {@code fallback}. */
    NamespacePolicy or(NamespacePolicy fallback) {
        return new NamespacePolicy(environment != null ? environment : fallback.environment,
                trustZone != null ? trustZone : fallback.trustZone,
                podSecurity != null ? podSecurity : fallback.podSecurity, owner != null ? owner : fallback.owner);
    }

    /** The known fields as a map (for request context). */
    Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        if (environment != null) {
            map.put("environment", environment);
        }
        if (trustZone != null) {
            map.put("trustZone", trustZone);
        }
        if (podSecurity != null) {
            map.put("podSecurity", podSecurity);
        }
        if (owner != null) {
            map.put("owner", owner);
        }
        return map;
    }
}
