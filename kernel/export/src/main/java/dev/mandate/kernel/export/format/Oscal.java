package dev.mandate.kernel.export.format;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import dev.mandate.api.evidence.EvidenceRecord;

/**
 * Evidence as a NIST OSCAL 1.1.2 {@code assessment-results} document: one result covering the
 * records' time span; one observation per IOM Appendix A requirement and record type (how many
 * records, the first and last sequence and hash, method {@code TEST}, type {@code control-objective});
 * one finding per requirement, {@code satisfied} when the ledger holds records that show it
 * operating and {@code not-satisfied} otherwise. Which record types show which requirement is the
 * table in {@code docs/evidence.md}. UUIDs are derived from the content (name-based), so the same
 * records give the same document.
 */
public final class Oscal {
    static final String OSCAL_VERSION = "1.1.2";

    /**
     * An IOM Appendix A requirement.
     *
     * @param id    the objective id used in OSCAL targets
     * @param title the capability dimension
     * @param text  the requirement
     * @param types record type prefixes that show it operating
     */
    public record Requirement(String id, String title, String text, List<String> types) {
    }

    /** IOM Appendix A, in its order. */
    public static final List<Requirement> REQUIREMENTS = List.of(
            new Requirement("iom-a-1", "Infrastructure State Modeling", "Maintains a continuously reconciled, "
                    + "authoritative infrastructure model spanning cloud, network, identity, and on-premises.",
                    List.of("connector.run")),
            new Requirement("iom-a-2", "Intent & Blueprint Governance", "Derives intent from explicit, versioned, "
                    + "attributable blueprints - not from inferred runtime behavior.", List.of("blueprint.")),
            new Requirement("iom-a-3", "Continuous Reconciliation", "Continuously reconciles intended, built, and "
                    + "running state to prevent drift before it becomes exposure.", List.of("drift.", "connector.run")),
            new Requirement("iom-a-4", "Ownership & Accountability", "Encodes ownership, decision rights, and blast "
                    + "radius in machine-readable form; accountability is deterministic.", List.of("approval.")),
            new Requirement("iom-a-5", "Governance at the Point of Execution", "Validates and enforces every change "
                    + "against intent before execution; ticket/approval-only governance does not qualify.",
                    List.of("decision", "enforcement")),
            new Requirement("iom-a-6", "Evidence & Auditability", "Produces audit-ready evidence as a byproduct of "
                    + "operation; treats observability as evidence, not authority.", List.of("evidence.checkpoint")),
            new Requirement("iom-a-7", "AI governance (where present)", "Evaluates AI-proposed actions against "
                    + "authoritative intent and enforces constraints before execution.", List.of("decision")));

    private Oscal() {
    }

    /** The assessment-results document for {@code records} (in sequence order), made at {@code now}. */
    public static Map<String, Object> assessmentResults(List<EvidenceRecord> records, Instant now, String title) {
        String seed = records.isEmpty() ? "empty" : records.get(0).hash() + records.get(records.size() - 1).hash();
        List<Object> observations = new ArrayList<>();
        List<Object> findings = new ArrayList<>();
        for (Requirement requirement : REQUIREMENTS) {
            Map<String, List<EvidenceRecord>> byType = new TreeMap<>();
            for (EvidenceRecord record : records) {
                if (shows(requirement, record)) {
                    byType.computeIfAbsent(record.type(), t -> new ArrayList<>()).add(record);
                }
            }
            List<Object> related = new ArrayList<>();
            for (Map.Entry<String, List<EvidenceRecord>> group : byType.entrySet()) {
                List<EvidenceRecord> shown = group.getValue();
                EvidenceRecord first = shown.get(0);
                EvidenceRecord last = shown.get(shown.size() - 1);
                String uuid = uuid(seed + requirement.id() + group.getKey());
                Map<String, Object> observation = new LinkedHashMap<>();
                observation.put("uuid", uuid);
                observation.put("title", requirement.title() + ": " + group.getKey());
                observation.put("description", shown.size() + " '" + group.getKey() + "' evidence record(s), sequences "
                        + first.sequence() + " to " + last.sequence() + ", in the SHA-256 chained ledger");
                observation.put("methods", List.of("TEST"));
                observation.put("types", List.of("control-objective"));
                observation.put("subjects", List.of(Map.of("subject-uuid", uuid(seed + "ledger"), "type", "component",
                        "title", "Mandate evidence ledger")));
                observation.put("relevant-evidence", List.of(
                        Map.of("description", "first record " + first.sequence() + " " + first.hash()),
                        Map.of("description", "last record " + last.sequence() + " " + last.hash())));
                observation.put("collected", last.timestamp().toString());
                observations.add(observation);
                related.add(Map.of("observation-uuid", uuid));
            }
            Map<String, Object> finding = new LinkedHashMap<>();
            finding.put("uuid", uuid(seed + "finding" + requirement.id()));
            finding.put("title", requirement.title());
            finding.put("description", requirement.text());
            finding.put("target", Map.of("type", "objective-id", "target-id", requirement.id(),
                    "status", Map.of("state", related.isEmpty() ? "not-satisfied" : "satisfied",
                            "reason", related.isEmpty() ? "no evidence of it operating in these records"
                                    : "evidence of it operating in these records")));
            if (!related.isEmpty()) {
                finding.put("related-observations", related);
            }
            findings.add(finding);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("uuid", uuid(seed + "result"));
        result.put("title", title);
        result.put("description", records.size() + " evidence records checked against IOM Appendix A");
        result.put("start", records.isEmpty() ? now.toString() : records.get(0).timestamp().toString());
        result.put("end", records.isEmpty() ? now.toString() : records.get(records.size() - 1).timestamp().toString());
        result.put("reviewed-controls", Map.of("control-selections", List.of(Map.of("include-all", Map.of()))));
        result.put("observations", observations);
        result.put("findings", findings);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("title", title);
        metadata.put("last-modified", now.toString());
        metadata.put("version", "1");
        metadata.put("oscal-version", OSCAL_VERSION);
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("uuid", uuid(seed + "document"));
        document.put("metadata", metadata);
        document.put("import-ap", Map.of("href", "#mandate-iom-assessment-plan"));
        document.put("results", List.of(result));
        return Map.of("assessment-results", document);
    }

    private static boolean shows(Requirement requirement, EvidenceRecord record) {
        for (String type : requirement.types()) {
            if (record.type().startsWith(type)) {
                if (requirement.id().equals("iom-a-7")) {
                    // AI governance: decisions about actions proposed by AI actors
                    return record.payload().get("request") instanceof Map<?, ?> request
                            && request.get("actor") instanceof Map<?, ?> actor && "AI".equals(actor.get("kind"));
                }
                return true;
            }
        }
        return false;
    }

    private static String uuid(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
