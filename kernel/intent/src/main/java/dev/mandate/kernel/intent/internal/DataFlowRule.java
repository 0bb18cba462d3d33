package dev.mandate.kernel.intent.internal;

import java.util.Set;

import dev.mandate.api.intent.Effect;

/**
 * How data may move across trust zones: a flow from a zone among {@code fromZones} (and not among
 * {@code fromNotZones}) to a zone among {@code toZones} (and not among {@code toNotZones}) carrying
 * one of the classifications matches. With {@code requirePurpose}, a flow that declares a purpose
 * does not match. Zone names ending in {@code *} match by prefix; an empty set matches any zone.
 *
 * @param id             the rule id ({@code dataflow:<id>} in reasons and waivers)
 * @param fromZones      zones the flow comes from
 * @param fromNotZones   zones the flow must not come from
 * @param toZones        zones the flow goes to
 * @param toNotZones     zones the flow must not go to
 * @param classifications data classifications it is about (empty for any)
 * @param requirePurpose whether a declared purpose makes the flow acceptable
 * @param effect         deny, require-approval or allow
 * @param severity       low, medium, high or critical
 * @param message        what was found
 * @param mode           enforcement mode
 */
record DataFlowRule(String id, Set<String> fromZones, Set<String> fromNotZones, Set<String> toZones,
        Set<String> toNotZones, Set<String> classifications, boolean requirePurpose, Effect effect, String severity,
        String message, Mode mode) {

    boolean matches(String fromZone, String toZone, Set<String> carried, boolean purposeDeclared) {
        if (!Selector.in(fromZones, fromZone) || !fromNotZones.isEmpty() && Selector.in(fromNotZones, fromZone)) {
            return false;
        }
        if (!Selector.in(toZones, toZone) || !toNotZones.isEmpty() && Selector.in(toNotZones, toZone)) {
            return false;
        }
        if (!classifications.isEmpty() && carried.stream().noneMatch(classifications::contains)) {
            return false;
        }
        return !(requirePurpose && purposeDeclared);
    }
}
