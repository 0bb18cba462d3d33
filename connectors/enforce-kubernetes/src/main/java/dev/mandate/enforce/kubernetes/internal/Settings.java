package dev.mandate.enforce.kubernetes.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The webhook's configuration in effect. Immutable.
 *
 * @param cluster      the cluster's name in element ids (lower case)
 * @param namespaces   the namespace rules, exact names and prefixes
 * @param defaults     the policy of namespaces no rule names (fields may be {@code null})
 * @param failOpen     whether an internal error admits the change (with a warning) instead of refusing it
 * @param exempt       namespaces whose changes are admitted without a decision
 * @param systemUsers  user names that are SYSTEM actors besides service accounts
 * @param aiUsers      user names that are AI agents
 */
record Settings(String cluster, List<Rule> namespaces, NamespacePolicy defaults, boolean failOpen,
        List<String> exempt, List<String> systemUsers, List<String> aiUsers) {

    static final Set<String> PROFILES = Set.of("privileged", "baseline", "restricted");
    private static final Set<String> KEYS = Set.of("environment", "trustZone", "podSecurity", "owner");
    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?\\*?|[a-z0-9-]*\\*");
    private static final Pattern CLUSTER = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");

    /** One namespace rule: an exact name, or a prefix when {@code prefix}. */
    record Rule(String namespace, boolean prefix, NamespacePolicy policy) {
        boolean matches(String candidate) {
            return prefix ? candidate.startsWith(namespace) : candidate.equals(namespace);
        }
    }

    Settings {
        namespaces = List.copyOf(namespaces);
        exempt = List.copyOf(exempt);
        systemUsers = List.copyOf(systemUsers);
        aiUsers = List.copyOf(aiUsers);
    }

    /**
     * Settings from configuration values.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    static Settings of(String cluster, String[] namespaces, String defaultEnvironment, String defaultTrustZone,
            String defaultPodSecurity, String failurePolicy, String[] exempt, String[] systemUsers, String[] aiUsers) {
        String clusterName = cluster == null ? "" : cluster.trim().toLowerCase(Locale.ROOT);
        if (!CLUSTER.matcher(clusterName).matches()) {
            throw new IllegalArgumentException("cluster name '" + cluster
                    + "' cannot be part of an element id: use lower-case letters, digits, '-' and '.'");
        }
        String profile = blankToNull(defaultPodSecurity);
        if (profile != null && !PROFILES.contains(profile)) {
            throw new IllegalArgumentException("default pod security profile '" + defaultPodSecurity
                    + "' is unknown (known: privileged, baseline, restricted)");
        }
        NamespacePolicy defaults = new NamespacePolicy(blankToNull(defaultEnvironment), blankToNull(defaultTrustZone),
                profile, null);
        return new Settings(clusterName, rules(namespaces), defaults, failOpen(failurePolicy), patterns(exempt),
                patterns(systemUsers), patterns(aiUsers));
    }

    /** What {@code namespace} is: the exact rule, else the longest matching prefix rule, over the defaults. */
    NamespacePolicy policyFor(String namespace) {
        return configured(namespace).or(defaults);
    }

    /** What the rules (not the defaults) say about {@code namespace}; {@link NamespacePolicy#NONE} when none matches. */
    NamespacePolicy configured(String namespace) {
        if (namespace == null) {
            return NamespacePolicy.NONE;
        }
        Rule best = null;
        for (Rule rule : namespaces) {
            if (!rule.matches(namespace)) {
                continue;
            }
            if (!rule.prefix()) {
                return rule.policy();
            }
            if (best == null || rule.namespace().length() > best.namespace().length()) {
                best = rule;
            }
        }
        return best == null ? NamespacePolicy.NONE : best.policy();
    }

    boolean isExempt(String namespace) {
        return namespace != null && matchesAny(exempt, namespace);
    }

    boolean isSystemUser(String username) {
        return matchesAny(systemUsers, username);
    }

    boolean isAiUser(String username) {
        return matchesAny(aiUsers, username);
    }

    static boolean matchesAny(List<String> patterns, String value) {
        for (String pattern : patterns) {
            if (pattern.endsWith("*") ? value.startsWith(pattern.substring(0, pattern.length() - 1))
                    : value.equals(pattern)) {
                return true;
            }
        }
        return false;
    }

    static List<Rule> rules(String[] values) {
        List<Rule> rules = new ArrayList<>();
        if (values == null) {
            return rules;
        }
        for (String value : values) {
            if (value == null) {
                continue;
            }
            for (String entry : value.split(";")) {
                if (!entry.isBlank()) {
                    rules.add(rule(entry.trim()));
                }
            }
        }
        return rules;
    }

    private static Rule rule(String entry) {
        int colon = entry.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("namespace rule '" + entry + "' has no ':' after the namespace "
                    + "(write '<namespace>: environment=prod, podSecurity=restricted')");
        }
        String namespace = entry.substring(0, colon).trim();
        if (!NAMESPACE.matcher(namespace).matches()) {
            throw new IllegalArgumentException("namespace rule '" + entry + "': '" + namespace
                    + "' is not a namespace name or prefix ending in '*'");
        }
        String environment = null;
        String trustZone = null;
        String podSecurity = null;
        String owner = null;
        for (String pair : entry.substring(colon + 1).split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String key = equals < 0 ? pair.trim() : pair.substring(0, equals).trim();
            String value = equals < 0 ? "" : pair.substring(equals + 1).trim();
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("namespace rule '" + entry + "': unknown key '" + key
                        + "' (known: environment, trustZone, podSecurity, owner)");
            }
            if (value.isEmpty()) {
                throw new IllegalArgumentException("namespace rule '" + entry + "': '" + key + "' has no value");
            }
            switch (key) {
                case "environment" -> environment = value;
                case "trustZone" -> trustZone = value;
                case "owner" -> owner = value;
                default -> {
                    if (!PROFILES.contains(value)) {
                        throw new IllegalArgumentException("namespace rule '" + entry + "': pod security profile '"
                                + value + "' is unknown (known: privileged, baseline, restricted)");
                    }
                    podSecurity = value;
                }
            }
        }
        boolean prefix = namespace.endsWith("*");
        return new Rule(prefix ? namespace.substring(0, namespace.length() - 1) : namespace, prefix,
                new NamespacePolicy(environment, trustZone, podSecurity, owner));
    }

    private static boolean failOpen(String policy) {
        String value = policy == null ? "" : policy.trim().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "", "fail-closed", "closed", "fail" -> false;
            case "fail-open", "open", "ignore" -> true;
            default -> throw new IllegalArgumentException("failure policy '" + policy
                    + "' is unknown (known: fail-closed, fail-open)");
        };
    }

    private static List<String> patterns(String[] values) {
        List<String> patterns = new ArrayList<>();
        if (values != null) {
            for (String value : values) {
                if (value == null) {
                    continue;
                }
                for (String part : value.split(",")) {
                    if (!part.isBlank()) {
                        patterns.add(part.trim());
                    }
                }
            }
        }
        return patterns;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
