package dev.mandate.kernel.intent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.mandate.api.decision.Action;

/** Conditions checked together ({@code precompileWhen}) compile exactly as they do alone. */
class CelEnvironmentTest {

    private static final List<String> CONDITIONS = List.of(
            "request.action == \"delete\" && actor.kind == \"AI\"",
            "request.action in [\"create\", \"update\"] && has(request.after.isPublic) && request.after.isPublic == true",
            "blastRadius.count > 0 || element.environment == \"prod\"",
            "element.id.matches(\"^aws:rds:.*\") && element.attributes.exists(k, k == \"engine\")",
            "request.action == \"delete\" // a comment at the end",
            // type errors, a non-bool, a parse error, and a text that only parses when glued to its neighbours
            "blastRadius.count + \"x\" > 1",
            "element.id",
            "request.action ==",
            "true) || (false",
            "element.environment == \"prod\"",
            // texts that would only make sense spliced into a list of conditions: a string across two
            "'''",
            "''' ), (true",
            "[{\"a\": 1}].exists(m, m.a == 1) && {\"k\": request.action}.k == \"delete\"");

    private final CelEnvironment together = CelEnvironment.create(List.of(), message -> { });
    private final CelEnvironment alone = CelEnvironment.create(List.of(), message -> { });

    @Test
    void eachConditionCompilesAsItDoesAloneWithTheSameProblemsAndTheSameResults() throws Exception {
        together.precompileWhen(CONDITIONS);

        for (String condition : CONDITIONS) {
            CelEnvironment.Compiled batched = together.compileWhen(condition);
            CelEnvironment.Compiled single = alone.compileWhen(condition);
            assertThat(batched.ok()).as(condition).isEqualTo(single.ok());
            assertThat(batched.problems()).as(condition).isEqualTo(single.problems());
            if (single.ok()) {
                for (Map<String, Object> variables : variables()) {
                    assertThat(Activation.eval(batched.program(), variables, together.functions())).as(condition)
                            .isEqualTo(Activation.eval(single.program(), variables, alone.functions()));
                }
            }
        }
        assertThat(together.compileWhen("true) || (false").ok()).isFalse();
        assertThat(together.compileWhen("''' ), (true").ok()).isFalse();
        assertThat(together.compileWhen(CONDITIONS.get(12)).ok()).isTrue();
        assertThat(together.compileWhen("blastRadius.count + \"x\" > 1").problems()).singleElement()
                .satisfies(problem -> assertThat(problem.message()).contains("no matching overload"));
    }

    @Test
    void theConditionsThatCheckAsBoolAreCompiledAheadAndTheOthersLeftToBeCompiledAlone() {
        together.precompileWhen(CONDITIONS);

        // the type error costs a few conditions beside it their shared check; element.id is dyn, not bool
        List<String> ahead = CONDITIONS.stream().filter(together::compiledAhead).toList();
        assertThat(ahead).contains(CONDITIONS.get(0), CONDITIONS.get(1), CONDITIONS.get(2), CONDITIONS.get(3),
                CONDITIONS.get(12))
                .doesNotContain(CONDITIONS.get(5), CONDITIONS.get(6), CONDITIONS.get(7), CONDITIONS.get(8),
                        CONDITIONS.get(10), CONDITIONS.get(11));
        // asking returns what was compiled ahead: nothing is compiled twice
        assertThat(together.compileWhen(CONDITIONS.get(0))).isSameAs(together.compileWhen(CONDITIONS.get(0)));
    }

    private static List<Map<String, Object>> variables() {
        List<Map<String, Object>> all = new ArrayList<>();
        for (Action action : List.of(Action.DELETE, Action.UPDATE, Action.CREATE)) {
            for (var actor : List.of(Fixtures.ai("agent"), Fixtures.human("alice"))) {
                for (String environment : List.of("prod", "dev")) {
                    all.add(Activation.of(Fixtures.context(Fixtures.rds(environment), actor, action,
                            Map.of("isPublic", true), Map.of(), Fixtures.dependents(environment.length() - 3, "team-x"))));
                }
            }
        }
        return all;
    }
}
