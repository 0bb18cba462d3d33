package dev.mandate.api.intent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.api.Test;

class DecisionRightTest {

    private final DecisionRight prodOperate = new DecisionRight("operate", Set.of("update", "restart"), Set.of("prod"), false);
    private final DecisionRight anywhere = new DecisionRight("change", Set.of("*"), Set.of(), false);

    @Test
    void aRightCoversItsActionsInItsEnvironments() {
        assertThat(prodOperate.covers("update", "prod")).isTrue();
        assertThat(prodOperate.covers("delete", "prod")).isFalse();
        assertThat(prodOperate.covers("update", "dev")).isFalse();
        assertThat(anywhere.covers("delete", "dev")).isTrue();
    }

    @Test
    void anElementWithoutAnEnvironmentIsCoveredOnlyByRightsForEveryEnvironment() {
        // an element a connector reported without an environment used to throw here (Set.of rejects null)
        assertThat(prodOperate.covers("update", null)).isFalse();
        assertThat(anywhere.covers("update", null)).isTrue();
        assertThat(prodOperate.covers(null, "prod")).isFalse();
    }
}
