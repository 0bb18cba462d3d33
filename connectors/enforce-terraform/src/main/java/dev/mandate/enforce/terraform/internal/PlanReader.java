package dev.mandate.enforce.terraform.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

import dev.mandate.api.decision.Action;
import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Actor;
import dev.mandate.api.enforcement.InvalidChangeException;
import dev.mandate.enforce.terraform.TerraformPlan;
import dev.mandate.terraform.ids.IdContext;
import dev.mandate.terraform.ids.IdMapping;
import dev.mandate.terraform.ids.MappedResource;
import dev.mandate.terraform.ids.TerraformResourceIds;

/**
 * Reads the resource changes of a plan into planned changes: validates the document (saying where it is
 * wrong), maps each resource to its element, resolves sub-resources whose parent is created in the same
 * plan through the configuration's references, and builds the action requests. Stateless apart from its
 * settings; one instance per plan read.
 */
final class PlanReader {

    static final String SENSITIVE = "(sensitive)";
    private static final Set<String> KNOWN_ACTIONS = Set.of("no-op", "create", "read", "update", "delete", "forget");
    private static final Pattern UNSAFE = Pattern.compile("[:\\s]");

    private final TerraformResourceIds ids;
    private final Settings settings;
    private final TerraformPlan plan;
    private final Map<String, Object> document;

    /** What a resource change looks like before its request is built. */
    private static final class Item {
        int index;
        String address;
        String module;
        String type;
        String provider;
        List<String> actions;
        Action action;
        Map<String, Object> before;
        Map<String, Object> after;
        Map<String, Object> mappingAttributes;
        IdMapping mapping;
        MappedResource resource;
        String skip;
        String unmappedReason;
        String actionReason;
        List<String> unknownAfter;
    }

    PlanReader(TerraformResourceIds ids, Settings settings, TerraformPlan plan) {
        this.ids = ids;
        this.settings = settings;
        this.plan = plan;
        this.document = plan.document();
    }

    String terraformVersion() {
        return document.get("terraform_version") instanceof String s ? s : null;
    }

    String formatVersion() {
        return document.get("format_version") instanceof String s ? s : null;
    }

    List<PlannedChange> read() throws InvalidChangeException {
        checkFormat();
        Object changesValue = document.get("resource_changes");
        if (changesValue == null) {
            return List.of(); // terraform leaves resource_changes out of a plan without resources
        }
        if (!(changesValue instanceof List<?> changes)) {
            throw new InvalidChangeException("/resource_changes", "resource_changes must be an array of resource changes");
        }
        Configuration configuration = new Configuration(document);
        PriorState prior = new PriorState(document);
        BiFunction<String, String, IdContext> contexts = (address, provider) -> plan.context()
                .orElse(configuration.contextFor(address, provider)).orElse(prior.context()).orElse(settings.defaults());
        prior.index(ids, contexts);
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            Item item = item(i, changes.get(i), contexts);
            prior.remember(item.resource);
            items.add(item);
        }
        for (Item item : items) {
            // a guessed account, region or subscription gives way to the id the prior state or plan knows for certain
            String certain = prior.certain(item.resource);
            if (certain != null) {
                item.resource = new MappedResource(certain, item.resource.kind(), item.resource.facet(), false);
            }
        }
        for (Item item : items) {
            if (item.skip == null && item.resource == null) {
                resolve(item, items, configuration);
            }
        }
        return build(items);
    }

    private void checkFormat() throws InvalidChangeException {
        Object format = document.get("format_version");
        if (!(format instanceof String version)) {
            throw new InvalidChangeException("/format_version",
                    "format_version is missing: send the output of 'terraform show -json <planfile>'");
        }
        String major = version.contains(".") ? version.substring(0, version.indexOf('.')) : version;
        if (!major.equals("0") && !major.equals("1")) {
            throw new InvalidChangeException("/format_version",
                    "unsupported plan format version '" + version + "' (supported: 0.1, 0.2, 1.x)");
        }
        if (major.equals("0") && !version.equals("0.1") && !version.equals("0.2")) {
            throw new InvalidChangeException("/format_version",
                    "unsupported plan format version '" + version + "' (supported: 0.1, 0.2, 1.x)");
        }
    }

    private Item item(int index, Object value, BiFunction<String, String, IdContext> contexts)
            throws InvalidChangeException {
        String at = "/resource_changes/" + index;
        if (!(value instanceof Map<?, ?> change)) {
            throw new InvalidChangeException(at, "a resource change must be an object");
        }
        Item item = new Item();
        item.index = index;
        item.type = requireText(change, "type", at);
        item.address = requireText(change, "address", at);
        item.module = change.get("module_address") instanceof String m ? m : moduleOf(item.address, item.type);
        Object mode = change.get("mode");
        if (mode != null && !(mode instanceof String)) {
            throw new InvalidChangeException(at + "/mode", "mode must be 'managed' or 'data'");
        }
        if (!(change.get("change") instanceof Map<?, ?> body)) {
            throw new InvalidChangeException(at + "/change", "change is missing or not an object");
        }
        item.actions = actions(body.get("actions"), at + "/change/actions");
        item.before = object(body.get("before"), at + "/change/before");
        item.after = object(body.get("after"), at + "/change/after");
        item.provider = providerOf(change.get("provider_name"), item.type);
        item.actionReason = change.get("action_reason") instanceof String r ? r : null;
        if ("data".equals(mode)) {
            item.skip = "data source: only read";
            return item;
        }
        item.action = action(item.actions, at + "/change/actions");
        if (item.action == null) {
            item.skip = item.actions.contains("read") ? "read only"
                    : item.actions.contains("forget") ? "removed from the state only, the resource stays"
                    : "no change";
            return item;
        }
        if (settings.ungovernedProviders().contains(item.provider)) {
            item.skip = "provider '" + item.provider + "' is not governed";
            return item;
        }
        Map<String, Object> afterUnknown = object(body.get("after_unknown"), at + "/change/after_unknown");
        item.unknownAfter = new ArrayList<>();
        if (afterUnknown != null) {
            afterUnknown.forEach((k, v) -> {
                if (Boolean.TRUE.equals(v)) {
                    item.unknownAfter.add(k);
                }
            });
        }
        item.mappingAttributes = switch (item.action) {
            case CREATE -> item.after;
            default -> item.before != null ? item.before : item.after;
        };
        Map<String, Object> known = new LinkedHashMap<>(item.mappingAttributes == null ? Map.of() : item.mappingAttributes);
        if (item.action == Action.CREATE) {
            item.unknownAfter.forEach(known::remove);
        }
        item.mapping = ids.map(item.type, item.address, known, contexts.apply(item.address, item.provider));
        item.resource = item.mapping.resource();
        item.before = redact(item.before, body.get("before_sensitive"));
        item.after = redact(item.after, body.get("after_sensitive"));
        return item;
    }

    /** Follows the configuration's reference from a sub-resource to its parent in the same plan, else a fallback id. */
    private void resolve(Item item, List<Item> items, Configuration configuration) {
        IdMapping.PendingParent pending = item.mapping.pending();
        if (pending != null) {
            for (String target : configuration.references(item.address, item.module, pending.attribute())) {
                Item parent = find(items, target, item.address);
                if (parent != null && parent.resource != null && parent.resource.facet() == null
                        && parent.resource.kind().equals(pending.kind())) {
                    item.resource = new MappedResource(parent.resource.elementId(), parent.resource.kind(),
                            pending.facet(), parent.resource.provisional());
                    return;
                }
            }
        }
        // not mapped: decided on an element no connector reports, so only an explicit rule can allow it
        String kind = "terraform:" + item.provider + ":" + item.type;
        item.unmappedReason = item.mapping.reason();
        item.resource = new MappedResource(kind + ":" + UNSAFE.matcher(item.address).replaceAll("_"), kind, null, true);
    }

    private static Item find(List<Item> items, String target, String referrer) {
        Item first = null;
        String referrerIndex = indexOf(referrer);
        for (Item candidate : items) {
            String address = candidate.address;
            if (address.equals(target)) {
                return candidate;
            }
            if (address.startsWith(target + "[")) {
                if (referrerIndex != null && referrerIndex.equals(indexOf(address))) {
                    return candidate; // count/for_each: the instance with the same key
                }
                if (first == null) {
                    first = candidate;
                }
            }
        }
        return first;
    }

    private static String indexOf(String address) {
        if (!address.endsWith("]")) {
            return null;
        }
        int open = address.lastIndexOf('[');
        return open < 0 ? null : address.substring(open);
    }

    private List<PlannedChange> build(List<Item> items) {
        // elements created, replaced or deleted as a whole in this plan: their sub-resources are covered by that decision
        Map<String, Integer> wholes = new HashMap<>();
        for (Item item : items) {
            if (item.skip == null && item.resource.facet() == null && item.action != Action.UPDATE) {
                wholes.putIfAbsent(item.resource.elementId(), item.index);
            }
        }
        Actor actor = plan.actor() != null ? plan.actor() : settings.defaultActor();
        List<PlannedChange> out = new ArrayList<>(items.size());
        for (Item item : items) {
            if (item.skip != null) {
                out.add(new PlannedChange(item.address, String.join(",", item.actions == null ? List.of() : item.actions),
                        null, null, false, null, -1, item.skip));
                continue;
            }
            MappedResource resource = item.resource;
            Action action = item.action;
            if (resource.facet() != null) {
                Integer whole = wholes.get(resource.elementId());
                if (whole != null) {
                    out.add(new PlannedChange(item.address, action.wireName(), resource.elementId(), resource.facet(),
                            resource.provisional(), null, whole, null));
                    continue;
                }
                action = Action.UPDATE; // a change to what configures an element is an update of that element
            }
            Map<String, Object> context = new LinkedHashMap<>();
            context.put("source", "terraform");
            context.put("address", item.address);
            if (item.module != null) {
                context.put("module", item.module);
            }
            context.put("type", item.type);
            context.put("provider", item.provider);
            if (resource.facet() != null) {
                context.put("facet", resource.facet());
            }
            context.put("provisional", resource.provisional());
            context.put("terraformActions", item.actions);
            if (item.actionReason != null) {
                context.put("actionReason", item.actionReason);
            }
            if (item.unknownAfter != null && !item.unknownAfter.isEmpty() && item.after != null) {
                context.put("unknownAfter", item.unknownAfter);
            }
            if (item.unmappedReason != null) {
                context.put("unmapped", item.unmappedReason);
            }
            Map<String, Object> after = action == Action.DELETE ? null : item.after;
            if (action == Action.CREATE) {
                Map<String, Object> hints = ElementHints.of(item.after);
                if (!hints.isEmpty()) {
                    context.put("proposed", hints);
                    after = ElementHints.apply(after, hints);
                }
            }
            ActionRequest request = new ActionRequest(actor, action, resource.elementId(), plan.justification(),
                    item.before, after, context);
            out.add(new PlannedChange(item.address, action.wireName(), resource.elementId(), resource.facet(),
                    resource.provisional(), request, -1, null));
        }
        return out;
    }

    /** The module part of an address ({@code module.a["x"].module.b}), for plans that do not give module_address. */
    static String moduleOf(String address, String type) {
        int at = address.lastIndexOf("." + type + ".");
        if (!address.startsWith("module.") || at < 0) {
            return null;
        }
        String module = address.substring(0, at);
        return module.endsWith(".data") ? module.substring(0, module.length() - ".data".length()) : module;
    }

    private static String requireText(Map<?, ?> map, String key, String at) throws InvalidChangeException {
        Object value = map.get(key);
        if (!(value instanceof String text) || text.isBlank()) {
            throw new InvalidChangeException(at + "/" + key, key + " is missing or not a string");
        }
        return text;
    }

    private static List<String> actions(Object value, String at) throws InvalidChangeException {
        if (!(value instanceof List<?> list)) {
            throw new InvalidChangeException(at, "actions must be an array such as [\"create\"] or [\"delete\", \"create\"]");
        }
        if (list.isEmpty()) {
            throw new InvalidChangeException(at, "actions is empty");
        }
        List<String> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof String action)) {
                throw new InvalidChangeException(at + "/" + i, "an action must be a string");
            }
            if (!KNOWN_ACTIONS.contains(action)) {
                throw new InvalidChangeException(at + "/" + i, "unknown action '" + action
                        + "' (known: no-op, create, read, update, delete, forget)");
            }
            out.add(action);
        }
        return out;
    }

    /** The decided action of a valid actions list, or {@code null} for no-op, read and forget. */
    private static Action action(List<String> actions, String at) throws InvalidChangeException {
        String joined = String.join(",", actions);
        return switch (joined) {
            case "create" -> Action.CREATE;
            case "update" -> Action.UPDATE;
            case "delete" -> Action.DELETE;
            case "delete,create", "create,delete" -> Action.REPLACE;
            case "no-op", "read", "forget" -> null;
            default -> throw new InvalidChangeException(at, "unsupported combination of actions '" + joined
                    + "' (a single action, or delete and create for a replacement)");
        };
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value, String at) throws InvalidChangeException {
        if (value == null) {
            return null;
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new InvalidChangeException(at, at.substring(at.lastIndexOf('/') + 1) + " must be an object or null");
        }
        return (Map<String, Object>) map;
    }

    private static String providerOf(Object providerName, String type) {
        if (providerName instanceof String name && !name.isBlank()) {
            String last = name.substring(name.lastIndexOf('/') + 1);
            // 0.12 plans name the provider by its configuration key ("aws", "aws.west")
            int dot = last.indexOf('.');
            return (dot < 0 ? last : last.substring(0, dot)).toLowerCase(Locale.ROOT);
        }
        return TerraformResourceIds.providerOf(type);
    }

    /** Replaces every value the plan marks sensitive with {@value #SENSITIVE}: the request is recorded as evidence. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> redact(Map<String, Object> values, Object sensitive) {
        if (values == null) {
            return null;
        }
        Object redacted = redactValue(values, sensitive);
        return redacted instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of("value", SENSITIVE);
    }

    private static Object redactValue(Object value, Object sensitive) {
        if (Boolean.TRUE.equals(sensitive)) {
            return value == null ? null : SENSITIVE;
        }
        if (value instanceof Map<?, ?> map && sensitive instanceof Map<?, ?> marks) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), redactValue(v, marks.get(k))));
            return out;
        }
        if (value instanceof List<?> list && sensitive instanceof List<?> marks) {
            List<Object> out = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                out.add(redactValue(list.get(i), i < marks.size() ? marks.get(i) : null));
            }
            return out;
        }
        return value;
    }
}
