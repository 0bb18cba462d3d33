package dev.mandate.enforce.kubernetes.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The flattened view of a pod spec that the Pod Security Standards constraints read, the same for every
 * workload kind (the pod template of a Deployment, the job template of a CronJob, a bare Pod):
 *
 * <pre>
 * podSpec:
 *   hostNetwork, hostPID, hostIPC: bool (false when unset)
 *   securityContext: the pod's security context as given ({} when unset)
 *   serviceAccountName, automountServiceAccountToken, runtimeClassName, hostUsers: as given, when set
 *   sysctls: [names]
 *   volumes: [{name, type (the volume source: hostPath, configMap, emptyDir …), path (hostPath only)}]
 *   hostPorts: [every non-zero hostPort of every container]
 *   containers: [{name, type (container | initContainer | ephemeralContainer), image, imagePullPolicy,
 *                 resources, ports, securityContext (as given, {} when unset), effective: {…}}]
 * </pre>
 *
 * {@code effective} is what the container runs with once the pod's security context is applied beneath the
 * container's own, with Kubernetes' meaning of an unset field: {@code privileged} (false),
 * {@code allowPrivilegeEscalation} (true when unset), {@code runAsNonRoot} (false), {@code runAsUser} (only when
 * set), {@code seccompProfile} (the type, "" when unset), {@code hostProcess} (false), {@code capabilitiesAdd},
 * {@code capabilitiesDrop} ([]), {@code procMount} ("Default"), {@code seLinuxType}, {@code seLinuxUser},
 * {@code seLinuxRole} (""), {@code appArmorProfile} (the type, ""), {@code hostPorts} ([]).
 * Environment values, commands and arguments are left out: they often carry secrets.
 */
final class PodSpecView {

    private PodSpecView() {
    }

    static Map<String, Object> of(Map<?, ?> spec) {
        Map<?, ?> podContext = map(spec.get("securityContext"));
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("hostNetwork", bool(spec.get("hostNetwork"), false));
        view.put("hostPID", bool(spec.get("hostPID"), false));
        view.put("hostIPC", bool(spec.get("hostIPC"), false));
        view.put("securityContext", podContext);
        for (String key : List.of("serviceAccountName", "automountServiceAccountToken", "runtimeClassName",
                "hostUsers", "priorityClassName")) {
            if (spec.get(key) != null) {
                view.put(key, spec.get(key));
            }
        }
        List<String> sysctls = new ArrayList<>();
        for (Object sysctl : list(podContext.get("sysctls"))) {
            if (map(sysctl).get("name") instanceof String name) {
                sysctls.add(name);
            }
        }
        view.put("sysctls", sysctls);
        view.put("volumes", volumes(list(spec.get("volumes"))));
        List<Map<String, Object>> containers = new ArrayList<>();
        List<Object> hostPorts = new ArrayList<>();
        addContainers(containers, hostPorts, spec.get("initContainers"), "initContainer", podContext);
        addContainers(containers, hostPorts, spec.get("containers"), "container", podContext);
        addContainers(containers, hostPorts, spec.get("ephemeralContainers"), "ephemeralContainer", podContext);
        view.put("hostPorts", hostPorts);
        view.put("containers", containers);
        return view;
    }

    private static List<Map<String, Object>> volumes(List<?> volumes) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object item : volumes) {
            Map<?, ?> volume = map(item);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", volume.get("name") == null ? "" : String.valueOf(volume.get("name")));
            String type = "";
            for (Object key : volume.keySet()) {
                if (!"name".equals(key)) {
                    type = String.valueOf(key);
                    break;
                }
            }
            entry.put("type", type);
            if ("hostPath".equals(type) && map(volume.get("hostPath")).get("path") instanceof String path) {
                entry.put("path", path);
            }
            out.add(entry);
        }
        return out;
    }

    private static void addContainers(List<Map<String, Object>> out, List<Object> hostPorts, Object value, String type,
            Map<?, ?> podContext) {
        for (Object item : list(value)) {
            Map<?, ?> container = map(item);
            Map<?, ?> context = map(container.get("securityContext"));
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", container.get("name") == null ? "" : String.valueOf(container.get("name")));
            entry.put("type", type);
            for (String key : List.of("image", "imagePullPolicy", "resources")) {
                if (container.get(key) != null) {
                    entry.put(key, container.get(key));
                }
            }
            List<Object> ports = list(container.get("ports"));
            entry.put("ports", ports);
            entry.put("securityContext", context);
            Map<String, Object> effective = effective(context, podContext);
            List<Object> containerHostPorts = new ArrayList<>();
            for (Object port : ports) {
                Object hostPort = map(port).get("hostPort");
                if (hostPort instanceof Number number && number.longValue() != 0) {
                    containerHostPorts.add(number);
                    hostPorts.add(number);
                }
            }
            effective.put("hostPorts", containerHostPorts);
            entry.put("effective", effective);
            out.add(entry);
        }
    }

    private static Map<String, Object> effective(Map<?, ?> container, Map<?, ?> pod) {
        Map<String, Object> effective = new LinkedHashMap<>();
        effective.put("privileged", bool(container.get("privileged"), false));
        effective.put("allowPrivilegeEscalation", bool(container.get("allowPrivilegeEscalation"), true));
        effective.put("runAsNonRoot", bool(first(container.get("runAsNonRoot"), pod.get("runAsNonRoot")), false));
        Object runAsUser = first(container.get("runAsUser"), pod.get("runAsUser"));
        if (runAsUser instanceof Number) {
            effective.put("runAsUser", runAsUser);
        }
        effective.put("seccompProfile", text(first(map(container.get("seccompProfile")).get("type"),
                map(pod.get("seccompProfile")).get("type"))));
        effective.put("hostProcess", bool(first(map(container.get("windowsOptions")).get("hostProcess"),
                map(pod.get("windowsOptions")).get("hostProcess")), false));
        Map<?, ?> capabilities = map(container.get("capabilities"));
        effective.put("capabilitiesAdd", strings(capabilities.get("add")));
        effective.put("capabilitiesDrop", strings(capabilities.get("drop")));
        String procMount = text(container.get("procMount"));
        effective.put("procMount", procMount.isEmpty() ? "Default" : procMount);
        Map<?, ?> seLinux = container.get("seLinuxOptions") != null ? map(container.get("seLinuxOptions"))
                : map(pod.get("seLinuxOptions"));
        effective.put("seLinuxType", text(seLinux.get("type")));
        effective.put("seLinuxUser", text(seLinux.get("user")));
        effective.put("seLinuxRole", text(seLinux.get("role")));
        effective.put("appArmorProfile", text(first(map(container.get("appArmorProfile")).get("type"),
                map(pod.get("appArmorProfile")).get("type"))));
        return effective;
    }

    private static Object first(Object preferred, Object fallback) {
        return preferred != null ? preferred : fallback;
    }

    private static boolean bool(Object value, boolean unset) {
        return value instanceof Boolean b ? b : unset;
    }

    private static String text(Object value) {
        return value == null ? "" : String.valueOf(value);
    }

    private static List<String> strings(Object value) {
        List<String> out = new ArrayList<>();
        for (Object item : list(value)) {
            if (item != null) {
                out.add(String.valueOf(item));
            }
        }
        return out;
    }

    static Map<?, ?> map(Object value) {
        return value instanceof Map<?, ?> m ? m : Map.of();
    }

    static List<Object> list(Object value) {
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object item : l) {
                if (item != null) {
                    out.add(item);
                }
            }
            return out;
        }
        return List.of();
    }
}
