package dev.mandate.connector.terraform.state.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import dev.mandate.api.model.Element;
import dev.mandate.api.model.ElementIds;
import dev.mandate.terraform.ids.IdContext;
import dev.mandate.terraform.ids.IdMapping;
import dev.mandate.terraform.ids.MappedResource;
import dev.mandate.terraform.ids.TerraformResourceIds;
import dev.mandate.terraform.ids.TerraformState;

/**
 * Turns the managed resources of a Terraform state into BUILT elements, with the ids of
 * {@code docs/ids.md}. A resource that configures a parent (a facet, e.g. {@code aws_s3_bucket_policy})
 * is folded into its parent's attributes under {@code facets.<facet>}; data sources are not built and
 * are skipped; secrets are redacted. Owner, environment and trust zone come from the tags
 * ({@code mandate:owner}, {@code owner}, {@code team}; {@code mandate:environment}, {@code environment},
 * {@code env}; {@code mandate:trust-zone}, {@code trust-zone}), else from the configured defaults.
 * Immutable and thread-safe.
 */
final class StateMapper {
    static final String REDACTED = "(redacted)";
    private static final Pattern SECRET = Pattern.compile(
            "(?i).*(password|secret|private_key|access_key|token|connection_string|primary_key|secondary_key"
                    + "|sas_url).*");
    private static final List<String> OWNER = List.of("mandate:owner", "mandate-owner", "owner", "team");
    private static final List<String> ENVIRONMENT = List.of("mandate:environment", "mandate-environment",
            "environment", "env");
    private static final List<String> TRUST_ZONE = List.of("mandate:trust-zone", "mandate-trust-zone", "trust-zone",
            "trustzone", "trust_zone");

    /** Element defaults where the tags say nothing. */
    record Defaults(String environment, String owner, String trustZone) {
        static final Defaults NONE = new Defaults(null, null, null);
    }

    /** What a state maps to: elements, and what was skipped with the reason ({@code address: reason}). */
    record Result(List<Element> elements, List<String> skipped) {
    }

    private final TerraformResourceIds ids;
    private final IdContext context;
    private final Defaults defaults;

    StateMapper(TerraformResourceIds ids, IdContext context, Defaults defaults) {
        this.ids = ids;
        this.context = context == null ? IdContext.EMPTY : context;
        this.defaults = defaults == null ? Defaults.NONE : defaults;
    }

    Result map(TerraformState state) {
        Map<String, Element> elements = new LinkedHashMap<>();
        List<String> skipped = new ArrayList<>();
        List<Map.Entry<MappedResource, TerraformState.Instance>> facets = new ArrayList<>();
        for (TerraformState.Instance instance : state.resources()) {
            if (!instance.isManaged()) {
                continue; // a data source is read by Terraform, not built by it
            }
            IdMapping mapping;
            try {
                mapping = ids.map(instance.type(), instance.address(), instance.attributes(), context);
            } catch (RuntimeException e) {
                skipped.add(instance.address() + ": " + e.getMessage());
                continue;
            }
            if (!mapping.isMapped()) {
                skipped.add(instance.address() + ": " + mapping.reason());
                continue;
            }
            MappedResource resource = mapping.resource();
            if (!ElementIds.isValid(resource.elementId())) {
                skipped.add(instance.address() + ": element id '" + resource.elementId() + "' is not valid");
                continue;
            }
            if (resource.facet() != null) {
                facets.add(Map.entry(resource, instance));
                continue;
            }
            elements.put(resource.elementId(), element(resource, instance));
        }
        for (Map.Entry<MappedResource, TerraformState.Instance> facet : facets) {
            MappedResource resource = facet.getKey();
            Element parent = elements.get(resource.elementId());
            if (parent == null) {
                parent = sameNativeId(elements, resource);
            }
            if (parent == null) {
                skipped.add(facet.getValue().address() + ": the " + resource.kind() + " '" + resource.elementId()
                        + "' it configures is not in this state");
                continue;
            }
            Map<String, Object> attributes = new LinkedHashMap<>(parent.attributes());
            @SuppressWarnings("unchecked")
            Map<String, Object> folded = attributes.get("facets") instanceof Map<?, ?> existing
                    ? new LinkedHashMap<>((Map<String, Object>) existing) : new LinkedHashMap<>();
            folded.put(resource.facet(), redact(facet.getValue().attributes()));
            attributes.put("facets", folded);
            elements.put(parent.id(), new Element(parent.id(), parent.kind(), parent.provider(), parent.environment(),
                    parent.trustZone(), parent.owner(), parent.labels(), attributes, Map.of()));
        }
        return new Result(List.copyOf(elements.values()), List.copyOf(skipped));
    }

    /**
     * The one element of the facet's parent kind with the same native id: a facet's parent id may be
     * provisional (account or region filled in from the configuration) where the parent's own
     * attributes (its ARN) name them.
     */
    private static Element sameNativeId(Map<String, Element> elements, MappedResource facet) {
        String nativeId = nativeId(facet.elementId());
        Element found = null;
        for (Element element : elements.values()) {
            if (element.kind().equals(facet.kind()) && nativeId(element.id()).equals(nativeId)) {
                if (found != null) {
                    return null; // ambiguous: do not guess
                }
                found = element;
            }
        }
        return found;
    }

    private static String nativeId(String elementId) {
        return elementId.substring(elementId.lastIndexOf(':') + 1);
    }

    private Element element(MappedResource resource, TerraformState.Instance instance) {
        Map<String, String> tags = tags(instance.attributes());
        Map<String, String> labels = new LinkedHashMap<>();
        tags.forEach((key, value) -> {
            if (!key.toLowerCase(Locale.ROOT).startsWith("mandate")) {
                labels.put(key, value);
            }
        });
        String provider = resource.kind().substring(0, resource.kind().indexOf(':'));
        String environment = first(tags, ENVIRONMENT, defaults.environment());
        return new Element(resource.elementId(), resource.kind(), provider, environment(environment),
                first(tags, TRUST_ZONE, defaults.trustZone()), first(tags, OWNER, defaults.owner()), labels,
                redact(instance.attributes()), Map.of());
    }

    /** The environment names of the model ({@code prod}, {@code staging}, {@code dev}) for common spellings. */
    static String environment(String value) {
        if (value == null) {
            return null;
        }
        String name = value.trim().toLowerCase(Locale.ROOT);
        return switch (name) {
            case "production", "prd" -> "prod";
            case "stage", "stg" -> "staging";
            case "development", "develop" -> "dev";
            default -> name;
        };
    }

    /** The attributes with every secret-looking value replaced; nested maps and lists are walked. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> redact(Map<String, ?> attributes) {
        Map<String, Object> out = new LinkedHashMap<>();
        attributes.forEach((key, value) -> {
            if (value != null && !(value instanceof Map) && !(value instanceof List) && SECRET.matcher(key).matches()) {
                out.put(key, REDACTED);
            } else if (value instanceof Map<?, ?> map) {
                out.put(key, redact((Map<String, ?>) map));
            } else if (value instanceof List<?> list) {
                List<Object> items = new ArrayList<>(list.size());
                for (Object item : list) {
                    items.add(item instanceof Map<?, ?> map ? redact((Map<String, ?>) map) : item);
                }
                out.put(key, items);
            } else {
                out.put(key, value);
            }
        });
        return out;
    }

    private static Map<String, String> tags(Map<String, ?> attributes) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (String key : List.of("tags_all", "tags")) {
            if (attributes.get(key) instanceof Map<?, ?> map) {
                map.forEach((k, v) -> {
                    if (k != null && v instanceof String s && !s.isBlank()) {
                        tags.put(String.valueOf(k), s.trim());
                    }
                });
            }
        }
        return tags;
    }

    private static String first(Map<String, String> tags, List<String> keys, String fallback) {
        for (String key : keys) {
            for (Map.Entry<String, String> tag : tags.entrySet()) {
                if (tag.getKey().equalsIgnoreCase(key)) {
                    return tag.getValue();
                }
            }
        }
        return fallback == null || fallback.isBlank() ? null : fallback;
    }
}
