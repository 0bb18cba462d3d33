package dev.mandate.kernel.export.format;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.mandate.api.evidence.EvidenceRecord;

/**
 * Evidence records as OCSF 1.1 events (one JSON object per record), the mapping documented in
 * {@code docs/evidence.md}: decisions and approval steps are <em>API Activity</em> (class 6003,
 * category 6) with the decision's disposition; every other record is an API Activity of activity
 * "Other" (99) naming the record type. The record's sequence and hash travel in
 * {@code metadata.uid} and {@code metadata.sequence}, the payload in {@code unmapped}.
 */
public final class Ocsf {
    /** OCSF API Activity. */
    public static final int API_ACTIVITY = 6003;
    static final int CATEGORY_APPLICATION = 6;
    static final String VERSION = "1.1.0";

    private Ocsf() {
    }

    /** The OCSF event of one record. */
    public static Map<String, Object> event(EvidenceRecord record) {
        Map<String, Object> payload = record.payload();
        Map<?, ?> request = payload.get("request") instanceof Map<?, ?> r ? r : Map.of();
        Map<?, ?> actor = request.get("actor") instanceof Map<?, ?> a ? a : Map.of();
        boolean decision = record.type().startsWith("decision");
        boolean approval = record.type().startsWith("approval.");
        String action = decision ? String.valueOf(request.get("action")) : approval
                ? record.type().substring("approval.".length()) : record.type();
        int activity = decision ? activity(action) : 99;

        Map<String, Object> event = new LinkedHashMap<>();
        event.put("class_uid", API_ACTIVITY);
        event.put("class_name", "API Activity");
        event.put("category_uid", CATEGORY_APPLICATION);
        event.put("category_name", "Application Activity");
        event.put("activity_id", activity);
        event.put("activity_name", activity == 99 ? "Other" : action.substring(0, 1).toUpperCase(Locale.ROOT)
                + action.substring(1));
        event.put("type_uid", API_ACTIVITY * 100 + activity);
        event.put("time", record.timestamp().toEpochMilli());
        String outcome = payload.get("outcome") instanceof String o ? o : null;
        event.put("severity_id", "DENY".equals(outcome) ? 3 : 1);
        event.put("severity", "DENY".equals(outcome) ? "Medium" : "Informational");
        event.put("status_id", "DENY".equals(outcome) || record.type().endsWith(".rejected")
                || record.type().endsWith(".refused") ? 2 : 1);
        event.put("status", "DENY".equals(outcome) ? "Failure" : "Success");
        if (outcome != null) {
            // the security control profile: what the decision point did with the request
            event.put("disposition_id", switch (outcome) {
                case "ALLOW" -> 1;
                case "DENY" -> 2;
                default -> 99;
            });
            event.put("disposition", switch (outcome) {
                case "ALLOW" -> "Allowed";
                case "DENY" -> "Blocked";
                default -> "Other";
            });
        }
        Map<String, Object> api = new LinkedHashMap<>();
        api.put("operation", action);
        api.put("service", Map.of("name", "mandate"));
        event.put("api", api);
        Object actorId = actor.get("id") != null ? actor.get("id") : payload.get("approver");
        if (actorId != null) {
            Map<String, Object> user = new LinkedHashMap<>();
            user.put("uid", actorId);
            user.put("type", actor.get("kind") == null ? "User" : String.valueOf(actor.get("kind")));
            if (actor.get("team") != null) {
                user.put("groups", List.of(Map.of("name", actor.get("team"))));
            }
            event.put("actor", Map.of("user", user));
        }
        Object target = request.get("target") != null ? request.get("target") : payload.get("element");
        if (target != null) {
            event.put("resources", List.of(Map.of("uid", target)));
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("version", VERSION);
        metadata.put("product", Map.of("name", "Mandate", "vendor_name", "Mandate"));
        metadata.put("uid", record.hash());
        metadata.put("sequence", record.sequence());
        metadata.put("log_name", "mandate-evidence");
        metadata.put("profiles", List.of("security_control"));
        event.put("metadata", metadata);
        event.put("message", record.type() + (outcome == null ? "" : " " + outcome));
        Map<String, Object> unmapped = new LinkedHashMap<>();
        unmapped.put("type", record.type());
        unmapped.put("modelRevision", record.modelRevision());
        unmapped.put("previousHash", record.previousHash());
        unmapped.put("payload", payload);
        event.put("unmapped", unmapped);
        return event;
    }

    /** OCSF API Activity ids: 1 Create, 2 Read, 3 Update, 4 Delete, 99 Other. */
    static int activity(String action) {
        return switch (action.toLowerCase(Locale.ROOT)) {
            case "create" -> 1;
            case "read" -> 2;
            case "update", "modify", "scale", "rotate" -> 3;
            case "delete" -> 4;
            default -> 99;
        };
    }
}
