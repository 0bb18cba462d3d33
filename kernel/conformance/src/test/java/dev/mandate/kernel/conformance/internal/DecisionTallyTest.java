package dev.mandate.kernel.conformance.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mandate.api.evidence.EvidenceLedger;
import dev.mandate.api.evidence.EvidenceQuery;
import dev.mandate.api.evidence.EvidenceRecord;
import dev.mandate.kernel.jdbc.testing.TestDatabase;
import dev.mandate.kernel.ledger.internal.EvidenceLedgerImpl;
import dev.mandate.kernel.ledger.internal.ForwardingLedger;
import dev.mandate.kernel.ledger.internal.SettableClock;

import org.junit.jupiter.api.Test;

/** The decision facts of the window from a real ledger, each decision read once. */
class DecisionTallyTest {
    private static final Instant START = Instant.parse("2026-10-01T12:00:00Z");

    private final SettableClock clock = new SettableClock(START);
    private final EvidenceLedgerImpl real = new EvidenceLedgerImpl(TestDatabase.inMemory("tally-" + UUID.randomUUID()),
            clock);
    private final ReadCounting ledger = new ReadCounting(real);
    private final List<EvidenceRecord> decisions = new ArrayList<>();

    @Test
    void theWindowIsReadOnceThenOnlyWhatIsNewAndOldDecisionsLeaveIt() {
        for (int day = 0; day < 40; day++) {
            clock.set(START.plus(Duration.ofDays(day)));
            decide(day);
            real.append("connector.run", day, Map.of("connector", "file"));
            if (day % 4 == 0) {
                decide(day + 100);
            }
        }
        Instant now = START.plus(Duration.ofDays(40)).minus(Duration.ofHours(12)); // midnight after day 39
        DecisionTally tally = new DecisionTally();

        DecisionTally.Counts first = tally.update(ledger, now.minus(Duration.ofDays(30)));

        assertThat(first).isEqualTo(expected(now.minus(Duration.ofDays(30))));
        assertThat(first.decisions()).isEqualTo(30 + 7); // days 10 to 39, and the second decisions of days 12, 16 … 36
        assertThat(first.ai()).isPositive();
        assertThat(first.aiWithAgent()).isPositive().isLessThan(first.ai());
        assertThat(ledger.read).as("each decision of the window read once").isEqualTo(37);

        clock.set(now.plus(Duration.ofHours(1)));
        decide(7);
        decide(8);
        DecisionTally.Counts second = tally.update(ledger, now.minus(Duration.ofDays(30)));
        assertThat(second).isEqualTo(expected(now.minus(Duration.ofDays(30))));
        assertThat(second.decisions()).isEqualTo(39);
        assertThat(ledger.read).as("only the two new decisions read").isEqualTo(39);

        Instant later = now.plus(Duration.ofDays(5));
        DecisionTally.Counts moved = tally.update(ledger, later.minus(Duration.ofDays(30)));
        assertThat(moved).isEqualTo(expected(later.minus(Duration.ofDays(30))));
        assertThat(moved.decisions()).isEqualTo(39 - 5 - 1); // days 10 to 14 left, with the second decision of day 12
        assertThat(ledger.read).isEqualTo(39);
    }

    /** A decision whose facts vary with {@code n}: blast radius, revision and blueprints, AI actor, named agent. */
    private void decide(int n) {
        Map<String, Object> actor = n % 3 == 0 ? Map.of("id", "agent-" + n, "kind", "AI", "agent",
                n % 2 == 0 ? Map.of("model", "claude", "promptHash", "sha256:" + n) : Map.of("promptHash", "x"))
                : Map.of("id", "alice", "kind", "HUMAN");
        Map<String, Object> payload = new java.util.HashMap<>(Map.of("request", Map.of("actor", actor,
                "action", "update", "target", "db-" + n), "outcome", "ALLOW"));
        if (n % 5 != 0) {
            payload.put("blastRadius", Map.of("count", n));
        }
        if (n % 7 != 0) {
            payload.put("blueprints", List.of("baseline@1.0.0"));
        }
        decisions.add(real.append("decision", n % 11 == 0 ? 0 : n, payload));
    }

    /** The same facts counted the plain way, over every decision kept in this test. */
    private DecisionTally.Counts expected(Instant windowStart) {
        int total = 0;
        int radius = 0;
        int complete = 0;
        int ai = 0;
        int agent = 0;
        for (EvidenceRecord decision : decisions) {
            if (decision.timestamp().isBefore(windowStart)) {
                continue;
            }
            total++;
            Map<String, Object> payload = decision.payload();
            radius += payload.containsKey("blastRadius") ? 1 : 0;
            complete += decision.modelRevision() > 0 && payload.containsKey("blueprints") ? 1 : 0;
            Map<?, ?> actor = (Map<?, ?>) ((Map<?, ?>) payload.get("request")).get("actor");
            if ("AI".equals(actor.get("kind"))) {
                ai++;
                agent += actor.get("agent") instanceof Map<?, ?> named && named.containsKey("model") ? 1 : 0;
            }
        }
        return new DecisionTally.Counts(total, radius, complete, ai, agent);
    }

    /** The real ledger, counting the records its queries return. */
    private static final class ReadCounting extends ForwardingLedger {
        int read;

        ReadCounting(EvidenceLedger ledger) {
            super(ledger);
        }

        @Override
        public List<EvidenceRecord> query(EvidenceQuery query) {
            List<EvidenceRecord> page = ledger.query(query);
            read += page.size();
            return page;
        }
    }
}
