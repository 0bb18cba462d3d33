package dev.mandate.kernel.intent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class GuardTest {

    private final CelEnvironment environment = CelEnvironment.create(List.of(), message -> {
    });

    private Guard guard(String expression) {
        CelEnvironment.Compiled compiled = environment.compileWhen(expression);
        assertThat(compiled.problems()).isEmpty();
        return Guard.of(compiled.ast());
    }

    @Test
    void readsActionsAndActorKindsFromTopLevelConjuncts() {
        Guard guard = guard("actor.kind == \"AI\" && request.action in [\"delete\", \"replace\"] && blastRadius.count > 0");

        assertThat(guard.actions()).isEqualTo(Set.of("delete", "replace"));
        assertThat(guard.actorKinds()).isEqualTo(Set.of("AI"));
        assertThat(guard.admits("delete", "AI")).isTrue();
        assertThat(guard.admits("update", "AI")).isFalse();
        assertThat(guard.admits("delete", "HUMAN")).isFalse();
    }

    @Test
    void conjunctsOnTheSameFieldNarrowEachOther() {
        Guard guard = guard("request.action in [\"create\", \"update\"] && \"update\" == request.action");

        assertThat(guard.actions()).containsExactly("update");
    }

    @Test
    void disjunctionsAndNegationsAdmitEverything() {
        assertThat(guard("request.action == \"delete\" || actor.kind == \"AI\"")).isEqualTo(Guard.ANY);
        assertThat(guard("request.action != \"read\" && element.owner == \"\"")).isEqualTo(Guard.ANY);
        assertThat(guard("!(request.action == \"read\")").admits("read", "HUMAN")).isTrue();
    }
}
