package dev.mandate.enforce.terraform.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.mandate.terraform.ids.IdContext;
import dev.mandate.terraform.ids.IdMapping;
import dev.mandate.terraform.ids.MappedResource;
import dev.mandate.terraform.ids.TerraformResourceIds;

/**
 * What the plan's {@code prior_state} (the state refreshed before planning) tells the gate: the account,
 * region and subscription its identity data sources read ({@code aws_caller_identity}, {@code aws_region},
 * {@code azurerm_client_config}, {@code azurerm_subscription}), and the element ids of the resources it
 * holds, so that a sub-resource whose attributes name its parent only by native id ({@code sg-…}) finds the
 * parent's full id.
 */
final class PriorState {

    private final List<Map<?, ?>> resources = new ArrayList<>();
    private final IdContext context;
    private final Map<String, String> known = new HashMap<>();

    PriorState(Map<String, Object> document) {
        if (document.get("prior_state") instanceof Map<?, ?> prior && prior.get("values") instanceof Map<?, ?> values
                && values.get("root_module") instanceof Map<?, ?> root) {
            collect(root);
        }
        Set<String> accounts = new LinkedHashSet<>();
        Set<String> regions = new LinkedHashSet<>();
        Set<String> subscriptions = new LinkedHashSet<>();
        for (Map<?, ?> resource : resources) {
            if (!"data".equals(resource.get("mode")) || !(resource.get("values") instanceof Map<?, ?> v)) {
                continue;
            }
            switch (String.valueOf(resource.get("type"))) {
                case "aws_caller_identity" -> add(accounts, v.get("account_id"));
                case "aws_region" -> add(regions, v.get("name"));
                case "azurerm_client_config", "azurerm_subscription" -> add(subscriptions, v.get("subscription_id"));
                default -> {
                    // other data sources say nothing about where the plan deploys
                }
            }
        }
        context = new IdContext(single(accounts), single(regions), single(subscriptions));
    }

    /** The account, region and subscription the identity data sources agree on; fields may be {@code null}. */
    IdContext context() {
        return context;
    }

    /** Maps every managed resource of the prior state, remembering the ids that are not provisional. */
    void index(TerraformResourceIds ids, java.util.function.BiFunction<String, String, IdContext> contexts) {
        for (Map<?, ?> resource : resources) {
            if (!"managed".equals(resource.get("mode")) || !(resource.get("values") instanceof Map<?, ?> values)
                    || !(resource.get("type") instanceof String type)
                    || !(resource.get("address") instanceof String address)) {
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, ?> attributes = (Map<String, ?>) values;
            IdMapping mapping = ids.map(type, address, attributes,
                    contexts.apply(address, TerraformResourceIds.providerOf(type)));
            remember(mapping.resource());
        }
    }

    /** Remembers an element id read from the resource's own attributes. */
    void remember(MappedResource resource) {
        if (resource != null && resource.facet() == null && !resource.provisional()) {
            known.putIfAbsent(key(resource.elementId()), resource.elementId());
        }
    }

    /**
     * The id of an element the prior state or the plan names with certainty and that {@code resource} names
     * with a guessed account, region or subscription (same kind, same native id); {@code null} when none.
     */
    String certain(MappedResource resource) {
        if (resource == null || !resource.provisional()) {
            return null;
        }
        return known.get(key(resource.elementId()));
    }

    /**
     * What identifies an element apart from the parts that may be guessed: AWS kind and native id; Azure kind,
     * resource group and native id.
     */
    static String key(String elementId) {
        String[] segments = elementId.split(":");
        String kind = segments.length >= 3 ? segments[0] + ":" + segments[1] + ":" + segments[2] : elementId;
        if (segments.length >= 6 && "aws".equals(segments[0])) {
            return kind + "|" + String.join(":", List.of(segments).subList(5, segments.length));
        }
        if (segments.length >= 6 && "azure".equals(segments[0])) {
            return kind + "|" + segments[4].toLowerCase(Locale.ROOT) + "|"
                    + String.join(":", List.of(segments).subList(5, segments.length));
        }
        return elementId;
    }

    private void collect(Map<?, ?> module) {
        if (module.get("resources") instanceof List<?> list) {
            for (Object value : list) {
                if (value instanceof Map<?, ?> resource) {
                    resources.add(resource);
                }
            }
        }
        if (module.get("child_modules") instanceof List<?> children) {
            for (Object child : children) {
                if (child instanceof Map<?, ?> map) {
                    collect(map);
                }
            }
        }
    }

    private static void add(Set<String> values, Object value) {
        if (value instanceof String s && !s.isBlank()) {
            values.add(s);
        }
    }

    private static String single(Set<String> values) {
        return values.size() == 1 ? values.iterator().next() : null;
    }
}
