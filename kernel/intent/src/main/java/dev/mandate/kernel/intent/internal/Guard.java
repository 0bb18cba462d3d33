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
 * What a condition demands of the action and the actor kind, read off its top-level conjuncts
 * ({@code request.action == "delete" && …}, {@code request.action in ["delete", "replace"] && …}).
 * A constraint whose guard does not admit a request cannot hold for it (in CEL, {@code false && x}
 * is false even when {@code x} errors), so evaluation skips it without running CEL: the rule
 * indexing that keeps a decision's cost proportional to the rules that can apply.
 *
 * @param actions    the actions the condition can hold for, or {@code null} for any
 * @param actorKinds the actor kinds it can hold for, or {@code null} for any
 */
record Guard(Set<String> actions, Set<String> actorKinds) {

    static final Guard ANY = new Guard(null, null);

    private static final String ACTION = "request.action";
    private static final String ACTOR_KIND = "actor.kind";

    boolean admits(String action, String actorKind) {
        return (actions == null || actions.contains(action)) && (actorKinds == null || actorKinds.contains(actorKind));
    }

    static Guard of(CelAbstractSyntaxTree ast) {
        if (ast == null) {
            return ANY;
        }
        List<CelExpr> conjuncts = new ArrayList<>();
        collect(ast.getExpr(), conjuncts);
        Map<String, Set<String>> required = new HashMap<>();
        for (CelExpr conjunct : conjuncts) {
            requirement(conjunct, required);
        }
        return new Guard(required.get(ACTION), required.get(ACTOR_KIND));
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

    private static void requirement(CelExpr conjunct, Map<String, Set<String>> required) {
        if (conjunct.getKind() != CelExpr.ExprKind.Kind.CALL || conjunct.call().args().size() != 2) {
            return;
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
                    return;
                }
                listed.add(value);
            }
            path = path(left);
            values = listed;
        }
        if (path == null || !(ACTION.equals(path) || ACTOR_KIND.equals(path))) {
            return;
        }
        Set<String> current = required.get(path);
        if (current == null) {
            required.put(path, Set.copyOf(values));
        } else {
            Set<String> both = new HashSet<>(current);
            both.retainAll(values);
            required.put(path, Set.copyOf(both));
        }
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

    private static String string(CelExpr expr) {
        if (expr.getKind() == CelExpr.ExprKind.Kind.CONSTANT
                && expr.constant().getKind() == CelConstant.Kind.STRING_VALUE) {
            return expr.constant().stringValue();
        }
        return null;
    }
}
