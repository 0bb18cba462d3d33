package dev.mandate.kernel.intent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The plain form of an expression answers what CEL answers, or leaves it to CEL: every expression
 * below, over every set of variables below, gives the plain answer equal to CEL's whenever the plain
 * form decides, and CEL's errors are never answered in its place.
 */
class PlainExpressionTest {

    private final CelEnvironment environment = CelEnvironment.create(List.of(), message -> {
    });

    private static final List<String> CONDITIONS = List.of(
            "request.action == \"read\"",
            "request.action in [\"create\", \"update\", \"delete\"]",
            "\"team-0\" in actor.groups",
            "element.owner in actor.groups && request.action == \"read\"",
            "!(element.attributes.dataClass in [\"pii\", \"confidential\"]) && request.action == \"read\"",
            "actor.attributes.clearance >= 3 && request.action == \"read\"",
            "actor.attributes.clearance < 3",
            "actor.attributes.clearance > 2 || actor.attributes.clearance <= 0",
            "actor.attributes.disabled == true",
            "request.context.approved != true",
            "request.context.breakGlass && request.context.reason != \"\"",
            "request.context.breakGlass || request.context.reason == \"\"",
            "!request.context.breakGlass",
            "\"do-not-delete\" in element.attributes.tags",
            "element.attributes.account in actor.attributes.scope",
            "actor.attributes.homeZone == element.trustZone && actor.kind != \"AI\"",
            "request.context.sourceZone != element.trustZone && request.context.approved != true",
            "blastRadius.count > 50",
            "element.attributes.missing == \"x\" && false",
            "false && element.attributes.missing == \"x\"",
            "element.attributes.missing == \"x\" || true",
            "element.attributes.count == 1",
            "element.attributes.ratio == 1",
            "element.attributes.ratio > 0",
            "1 in element.attributes.numbers",
            "\"a\" in element.attributes.mixed",
            "\"k\" in element.attributes.nested",
            "element.attributes.nested.k == \"v\"",
            "element.attributes.dataClass.k == \"v\"",
            "has(element.attributes.dataClass) && element.attributes.dataClass == \"pii\"",
            "element.attributes.tags.exists(t, t == \"x\")",
            "size(actor.groups) > 1");

    private static final List<String> PARTS = List.of("element.attributes.dataClass", "actor.attributes.clearance",
            "request.context.verb", "blastRadius.owners", "blastRadius.count", "element.attributes.tags",
            "element.attributes.missing", "element.attributes.ratio", "element.attributes.nested",
            "actor.attributes.disabled", "element.owner in actor.groups");

    @Test
    void whereThePlainFormDecidesItAnswersWhatCelAnswers() throws Exception {
        int decided = 0;
        int undecided = 0;
        for (String condition : CONDITIONS) {
            CelEnvironment.Compiled compiled = environment.compileWhen(condition);
            assertThat(compiled.problems()).as(condition).isEmpty();
            PlainExpression plain = PlainExpression.condition(compiled.ast());
            for (Map<String, Object> variables : variables()) {
                Object cel = cel(compiled, variables);
                Object answer = plain == null ? PlainExpression.UNDECIDED : plain.eval(variables);
                if (answer == PlainExpression.UNDECIDED) {
                    undecided++;
                } else {
                    decided++;
                    assertThat(answer).as("%s over %s", condition, variables).isEqualTo(cel);
                }
                // and the compiled expression, plain form first, answers as CEL alone (errors included)
                assertThat(answerOf(compiled, variables)).as("%s over %s", condition, variables).isEqualTo(cel);
            }
        }
        assertThat(decided).isGreaterThan(undecided);
    }

    @Test
    void messagePartsRenderAsCelRendersThem() throws Exception {
        for (String part : PARTS) {
            CelEnvironment.Compiled compiled = environment.compileTemplate(part);
            assertThat(compiled.problems()).as(part).isEmpty();
            PlainExpression plain = PlainExpression.value(compiled.ast());
            for (Map<String, Object> variables : variables()) {
                Object cel = cel(compiled, variables);
                Object answer = plain == null ? PlainExpression.UNDECIDED : plain.eval(variables);
                if (answer != PlainExpression.UNDECIDED) {
                    assertThat(cel).as(part).isNotEqualTo(ERROR);
                    assertThat(CelValues.format(answer)).as("%s over %s", part, variables)
                            .isEqualTo(CelValues.format(cel));
                }
            }
        }
        MessageTemplate template = new MessageTemplate(List.of("class ",
                CompiledExpression.value(environment.compileTemplate("element.attributes.dataClass")), ", missing ",
                CompiledExpression.value(environment.compileTemplate("element.attributes.missing"))));
        assertThat(template.render(variables().get(0), environment.functions())).isEqualTo("class pii, missing ?");
    }

    @Test
    void plainConditionsAreDecidedInJavaAndTheRestLeftToCel() {
        Map<String, Object> variables = variables().get(0);
        assertThat(plain("element.owner in actor.groups && request.action == \"read\"").eval(variables))
                .isEqualTo(true);
        assertThat(plain("actor.attributes.clearance >= 3").eval(variables)).isEqualTo(false);
        assertThat(plain("false && element.attributes.missing == \"x\"").eval(variables)).isEqualTo(false);
        // a missing key is an error in CEL; numbers of two kinds and lists of mixed items follow CEL's rules
        assertThat(plain("element.attributes.missing == \"x\"").eval(variables)).isSameAs(PlainExpression.UNDECIDED);
        assertThat(plain("element.attributes.missing == \"x\" && false").eval(variables))
                .isSameAs(PlainExpression.UNDECIDED);
        assertThat(plain("element.attributes.ratio == 1").eval(variables)).isSameAs(PlainExpression.UNDECIDED);
        assertThat(plain("\"a\" in element.attributes.mixed").eval(variables)).isSameAs(PlainExpression.UNDECIDED);
        // macros, functions and has() have no plain form
        assertThat(PlainExpression.condition(environment.compileWhen("size(actor.groups) > 1").ast())).isNull();
        assertThat(PlainExpression.condition(environment.compileWhen("has(element.owner)").ast())).isNull();
        assertThat(PlainExpression.condition(environment.compileWhen("actor.groups.exists(g, g == \"x\")").ast()))
                .isNull();
    }

    private PlainExpression plain(String condition) {
        PlainExpression plain = PlainExpression.condition(environment.compileWhen(condition).ast());
        assertThat(plain).as(condition).isNotNull();
        return plain;
    }

    private static final Object ERROR = new Object() {
        @Override
        public String toString() {
            return "a CEL error";
        }
    };

    private Object cel(CelEnvironment.Compiled compiled, Map<String, Object> variables) {
        try {
            return Activation.eval(compiled.program(), variables, environment.functions());
        } catch (Exception e) {
            return ERROR;
        }
    }

    /** What the compiled expression answers, plain form first: its value, or {@link #ERROR}. */
    private Object answerOf(CelEnvironment.Compiled compiled, Map<String, Object> variables) {
        try {
            return CompiledExpression.condition(compiled).eval(variables, environment.functions());
        } catch (Exception e) {
            return ERROR;
        }
    }

    private static List<Map<String, Object>> variables() {
        List<Map<String, Object>> all = new ArrayList<>();
        for (String action : List.of("read", "update")) {
            for (Object clearance : Arrays.asList(1L, 3L, 2.5, "high", null)) {
                for (List<Object> groups : List.<List<Object>>of(List.of("team-0", "team-7"), List.of("team-1"),
                        List.of())) {
                    for (Object approved : Arrays.asList(true, false, null, "yes")) {
                        all.add(variables(action, clearance, groups, approved));
                    }
                }
            }
        }
        return all;
    }

    private static Map<String, Object> variables(String action, Object clearance, List<Object> groups,
            Object approved) {
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("dataClass", "pii");
        attributes.put("tags", List.of("do-not-delete", "compliance:sox"));
        attributes.put("account", "acct-2");
        attributes.put("count", 1L);
        attributes.put("ratio", 1.0);
        attributes.put("numbers", List.of(1.0, 2.0));
        attributes.put("mixed", List.of(1L, "b"));
        attributes.put("nested", Map.of("k", "v"));
        Map<String, Object> element = new LinkedHashMap<>();
        element.put("owner", "team-7");
        element.put("trustZone", "internal");
        element.put("attributes", attributes);
        Map<String, Object> actorAttributes = new HashMap<>();
        if (clearance != null) {
            actorAttributes.put("clearance", clearance);
        }
        actorAttributes.put("disabled", false);
        actorAttributes.put("homeZone", "internal");
        actorAttributes.put("scope", List.of("acct-2", "acct-3"));
        Map<String, Object> context = new HashMap<>();
        context.put("verb", "update");
        context.put("breakGlass", false);
        context.put("reason", "");
        context.put("sourceZone", "dmz");
        if (approved != null) {
            context.put("approved", approved);
        }
        return Map.of("element", element,
                "actor", Map.of("kind", "HUMAN", "groups", groups, "attributes", actorAttributes),
                "request", Map.of("action", action, "context", context),
                "blastRadius", Map.of("count", 51L, "owners", List.of("team-1", "team-2")));
    }
}
