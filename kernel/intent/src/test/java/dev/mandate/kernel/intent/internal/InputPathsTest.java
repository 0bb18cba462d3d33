package dev.mandate.kernel.intent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.mandate.api.intent.Inputs;

class InputPathsTest {

    private final CelEnvironment environment = CelEnvironment.create(List.of(), message -> {
    });

    private CelEnvironment.Compiled compiled(String expression) {
        CelEnvironment.Compiled compiled = environment.compileWhen(expression);
        assertThat(compiled.problems()).as(expression).isEmpty();
        return compiled;
    }

    private Inputs reads(String expression) {
        return InputPaths.of(compiled(expression).ast());
    }

    @Test
    void aChainOfSelectionsFromAVariableIsOnePath() {
        assertThat(reads("actor.kind == \"AI\" && request.context.mfa != true && blastRadius.count > 50").paths())
                .containsExactly("actor.kind", "blastRadius.count", "request.context.mfa");
        assertThat(reads("element.owner in actor.groups").paths()).containsExactly("actor.groups", "element.owner");
        assertThat(reads("now > timestamp(\"2026-01-01T00:00:00Z\")").paths()).containsExactly("now");
    }

    @Test
    void aPresenceTestReadsTheFieldItTestsFor() {
        assertThat(reads("has(request.context.breakGlass)").paths()).containsExactly("request.context.breakGlass");
    }

    @Test
    void anIndexReadsEverythingUnderWhatItIndexes() {
        assertThat(reads("request.context[\"mfa\"] == true").paths()).containsExactly("request.context");
        assertThat(reads("element.attributes[request.context.key] == 1").paths())
                .containsExactly("element.attributes", "request.context.key");
    }

    @Test
    void functionsAndMacrosOverAPathReadAllOfIt() {
        assertThat(reads("element.labels.size() > 2").paths()).containsExactly("element.labels");
        assertThat(reads("request.after.exists(k, k.startsWith(\"tag\"))").paths()).containsExactly("request.after");
        assertThat(reads("blastRadius.elements.all(e, e.endsWith(request.context.suffix))").paths())
                .containsExactly("blastRadius.elements", "request.context.suffix");
        assertThat(reads("size(actor) > 3").paths()).containsExactly("actor");
        assertThat(reads("[element, actor][0].id == \"x\"").paths()).containsExactly("actor", "element");
    }

    @Test
    void aLoopVariableNamedLikeAVariableCountsAsThatVariable() {
        // more than is read, never less
        assertThat(reads("blastRadius.owners.exists(actor, actor == \"team-a\")").paths())
                .containsExactly("actor", "blastRadius.owners");
    }

    @Test
    void aPathUnderAnotherIsCoveredByIt() {
        assertThat(reads("request.context.mfa == true && request.context[\"x\"] == 1").paths())
                .containsExactly("request.context");
        assertThat(reads("true").isEmpty()).isTrue();
        assertThat(InputPaths.of(null)).isEqualTo(Inputs.ALL);
    }

    @Test
    void changingAnInputTheExpressionDoesNotReadNeverChangesItsValue() throws Exception {
        String expression = "actor.kind == \"AI\" && request.context.verb in [\"connect\"] && blastRadius.count > 5"
                + " || element.attributes.exists(k, k == \"public\") || has(request.context.breakGlass)";
        CelEnvironment.Compiled compiled = compiled(expression);
        Inputs reads = InputPaths.of(compiled.ast());
        assertThat(reads.paths()).containsExactly("actor.kind", "blastRadius.count", "element.attributes",
                "request.context.breakGlass", "request.context.verb");

        Map<String, Object> variables = variables("AI", "connect", 9L, "mfa");
        Object before = Activation.eval(compiled.program(), variables, environment.functions());
        assertThat(before).isEqualTo(true);
        // inputs it does not read: assurance, justification, other context keys, other radius fields
        assertThat(reads.reads("actor.assurance")).isFalse();
        assertThat(reads.reads("request.justification")).isFalse();
        assertThat(reads.reads("request.context.approved")).isFalse();
        assertThat(reads.reads("blastRadius.depth")).isFalse();
        Map<String, Object> changed = variables("AI", "connect", 9L, "password");
        ((Map<String, Object>) changed.get("request")).put("justification", "because");
        ((Map<String, Object>) ((Map<String, Object>) changed.get("request")).get("context")).put("approved", true);
        ((Map<String, Object>) changed.get("blastRadius")).put("depth", 7L);
        assertThat(Activation.eval(compiled.program(), changed, environment.functions())).isEqualTo(before);
        // one it reads
        assertThat(reads.reads("blastRadius.count")).isTrue();
        assertThat(Activation.eval(compiled.program(), variables("AI", "connect", 1L, "mfa"), environment.functions()))
                .isEqualTo(false);
    }

    private static Map<String, Object> variables(String kind, String verb, long count, String assurance) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("verb", verb);
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("action", "update");
        request.put("justification", "");
        request.put("context", context);
        Map<String, Object> radius = new LinkedHashMap<>();
        radius.put("count", count);
        radius.put("depth", 1L);
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("actor", new LinkedHashMap<>(Map.of("kind", kind, "assurance", assurance)));
        variables.put("request", request);
        variables.put("blastRadius", radius);
        variables.put("element", Map.of("attributes", Map.of("size", 1L)));
        variables.put("drift", Map.of());
        variables.put("now", Instant.EPOCH);
        return variables;
    }
}
