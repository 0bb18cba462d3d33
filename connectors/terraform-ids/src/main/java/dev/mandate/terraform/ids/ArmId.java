package dev.mandate.terraform.ids;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An Azure Resource Manager id: {@code /subscriptions/<sub>}, {@code …/resourceGroups/<rg>}, or
 * {@code …/providers/<Namespace>/<type>/<name>[/<childType>/<childName>…]}. Keywords are matched
 * without regard to case, as ARM does; the subscription is lower-cased, names keep their case.
 *
 * @param subscription  the subscription GUID, lower case
 * @param resourceGroup the resource group as written in the id, or {@code null} for a subscription
 * @param namespace     the resource provider ({@code Microsoft.Network}), or {@code null} for a subscription or group
 * @param types         the resource types from the outermost parent to the resource ({@code virtualNetworks, subnets})
 * @param names         their names, same length as {@code types}
 */
public record ArmId(String subscription, String resourceGroup, String namespace, List<String> types,
        List<String> names) {

    /** ARM types (lower case, {@code namespace/type[/child…]}) whose kind differs from the generic rule. */
    private static final Map<String, String> KINDS = Map.ofEntries(
            Map.entry("microsoft.network/virtualnetworks", "azure:network:virtual-network"),
            Map.entry("microsoft.network/virtualnetworks/subnets", "azure:network:subnet"),
            Map.entry("microsoft.network/networksecuritygroups", "azure:network:network-security-group"),
            Map.entry("microsoft.network/networkinterfaces", "azure:network:network-interface"),
            Map.entry("microsoft.network/publicipaddresses", "azure:network:public-ip-address"),
            Map.entry("microsoft.network/loadbalancers", "azure:network:load-balancer"),
            Map.entry("microsoft.network/routetables", "azure:network:route-table"),
            Map.entry("microsoft.network/applicationgateways", "azure:network:application-gateway"),
            Map.entry("microsoft.network/privateendpoints", "azure:network:private-endpoint"),
            Map.entry("microsoft.compute/virtualmachines", "azure:compute:virtual-machine"),
            Map.entry("microsoft.compute/availabilitysets", "azure:compute:availability-set"),
            Map.entry("microsoft.compute/disks", "azure:compute:disk"),
            Map.entry("microsoft.storage/storageaccounts", "azure:storage:account"),
            Map.entry("microsoft.sql/servers", "azure:sql:server"),
            Map.entry("microsoft.sql/servers/databases", "azure:sql:database"),
            Map.entry("microsoft.keyvault/vaults", "azure:keyvault:vault"),
            Map.entry("microsoft.web/sites", "azure:web:site"),
            Map.entry("microsoft.web/serverfarms", "azure:web:server-farm"),
            Map.entry("microsoft.containerservice/managedclusters", "azure:containerservice:managed-cluster"),
            Map.entry("microsoft.containerregistry/registries", "azure:containerregistry:registry"),
            Map.entry("microsoft.dbforpostgresql/flexibleservers", "azure:dbforpostgresql:flexible-server"));

    public ArmId {
        types = List.copyOf(types);
        names = List.copyOf(names);
    }

    /** Parses {@code text}; empty when it is not an ARM id this scheme covers (extension resources included). */
    public static Optional<ArmId> parse(Object text) {
        if (!(text instanceof String s) || !s.startsWith("/")) {
            return Optional.empty();
        }
        String[] parts = s.substring(1).split("/", -1);
        if (parts.length < 2 || !parts[0].equalsIgnoreCase("subscriptions") || parts[1].isBlank()) {
            return Optional.empty();
        }
        String subscription = parts[1].toLowerCase(Locale.ROOT);
        if (parts.length == 2) {
            return Optional.of(new ArmId(subscription, null, null, List.of(), List.of()));
        }
        if (parts.length < 4 || !parts[2].equalsIgnoreCase("resourceGroups") || parts[3].isBlank()) {
            return Optional.empty();
        }
        String group = parts[3];
        if (parts.length == 4) {
            return Optional.of(new ArmId(subscription, group, null, List.of(), List.of()));
        }
        // providers/<Namespace>/<type>/<name>, then pairs of child type and name
        if (!parts[4].equalsIgnoreCase("providers") || parts.length < 8 || (parts.length - 6) % 2 != 0) {
            return Optional.empty();
        }
        List<String> types = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 6; i < parts.length; i += 2) {
            if (parts[i].isBlank() || parts[i + 1].isBlank() || parts[i].equalsIgnoreCase("providers")) {
                return Optional.empty();
            }
            types.add(parts[i]);
            names.add(parts[i + 1]);
        }
        return Optional.of(new ArmId(subscription, group, parts[5], types, names));
    }

    /** Whether this names a resource (not only a subscription or a resource group). */
    public boolean isResource() {
        return namespace != null;
    }

    /** The id truncated to its first {@code depth} resource levels (1 = the top-level resource). */
    public ArmId parent(int depth) {
        if (depth < 1 || depth > types.size()) {
            throw new IllegalArgumentException("depth " + depth + " is outside 1.." + types.size());
        }
        return new ArmId(subscription, resourceGroup, namespace, types.subList(0, depth), names.subList(0, depth));
    }

    /**
     * The element kind: {@code azure:resources:subscription}, {@code azure:resources:resource-group}, the
     * kind the scheme fixes for well-known ARM types, or else {@code azure:<namespace without Microsoft.>:<last
     * type in kebab case, singular>}.
     */
    public String kind() {
        if (!isResource()) {
            return resourceGroup == null ? "azure:resources:subscription" : "azure:resources:resource-group";
        }
        String key = (namespace + "/" + String.join("/", types)).toLowerCase(Locale.ROOT);
        String known = KINDS.get(key);
        if (known != null) {
            return known;
        }
        String service = namespace.toLowerCase(Locale.ROOT);
        if (service.startsWith("microsoft.")) {
            service = service.substring("microsoft.".length());
        }
        return "azure:" + service.replace('.', '-') + ":" + singular(kebab(types.get(types.size() - 1)));
    }

    /** The native id: the names from the top-level resource down, joined with {@code /}. */
    public String nativeId() {
        return String.join("/", names);
    }

    /**
     * The element id: {@code azure:resources:subscription:<sub>}, {@code azure:resources:resource-group:<sub>:<rg>}
     * or {@code <kind>:<sub>:<rg>:<parent/child>}; the resource group lower-cased (ARM treats it without case
     * and reports it in varying case).
     */
    public String elementId() {
        if (resourceGroup == null) {
            return kind() + ":" + subscription;
        }
        String group = resourceGroup.toLowerCase(Locale.ROOT);
        return isResource() ? kind() + ":" + subscription + ":" + group + ":" + nativeId()
                : kind() + ":" + subscription + ":" + group;
    }

    static String kebab(String camel) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            boolean upper = Character.isUpperCase(c);
            if (upper && i > 0) {
                char previous = camel.charAt(i - 1);
                boolean nextLower = i + 1 < camel.length() && Character.isLowerCase(camel.charAt(i + 1));
                // a new word: after a lower-case letter or digit, or the last capital of an acronym (IPAddresses)
                if (Character.isLowerCase(previous) || Character.isDigit(previous)
                        || (Character.isUpperCase(previous) && nextLower)) {
                    out.append('-');
                }
            }
            out.append(Character.toLowerCase(c));
        }
        return out.toString();
    }

    static String singular(String plural) {
        if (plural.endsWith("ies")) {
            return plural.substring(0, plural.length() - 3) + "y";
        }
        if (plural.endsWith("sses") || plural.endsWith("xes")) {
            return plural.substring(0, plural.length() - 2);
        }
        if (plural.endsWith("s") && !plural.endsWith("ss")) {
            return plural.substring(0, plural.length() - 1);
        }
        return plural;
    }
}
