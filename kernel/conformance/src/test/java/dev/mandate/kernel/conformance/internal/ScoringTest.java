package dev.mandate.kernel.conformance.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Set;

import dev.mandate.kernel.conformance.Assessment;

import org.junit.jupiter.api.Test;

class ScoringTest {
    private static final Instant NOW = Instant.parse("2026-11-26T08:00:00Z");

    private static Facts facts(int withOwner, int unauthorized, boolean ledgerValid) {
        return new Facts(3, 355, withOwner, 355, 355, 300, 6, 6, 6, 8, 1, 1, 1, Set.of("CLOUD"), 120, true, 40, 10,
                unauthorized, 120, 120, 120, 2, 2, 3, 4, 12, 30, ledgerValid, 400, ledgerValid ? null : "broken link",
                NOW, 0, true);
    }

    @Test
    void scalesFollowTheDocumentedThresholds() {
        assertThat(Scoring.shareScore(0, 10)).isZero();
        assertThat(Scoring.shareScore(1, 0)).isZero();
        assertThat(Scoring.shareScore(4, 10)).isEqualTo(1);
        assertThat(Scoring.shareScore(5, 10)).isEqualTo(2);
        assertThat(Scoring.shareScore(9, 10)).isEqualTo(3);
        assertThat(Scoring.fewScore(0, 100)).isEqualTo(3);
        assertThat(Scoring.fewScore(1, 100)).isEqualTo(2);
        assertThat(Scoring.fewScore(5, 100)).isEqualTo(1);
        assertThat(Scoring.fewScore(6, 100)).isZero();
        assertThat(Scoring.countScore(0, 1, 10, 100)).isZero();
        assertThat(Scoring.countScore(10, 1, 10, 100)).isEqualTo(2);
        assertThat(Scoring.band(18)).isEqualTo("Pre-IOM");
        assertThat(Scoring.band(19)).isEqualTo("Emerging");
        assertThat(Scoring.band(54)).isEqualTo("Developing");
        assertThat(Scoring.band(55)).isEqualTo("Governed");
    }

    @Test
    void unownedElementsAndUnauthorizedChangesAreNotConformantAndSayWhy() {
        Assessment assessment = Scoring.assess(facts(345, 2, true), NOW);

        assertThat(assessment.conformant()).isFalse();
        assertThat(assessment.appendixA()).extracting(Assessment.Requirement::met)
                .containsExactly(true, true, true, false, false, true, true);
        assertThat(assessment.appendixA().get(3).because()).isEqualTo("10 of 355 element(s) have no owner");
        assertThat(assessment.appendixA().get(4).because()).isEqualTo("2 running change(s) no execution grant covered");
        assertThat(assessment.appendixA().get(4).facts()).containsEntry("decidedBeforeExecutionShare", 0.984);
        assertThat(assessment.maturity()).hasSize(6).allSatisfy(d -> assertThat(d.criteria()).hasSize(4));
        assertThat(assessment.total()).isEqualTo(assessment.maturity().stream().mapToInt(Assessment.Dimension::score).sum());
        assertThat(assessment.band()).isEqualTo(Scoring.band(assessment.total()));
    }

    @Test
    void aLedgerThatDoesNotVerifyFailsEvidenceAndScoresNothingForIt() {
        Assessment broken = Scoring.assess(facts(355, 0, false), NOW);
        Assessment sound = Scoring.assess(facts(355, 0, true), NOW);

        assertThat(broken.appendixA().get(5).met()).isFalse();
        assertThat(broken.appendixA().get(5).because()).isEqualTo("the ledger does not verify: broken link");
        assertThat(sound.conformant()).isTrue();
        assertThat(sound.total() - broken.total()).isEqualTo(3);
    }
}
