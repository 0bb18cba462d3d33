package dev.mandate.kernel.ledger.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mandate.api.evidence.EvidenceLedger;
import dev.mandate.api.evidence.EvidenceQuery;
import dev.mandate.api.evidence.EvidenceRecord;
import dev.mandate.kernel.jdbc.testing.TestDatabase;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ledger's query (SQL-narrowed) agrees with the api's page-by-page default on every filter. */
class EvidenceQueryTest {
    private final TestDatabase database = TestDatabase.inMemory("ledger-" + UUID.randomUUID());
    private final SettableClock now = new SettableClock(Instant.parse("2026-11-01T00:00:00Z"));
    private EvidenceLedgerImpl ledger;

    @BeforeEach
    void fill() {
        ledger = new EvidenceLedgerImpl(database, now);
        for (int day = 1; day <= 10; day++) {
            now.set(Instant.parse("2026-11-01T00:00:00Z").plusSeconds(86_400L * day));
            ledger.append("decision", day, Map.of("outcome", day % 3 == 0 ? "DENY" : "ALLOW",
                    "request", Map.of("target", "db-" + (day % 2), "actor", Map.of("id", "alice", "team",
                            day % 2 == 0 ? "team-web" : "team-payments")),
                    "blueprints", List.of("baseline@1.2.0"), "blastRadius", Map.of("owners", List.of("team-data"))));
            ledger.append(day % 2 == 0 ? "approval.approved" : "blueprint.loaded", day,
                    day % 2 == 0 ? Map.of("approver", "bob") : Map.of("name", "pci-segmentation", "version", "1.0.0"));
        }
    }

    private static EvidenceQuery query(Instant from, Instant to, String type, String element, String actor, String team,
            String blueprint, String outcome, long after, int limit) {
        return new EvidenceQuery(from, to, type, element, actor, team, blueprint, outcome, after, limit);
    }

    private List<Long> sequences(EvidenceQuery query) {
        List<Long> narrowed = ledger.query(query).stream().map(EvidenceRecord::sequence).toList();
        EvidenceLedger plain = new ForwardingLedger(ledger);
        assertThat(plain.query(query).stream().map(EvidenceRecord::sequence).toList()).as("the api default")
                .isEqualTo(narrowed);
        if (narrowed.size() < query.limit()) {
            assertThat(ledger.count(query)).as("counted in the store").isEqualTo(narrowed.size());
            assertThat(plain.count(query)).as("the api default count").isEqualTo(narrowed.size());
        }
        return narrowed;
    }

    @Test
    void eachFilterSelectsTheRecordsThatNameIt() {
        assertThat(sequences(query(null, null, null, null, null, null, null, "deny", 0, 100)))
                .containsExactly(5L, 11L, 17L);
        assertThat(sequences(query(null, null, null, "db-0", null, null, null, null, 0, 100)))
                .containsExactly(3L, 7L, 11L, 15L, 19L);
        assertThat(sequences(query(null, null, null, null, "bob", null, null, null, 0, 100)))
                .containsExactly(4L, 8L, 12L, 16L, 20L);
        assertThat(sequences(query(null, null, "decision", null, null, "team-web", null, null, 0, 100)))
                .containsExactly(3L, 7L, 11L, 15L, 19L);
        assertThat(sequences(query(null, null, null, null, null, "team-data", null, null, 0, 3)))
                .containsExactly(1L, 3L, 5L);
        assertThat(sequences(query(null, null, null, null, null, null, "pci-segmentation", null, 0, 100)))
                .containsExactly(2L, 6L, 10L, 14L, 18L);
        assertThat(sequences(query(null, null, null, null, null, null, "baseline", null, 0, 2))).containsExactly(1L, 3L);
        assertThat(sequences(query(null, null, "approval.*", null, null, null, null, null, 0, 100)))
                .containsExactly(4L, 8L, 12L, 16L, 20L);
    }

    @Test
    void timeRangeAndCursorPage() {
        Instant from = Instant.parse("2026-11-04T00:00:00Z");
        Instant to = Instant.parse("2026-11-06T00:00:00Z");

        assertThat(sequences(query(from, to, null, null, null, null, null, null, 0, 100)))
                .containsExactly(5L, 6L, 7L, 8L);
        assertThat(sequences(query(from, to, null, null, null, null, null, null, 6, 100))).containsExactly(7L, 8L);
        assertThat(sequences(query(null, null, "decision", null, null, null, null, null, 16, 100)))
                .containsExactly(17L, 19L);
    }

    @Test
    void aCountIgnoresTheLimitAndHonoursTheCursor() {
        Instant from = Instant.parse("2026-11-04T00:00:00Z");

        assertThat(ledger.count(query(null, null, "decision", null, null, null, null, null, 0, 1))).isEqualTo(10);
        assertThat(ledger.count(query(from, null, "decision", null, null, null, null, null, 0, 1))).isEqualTo(8);
        assertThat(ledger.count(query(from, null, "blueprint.*", null, null, null, null, null, 0, 1))).isEqualTo(4);
        assertThat(ledger.count(query(null, null, null, null, null, null, null, null, 15, 1))).isEqualTo(5);
        assertThat(ledger.count(query(null, null, "decision", null, null, null, null, "deny", 6, 1))).isEqualTo(2);
        assertThat(ledger.count(query(null, null, "missing", null, null, null, null, null, 0, 1))).isZero();
    }
}
