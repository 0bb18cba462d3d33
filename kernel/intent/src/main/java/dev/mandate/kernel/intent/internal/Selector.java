package dev.mandate.kernel.intent.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.cel.runtime.CelFunctionResolver;
import dev.cel.runtime.Program;
import dev.mandate.api.intent.Inputs;
import dev.mandate.api.model.Element;

/**
 * Which elements a waiver, freeze window or ownership rule covers. Every list that is given must
 * contain the element's value (an empty list selects all); labels must all be present with the
 * value given; {@code match} is a CEL condition over {@code element}. Names ending in {@code *}
 * match by prefix. Immutable.
 *
 * @param ids           element ids
 * @param kinds         element kinds
 * @param providers     providers
 * @param environments  environments
 * @param trustZones    trust zones
 * @param accounts      AWS account ids (the fifth id segment, or {@code attributes.accountId})
 * @param subscriptions Azure subscription ids (the fourth id segment of an Azure id)
 * @param labels        labels that must all be present with these values
 * @param match         a further condition, or {@code null}
 * @param matchText     the condition as written, for messages
 * @param matchReads    what {@code match} reads ({@link InputPaths}); {@link Inputs#NONE} without one
 */
record Selector(Set<String> ids, Set<String> kinds, Set<String> providers, Set<String> environments,
        Set<String> trustZones, Set<String> accounts, Set<String> subscriptions, Map<String, String> labels,
        Program match, String matchText, Inputs matchReads) {

    static final Selector ALL = new Selector(Set.of(), Set.of(), Set.of(), Set.of(), Set.of(), Set.of(), Set.of(),
            Map.of(), null, null, Inputs.NONE);

    /** What decides whether it selects an element: the parts that are set, and {@code match}. */
    Inputs reads() {
        List<String> paths = new java.util.ArrayList<>();
        if (!ids.isEmpty()) {
            paths.add("element.id");
        }
        if (!kinds.isEmpty()) {
            paths.add("element.kind");
        }
        if (!providers.isEmpty()) {
            paths.add("element.provider");
        }
        if (!environments.isEmpty()) {
            paths.add("element.environment");
        }
        if (!trustZones.isEmpty()) {
            paths.add("element.trustZone");
        }
        if (!accounts.isEmpty()) {
            paths.addAll(List.of("element.attributes.accountId", "element.provider", "element.id"));
        }
        if (!subscriptions.isEmpty()) {
            paths.addAll(List.of("element.attributes.subscriptionId", "element.provider", "element.id"));
        }
        for (String label : labels.keySet()) {
            paths.add("element.labels." + label);
        }
        return Inputs.of(paths).with(matchReads);
    }

    /** Whether every part of the selector holds; a condition that errors does not select. */
    boolean selects(Element element, Map<String, Object> variables, CelFunctionResolver functions) {
        if (!in(ids, element.id()) || !in(kinds, element.kind()) || !in(providers, element.provider())
                || !in(environments, element.environment()) || !in(trustZones, element.trustZone())) {
            return false;
        }
        if (!accounts.isEmpty() && !in(accounts, account(element))) {
            return false;
        }
        if (!subscriptions.isEmpty() && !in(subscriptions, subscription(element))) {
            return false;
        }
        for (Map.Entry<String, String> label : labels.entrySet()) {
            if (!label.getValue().equals(element.labels().get(label.getKey()))) {
                return false;
            }
        }
        if (match == null) {
            return true;
        }
        Map<String, Object> vars = variables != null ? variables : Map.of("element", Activation.element(element),
                "now", java.time.Instant.now());
        try {
            return Boolean.TRUE.equals(Activation.eval(match, vars, functions));
        } catch (Exception e) {
            return false;
        }
    }

    /** Whether a value is among the names (an empty set admits every value; {@code x*} is a prefix). */
    static boolean in(Set<String> names, String value) {
        if (names.isEmpty()) {
            return true;
        }
        if (value == null) {
            return false;
        }
        if (names.contains(value)) {
            return true;
        }
        for (String name : names) {
            if (name.endsWith("*") && value.startsWith(name.substring(0, name.length() - 1))) {
                return true;
            }
        }
        return false;
    }

    /** The AWS account of an element: {@code attributes.accountId}, else the id's fifth segment. */
    static String account(Element element) {
        Object declared = element.attributes().get("accountId");
        if (declared != null) {
            return declared.toString();
        }
        if (!"aws".equals(element.provider()) || element.id() == null) {
            return null;
        }
        List<String> parts = List.of(element.id().split(":"));
        return parts.size() > 4 ? parts.get(4) : null;
    }

    /** The Azure subscription of an element: {@code attributes.subscriptionId}, else the id's fourth segment. */
    static String subscription(Element element) {
        Object declared = element.attributes().get("subscriptionId");
        if (declared != null) {
            return declared.toString();
        }
        if (!"azure".equals(element.provider()) || element.id() == null) {
            return null;
        }
        List<String> parts = List.of(element.id().split(":"));
        return parts.size() > 3 ? parts.get(3) : null;
    }
}
