package dev.mandate.kernel.export.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.mandate.api.evidence.EvidenceRecord;
import dev.mandate.kernel.ledger.verify.ChainRecord;

import org.junit.jupiter.api.Test;

class FormatsTest {
    private static final Instant AT = Instant.parse("2026-11-26T08:00:00.120Z");

    private static EvidenceRecord decision(long sequence, String outcome, String actorKind) {
        Map<String, Object> payload = Map.of("decisionId", "d-" + sequence, "outcome", outcome,
                "request", Map.of("action", "delete", "target", "aws:rds:orders-prod",
                        "actor", Map.of("id", "agent-7", "kind", actorKind, "team", "team-payments")),
                "blueprints", List.of("baseline@1.2.0"));
        ChainRecord unhashed = new ChainRecord(sequence, "decision", ChainRecord.timestamp(AT), 9,
                dev.mandate.kernel.ledger.verify.Jcs.write(payload), ChainRecord.GENESIS, "");
        return new EvidenceRecord(sequence, "decision", AT, 9, payload, ChainRecord.GENESIS, unhashed.computeHash());
    }

    @Test
    void aJsonLineHashesBackToTheRecordsOwnHash() {
        EvidenceRecord record = decision(1, "DENY", "HUMAN");

        String line = JsonLines.line(record);

        assertThat(line).doesNotContain("\n").contains("\"timestamp\":\"2026-11-26T08:00:00.120Z\"");
        ChainRecord read = ChainRecord.fromJsonLine(line);
        assertThat(read.computeHash()).isEqualTo(record.hash()).isEqualTo(read.hash());
    }

    @Test
    void aDeniedDeleteIsAnOcsfApiActivityDeleteThatWasBlocked() {
        Map<String, Object> event = Ocsf.event(decision(4, "DENY", "AI"));

        assertThat(event).containsEntry("class_uid", 6003).containsEntry("category_uid", 6)
                .containsEntry("activity_id", 4).containsEntry("type_uid", 600304)
                .containsEntry("disposition_id", 2).containsEntry("disposition", "Blocked")
                .containsEntry("status_id", 2).containsEntry("time", AT.toEpochMilli());
        assertThat(event.get("actor")).isEqualTo(Map.of("user", Map.of("uid", "agent-7", "type", "AI",
                "groups", List.of(Map.of("name", "team-payments")))));
        assertThat(event.get("resources")).isEqualTo(List.of(Map.of("uid", "aws:rds:orders-prod")));
        @SuppressWarnings("unchecked")
        Map<String, Object> metadata = (Map<String, Object>) event.get("metadata");
        assertThat(metadata).containsEntry("sequence", 4L).containsEntry("version", "1.1.0");
    }

    @Test
    void oscalFindsEachRequirementSatisfiedOnlyWhereRecordsShowIt() {
        List<EvidenceRecord> records = List.of(decision(1, "ALLOW", "HUMAN"), decision(2, "DENY", "AI"));

        Map<?, ?> document = (Map<?, ?>) Oscal.assessmentResults(records, AT, "test").get("assessment-results");
        Map<?, ?> result = (Map<?, ?>) ((List<?>) document.get("results")).get(0);
        List<?> findings = (List<?>) result.get("findings");

        assertThat(findings).hasSize(7);
        assertThat(findings.stream().map(f -> (Map<?, ?>) ((Map<?, ?>) f).get("target"))
                .map(t -> t.get("target-id") + "=" + ((Map<?, ?>) t.get("status")).get("state")))
                .containsExactly("iom-a-1=not-satisfied", "iom-a-2=not-satisfied", "iom-a-3=not-satisfied",
                        "iom-a-4=not-satisfied", "iom-a-5=satisfied", "iom-a-6=not-satisfied", "iom-a-7=satisfied");
        assertThat((List<?>) result.get("observations")).hasSize(2);
        assertThat(((Map<?, ?>) document.get("metadata")).get("oscal-version")).isEqualTo("1.1.2");
        assertThat(Oscal.assessmentResults(records, AT, "test")).isEqualTo(Oscal.assessmentResults(records, AT, "test"));
    }
}
