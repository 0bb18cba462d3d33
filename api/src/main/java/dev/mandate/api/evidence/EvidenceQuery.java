package dev.mandate.api.evidence;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A filter over the ledger. Every criterion that is {@code null} matches everything; the others
 * must all hold. Criteria read the payload where the kernel puts these facts:
 * <ul>
 * <li>{@code element}: {@code request.target}, {@code target}, {@code element} or {@code elementId}</li>
 * <li>{@code actor}: {@code request.actor.id}, {@code actor} (a string or an object's {@code id}) or
 * {@code approver}</li>
 * <li>{@code team}: {@code request.actor.team}, {@code team}, {@code owner}, or one of
 * {@code blastRadius.owners} or {@code approvers}</li>
 * <li>{@code blueprint}: an entry of {@code blueprints} named {@code <name>} or {@code <name>@<version>},
 * or {@code blueprint}, or {@code name} of a {@code blueprint.*} record</li>
 * <li>{@code outcome}: {@code outcome}, ignoring case</li>
 * </ul>
 *
 * @param from      records at or after this instant, or {@code null}
 * @param to        records before this instant, or {@code null}
 * @param type      records of this type, or of types starting with it when it ends in {@code .*}
 * @param element   an element id
 * @param actor     an actor id
 * @param team      a team id
 * @param blueprint a blueprint name
 * @param outcome   ALLOW, DENY, REQUIRE_APPROVAL …
 * @param after     only records with a higher sequence (the paging cursor; 0 from the start)
 * @param limit     most records returned
 * @since 1.1.0
 */
public record EvidenceQuery(Instant from, Instant to, String type, String element, String actor, String team,
        String blueprint, String outcome, long after, int limit) {

    /** Whether {@code record} meets every criterion but {@link #after} and {@link #limit}. */
    public boolean matches(EvidenceRecord record) {
        if (from != null && record.timestamp().isBefore(from) || to != null && !record.timestamp().isBefore(to)) {
            return false;
        }
        if (type != null && !(type.endsWith(".*") ? record.type().startsWith(type.substring(0, type.length() - 1))
                : record.type().equals(type))) {
            return false;
        }
        Map<String, Object> payload = record.payload();
        Object request = payload.get("request");
        Object requestActor = request instanceof Map<?, ?> r ? r.get("actor") : null;
        if (element != null && !anyEquals(element, get(request, "target"), payload.get("target"),
                payload.get("element"), payload.get("elementId"))) {
            return false;
        }
        if (actor != null && !anyEquals(actor, get(requestActor, "id"), payload.get("actor"),
                get(payload.get("actor"), "id"), payload.get("approver"))) {
            return false;
        }
        if (team != null && !anyEquals(team, get(requestActor, "team"), payload.get("team"), payload.get("owner"))
                && !contains(get(payload.get("blastRadius"), "owners"), team)
                && !contains(payload.get("approvers"), team)) {
            return false;
        }
        if (blueprint != null && !namesBlueprint(record, payload)) {
            return false;
        }
        return outcome == null || payload.get("outcome") instanceof String value && value.equalsIgnoreCase(outcome);
    }

    private boolean namesBlueprint(EvidenceRecord record, Map<String, Object> payload) {
        if (payload.get("blueprints") instanceof List<?> list) {
            for (Object entry : list) {
                Object name = entry instanceof Map<?, ?> map ? map.get("name") : entry;
                if (name instanceof String text && (text.equals(blueprint) || text.startsWith(blueprint + "@"))) {
                    return true;
                }
            }
        }
        return anyEquals(blueprint, payload.get("blueprint"))
                || record.type().startsWith("blueprint.") && anyEquals(blueprint, payload.get("name"));
    }

    private static Object get(Object map, String key) {
        return map instanceof Map<?, ?> m ? m.get(key) : null;
    }

    private static boolean anyEquals(String wanted, Object... candidates) {
        for (Object candidate : candidates) {
            if (wanted.equals(candidate)) {
                return true;
            }
        }
        return false;
    }

    private static boolean contains(Object list, String wanted) {
        return list instanceof List<?> items && items.contains(wanted);
    }

    /** The criteria as one line for messages, e.g. {@code outcome=DENY team=team-web}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        append(text, "from", from);
        append(text, "to", to);
        append(text, "type", type);
        append(text, "element", element);
        append(text, "actor", actor);
        append(text, "team", team);
        append(text, "blueprint", blueprint);
        append(text, "outcome", outcome == null ? null : outcome.toUpperCase(Locale.ROOT));
        return text.toString().trim();
    }

    private static void append(StringBuilder text, String name, Object value) {
        if (value != null) {
            text.append(name).append('=').append(value).append(' ');
        }
    }
}
