package dev.mandate.kernel.intent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
        Guard negated = guard("request.action != \"read\" && element.owner == \"\"");
        assertThat(negated.actions()).isNull();
        assertThat(negated.admits("read", "HUMAN")).isTrue();
        assertThat(guard("!(request.action == \"read\")").admits("read", "HUMAN")).isTrue();
    }

    private static Map<String, Object> variables(String verb, List<String> groups, Object approved) {
        Map<String, Object> context = new HashMap<>();
        context.put("verb", verb);
        if (approved != null) {
            context.put("approved", approved);
        }
        return Map.of("request", Map.of("action", "update", "context", context),
                "actor", Map.of("kind", "HUMAN", "groups", groups),
                "element", Map.of("environment", "prod", "attributes", Map.of("account", "acct-2")));
    }

    @Test
    void literalConjunctsOnAnyPathSkipARuleOnlyWhenCertainlyFalse() {
        Guard guard = guard("request.context.verb in [\"connect\", \"makePublic\"] && \"team-0\" in actor.groups"
                + " && element.attributes.account == \"acct-2\" && actor.kind != \"AI\""
                + " && request.context.approved != true && blastRadius.count > 50");

        assertThat(guard.tests()).hasSize(5);
        assertThat(guard.mayHold(variables("connect", List.of("team-0"), false))).isTrue();
        assertThat(guard.mayHold(variables("read", List.of("team-0"), false))).isFalse();
        assertThat(guard.mayHold(variables("connect", List.of("team-1"), false))).isFalse();
        assertThat(guard.mayHold(variables("connect", List.of("team-0"), true))).isFalse();
        // missing, or of another type than the literal: CEL decides (and reports the error, if any)
        assertThat(guard.mayHold(variables("connect", List.of("team-0"), null))).isTrue();
        assertThat(guard.mayHold(variables("connect", List.of("team-0"), "yes"))).isTrue();
        assertThat(guard.mayHold(Map.of())).isTrue();
    }

    @Test
    void aSkippedRuleIsOneCelFindsFalse() throws Exception {
        String expression = "request.context.verb == \"connect\" && \"team-0\" in actor.groups && request.context.approved != true";
        CelEnvironment.Compiled compiled = environment.compileWhen(expression);
        Guard guard = Guard.of(compiled.ast());
        for (String verb : List.of("connect", "read")) {
            for (List<String> groups : List.of(List.of("team-0"), List.of("team-1", "team-2"), List.<String>of())) {
                for (Object approved : java.util.Arrays.asList(true, false, null)) {
                    Map<String, Object> variables = variables(verb, groups, approved);
                    if (!guard.mayHold(variables)) {
                        assertThat(compiled.program().eval(variables)).as("%s %s %s", verb, groups, approved)
                                .isEqualTo(false);
                    }
                }
            }
        }
    }
}
