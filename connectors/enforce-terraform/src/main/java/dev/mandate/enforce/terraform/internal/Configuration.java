package dev.mandate.enforce.terraform.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import dev.mandate.terraform.ids.Arn;
import dev.mandate.terraform.ids.IdContext;

/**
 * What the plan's {@code configuration} tells the gate: the region, account and subscription each
 * provider configuration sets as constants, which provider configuration each resource uses, and the
 * references between resources (to find the parent a sub-resource configures when its id is only known
 * after apply). Anything it cannot read it ignores: the configuration is advisory, the changes are not.
 */
final class Configuration {

    private static final Pattern INDEX = Pattern.compile("\\[[^\\]]*\\]");
    private static final Set<String> NOT_RESOURCES = Set.of("data", "var", "local", "module", "each", "count", "path",
            "self", "terraform");

    private final Map<String, IdContext> providers = new HashMap<>();
    private final Map<String, String> providerKeys = new HashMap<>();
    private final Map<String, Map<String, List<String>>> references = new HashMap<>();

    Configuration(Map<String, Object> document) {
        if (!(document.get("configuration") instanceof Map<?, ?> configuration)) {
            return;
        }
        if (configuration.get("provider_config") instanceof Map<?, ?> providerConfig) {
            providerConfig.forEach((key, value) -> {
                if (value instanceof Map<?, ?> provider) {
                    providers.put(String.valueOf(key), contextOf(provider));
                }
            });
        }
        if (configuration.get("root_module") instanceof Map<?, ?> root) {
            readModule(root, "");
        }
    }

    /** The context the provider configuration of the resource at {@code address} sets; empty when none. */
    IdContext contextFor(String address, String provider) {
        String key = providerKeys.get(INDEX.matcher(address).replaceAll(""));
        IdContext context = null;
        if (key != null) {
            context = providers.get(key);
            if (context == null && key.contains(":")) {
                context = providers.get(key.substring(key.lastIndexOf(':') + 1));
            }
        }
        if (context == null) {
            context = providers.get(provider);
        }
        return context == null ? IdContext.EMPTY : context;
    }

    /**
     * The addresses (without instance keys, in the resource's module) of the resources that the expression
     * of {@code attribute} on the resource at {@code address} refers to.
     */
    List<String> references(String address, String module, String attribute) {
        Map<String, List<String>> byAttribute = references.get(INDEX.matcher(address).replaceAll(""));
        if (byAttribute == null || !byAttribute.containsKey(attribute)) {
            return List.of();
        }
        Set<String> out = new LinkedHashSet<>();
        for (String reference : byAttribute.get(attribute)) {
            String[] parts = reference.split("\\.");
            if (parts.length < 2 || NOT_RESOURCES.contains(parts[0])) {
                continue;
            }
            String name = INDEX.matcher(parts[1]).replaceAll("");
            out.add((module == null ? "" : module + ".") + parts[0] + "." + name);
        }
        return new ArrayList<>(out);
    }

    private void readModule(Map<?, ?> module, String prefix) {
        if (module.get("resources") instanceof List<?> resources) {
            for (Object value : resources) {
                if (value instanceof Map<?, ?> resource && resource.get("address") instanceof String address) {
                    String full = prefix + address;
                    if (resource.get("provider_config_key") instanceof String key) {
                        providerKeys.put(full, key);
                    }
                    if (resource.get("expressions") instanceof Map<?, ?> expressions) {
                        Map<String, List<String>> byAttribute = new HashMap<>();
                        expressions.forEach((attribute, expression) -> {
                            if (expression instanceof Map<?, ?> e && e.get("references") instanceof List<?> refs) {
                                byAttribute.put(String.valueOf(attribute),
                                        refs.stream().map(String::valueOf).toList());
                            }
                        });
                        references.put(full, byAttribute);
                    }
                }
            }
        }
        if (module.get("module_calls") instanceof Map<?, ?> calls) {
            calls.forEach((name, call) -> {
                if (call instanceof Map<?, ?> c && c.get("module") instanceof Map<?, ?> child) {
                    readModule(child, prefix + "module." + name + ".");
                }
            });
        }
    }

    private static IdContext contextOf(Map<?, ?> provider) {
        if (!(provider.get("expressions") instanceof Map<?, ?> expressions)) {
            return IdContext.EMPTY;
        }
        String region = constantText(expressions.get("region"));
        String subscription = constantText(expressions.get("subscription_id"));
        String account = null;
        if (expressions.get("allowed_account_ids") instanceof Map<?, ?> allowed
                && allowed.get("constant_value") instanceof List<?> accounts && accounts.size() == 1) {
            account = String.valueOf(accounts.get(0));
        }
        if (account == null && expressions.get("assume_role") instanceof List<?> blocks && blocks.size() == 1
                && blocks.get(0) instanceof Map<?, ?> block) {
            account = Arn.parse(constantText(block.get("role_arn"))).map(Arn::account).filter(a -> !a.isEmpty())
                    .orElse(null);
        }
        return new IdContext(account, region, subscription);
    }

    private static String constantText(Object expression) {
        return expression instanceof Map<?, ?> e && e.get("constant_value") instanceof String s ? s : null;
    }
}
