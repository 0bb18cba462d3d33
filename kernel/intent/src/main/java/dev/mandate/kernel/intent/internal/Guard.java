package dev.mandate.kernel.intent.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;

/**
 * What a condition demands, read off its top-level conjuncts: the action and the actor kind
 * ({@code request.action == "delete" && …}, {@code request.action in ["delete", "replace"] && …}),
 * and every other conjunct that compares a path of the variables with literals
 * ({@code request.context.verb == "connect"}, {@code element.environment in ["prod", "staging"]},
 * {@code "team-0" in actor.groups}, {@code actor.kind != "AI"}, {@code request.context.approved != true}).
 * A constraint whose guard does not admit a request cannot hold for it (in CEL, {@code false && x}
 * is false even when {@code x} errors), so evaluation skips it without running CEL: the rule
 * indexing that keeps a decision's cost proportional to the rules that can apply.
 *
 * <p>The literal tests only ever skip a rule whose conjunct is certainly false: where the path is
 * missing, or its value is of another type than the literal, CEL decides (and reports an error
 * where there is one).
 *
 * @param actions    the actions the condition can hold for, or {@code null} for any
 * @param actorKinds the actor kinds it can hold for, or {@code null} for any
 * @param tests      the other literal conjuncts, in the order written
 */
record Guard(Set<String> actions, Set<String> actorKinds, List<Test> tests) {

    static final Guard ANY = new Guard(null, null, List.of());

    private static final String ACTION = "request.action";
    private static final String ACTOR_KIND = "actor.kind";

    Guard {
        tests = List.copyOf(tests);
    }

    Guard(Set<String> actions, Set<String> actorKinds) {
        this(actions, actorKinds, List.of());
    }

    boolean admits(String action, String actorKind) {
        return (actions == null || actions.contains(action)) && (actorKinds == null || actorKinds.contains(actorKind));
    }

    /** False only when one of the literal conjuncts is certainly false for these variables. */
    boolean mayHold(Map<String, Object> variables) {
        for (Test test : tests) {
            if (!test.mayHold(variables)) {
                return false;
            }
        }
        return true;
    }

    /** What one literal conjunct compares. */
    enum Op {
        /** {@code path == literal}, {@code path in [literals]}. */
        ONE_OF,
        /** {@code path != literal}. */
        NOT,
        /** {@code literal in path}: a list holding it, or a map with it as a key. */
        HOLDS
    }

    /**
     * One conjunct: a path ({@code request.context.verb}: a variable and map keys) compared with
     * text or boolean literals.
     */
    record Test(List<String> path, Op op, Set<Object> literals) {

        Test {
            path = List.copyOf(path);
            literals = Set.copyOf(literals);
        }

        boolean mayHold(Map<String, Object> variables) {
            Object value = variables.get(path.get(0));
            for (int i = 1; i < path.size() && value != null; i++) {
                value = value instanceof Map<?, ?> map ? map.get(path.get(i)) : null;
            }
            if (value == null) {
                return true; // missing (CEL errors or decides otherwise): let CEL tell
            }
            switch (op) {
                case ONE_OF:
                    return !comparable(value) || literals.contains(value);
                case NOT:
                    return !comparable(value) || !literals.contains(value);
                default:
                    return holds(value);
            }
        }

        /** A value the literals can be compared with in Java as CEL would: text or a boolean, like them. */
        private boolean comparable(Object value) {
            if (!(value instanceof String) && !(value instanceof Boolean)) {
                return false;
            }
            for (Object literal : literals) {
                if (literal.getClass() != value.getClass()) {
                    return false;
                }
            }
            return true;
        }

        private boolean holds(Object value) {
            Object literal = literals.iterator().next();
            if (value instanceof List<?> list) {
                for (Object item : list) {
                    if (item == null || item.getClass() != literal.getClass() || item.equals(literal)) {
                        return true; // present, or an item only CEL can compare
                    }
                }
                return false;
            }
            if (value instanceof Map<?, ?> map && literal instanceof String) {
                return map.containsKey(literal);
            }
            return true;
        }
    }

    static Guard of(CelAbstractSyntaxTree ast) {
        if (ast == null) {
            return ANY;
        }
        List<CelExpr> conjuncts = new ArrayList<>();
        collect(ast.getExpr(), conjuncts);
        Map<String, Set<String>> required = new HashMap<>();
        List<Test> tests = new ArrayList<>();
        for (CelExpr conjunct : conjuncts) {
            if (!requirement(conjunct, required)) {
                Test test = test(conjunct);
                if (test != null) {
                    tests.add(test);
                }
            }
        }
        if (required.isEmpty() && tests.isEmpty()) {
            return ANY;
        }
        return new Guard(required.get(ACTION), required.get(ACTOR_KIND), tests);
    }

    private static void collect(CelExpr expr, List<CelExpr> conjuncts) {
        if (expr.getKind() == CelExpr.ExprKind.Kind.CALL && "_&&_".equals(expr.call().function())) {
            for (CelExpr argument : expr.call().args()) {
                collect(argument, conjuncts);
            }
        } else {
            conjuncts.add(expr);
        }
    }

    /** An action or actor kind test, added to {@code required}; false for any other conjunct. */
    private static boolean requirement(CelExpr conjunct, Map<String, Set<String>> required) {
        if (conjunct.getKind() != CelExpr.ExprKind.Kind.CALL || conjunct.call().args().size() != 2) {
            return false;
        }
        String function = conjunct.call().function();
        CelExpr left = conjunct.call().args().get(0);
        CelExpr right = conjunct.call().args().get(1);
        Set<String> values = null;
        String path = null;
        if ("_==_".equals(function)) {
            if (path(left) != null && string(right) != null) {
                path = path(left);
                values = Set.of(string(right));
            } else if (path(right) != null && string(left) != null) {
                path = path(right);
                values = Set.of(string(left));
            }
        } else if ("@in".equals(function) && path(left) != null && right.getKind() == CelExpr.ExprKind.Kind.LIST) {
            Set<String> listed = new HashSet<>();
            for (CelExpr element : right.list().elements()) {
                String value = string(element);
                if (value == null) {
                    return false;
                }
                listed.add(value);
            }
            path = path(left);
            values = listed;
        }
        if (path == null || !(ACTION.equals(path) || ACTOR_KIND.equals(path))) {
            return false;
        }
        Set<String> current = required.get(path);
        if (current == null) {
            required.put(path, Set.copyOf(values));
        } else {
            Set<String> both = new HashSet<>(current);
            both.retainAll(values);
            required.put(path, Set.copyOf(both));
        }
        return true;
    }

    /** A comparison of a path with literals, or {@code null} for any other conjunct. */
    private static Test test(CelExpr conjunct) {
        if (conjunct.getKind() != CelExpr.ExprKind.Kind.CALL || conjunct.call().args().size() != 2) {
            return null;
        }
        String function = conjunct.call().function();
        CelExpr left = conjunct.call().args().get(0);
        CelExpr right = conjunct.call().args().get(1);
        if ("_==_".equals(function) || "_!=_".equals(function)) {
            Op op = "_==_".equals(function) ? Op.ONE_OF : Op.NOT;
            if (segments(left) != null && literal(right) != null) {
                return new Test(segments(left), op, Set.of(literal(right)));
            }
            if (segments(right) != null && literal(left) != null) {
                return new Test(segments(right), op, Set.of(literal(left)));
            }
            return null;
        }
        if (!"@in".equals(function)) {
            return null;
        }
        if (segments(left) != null && right.getKind() == CelExpr.ExprKind.Kind.LIST) {
            Set<Object> listed = new HashSet<>();
            for (CelExpr element : right.list().elements()) {
                Object value = literal(element);
                if (value == null) {
                    return null;
                }
                listed.add(value);
            }
            return listed.isEmpty() ? null : new Test(segments(left), Op.ONE_OF, listed);
        }
        if (literal(left) != null && segments(right) != null) {
            return new Test(segments(right), Op.HOLDS, Set.of(literal(left)));
        }
        return null;
    }

    /** {@code variable.field} for a field selection on a variable, else {@code null}. */
    private static String path(CelExpr expr) {
        if (expr.getKind() != CelExpr.ExprKind.Kind.SELECT || expr.select().testOnly()) {
            return null;
        }
        CelExpr operand = expr.select().operand();
        if (operand.getKind() != CelExpr.ExprKind.Kind.IDENT) {
            return null;
        }
        return operand.ident().name() + "." + expr.select().field();
    }

    /** {@code [variable, field, field …]} for field selections down from a variable, else {@code null}. */
    private static List<String> segments(CelExpr expr) {
        List<String> reversed = new ArrayList<>();
        CelExpr current = expr;
        while (current.getKind() == CelExpr.ExprKind.Kind.SELECT && !current.select().testOnly()) {
            reversed.add(current.select().field());
            current = current.select().operand();
        }
        if (reversed.isEmpty() || current.getKind() != CelExpr.ExprKind.Kind.IDENT
                || !CelEnvironment.VARIABLES.contains(current.ident().name())) {
            return null;
        }
        List<String> path = new ArrayList<>(reversed.size() + 1);
        path.add(current.ident().name());
        for (int i = reversed.size() - 1; i >= 0; i--) {
            path.add(reversed.get(i));
        }
        return path;
    }

    private static String string(CelExpr expr) {
        if (expr.getKind() == CelExpr.ExprKind.Kind.CONSTANT
                && expr.constant().getKind() == CelConstant.Kind.STRING_VALUE) {
            return expr.constant().stringValue();
        }
        return null;
    }

    /** A text or boolean constant, else {@code null}. */
    private static Object literal(CelExpr expr) {
        if (expr.getKind() != CelExpr.ExprKind.Kind.CONSTANT) {
            return null;
        }
        if (expr.constant().getKind() == CelConstant.Kind.STRING_VALUE) {
            return expr.constant().stringValue();
        }
        if (expr.constant().getKind() == CelConstant.Kind.BOOLEAN_VALUE) {
            return expr.constant().booleanValue();
        }
        return null;
    }
}
