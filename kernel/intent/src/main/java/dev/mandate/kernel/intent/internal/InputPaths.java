package dev.mandate.kernel.intent.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelExpr;
import dev.mandate.api.intent.Inputs;

/**
 * What a CEL expression reads, worked out from its tree: every chain of field selections down from
 * one of the variables ({@code request.context.mfa}, {@code actor.assurance}, {@code now}) is a path
 * it reads. Where a chain stops at anything else — an index ({@code request.context["mfa"]}), a
 * function or method ({@code element.labels.size()}), a macro ({@code request.after.exists(k, …)}),
 * the variable handed on whole — the path up to there is read as a whole, so every value under it
 * counts as read. A comprehension variable named like a variable is read as that variable (more than
 * is read, never less). An expression of a form this does not know reads {@link Inputs#ALL}.
 *
 * <p>Sound because every value an expression can reach comes out of a variable through such a
 * chain, and contributed functions see only their arguments ({@code ConstraintFunction} must keep no
 * state and read nothing else).
 */
final class InputPaths {

    private InputPaths() {
    }

    /** The inputs this checked or parsed expression reads; {@link Inputs#ALL} without a tree. */
    static Inputs of(CelAbstractSyntaxTree ast) {
        if (ast == null) {
            return Inputs.ALL;
        }
        Set<String> paths = new TreeSet<>();
        return collect(ast.getExpr(), paths) ? Inputs.of(paths) : Inputs.ALL;
    }

    /** Adds what {@code expr} reads; false for a form of expression not known here. */
    private static boolean collect(CelExpr expr, Set<String> paths) {
        switch (expr.getKind()) {
            case NOT_SET:
            case CONSTANT:
                return true;
            case IDENT:
                String name = expr.ident().name();
                if (isVariable(name)) {
                    paths.add(name);
                }
                return true;
            case SELECT:
                return select(expr, paths);
            case CALL:
                CelExpr.CelCall call = expr.call();
                if (call.target().isPresent() && !collect(call.target().get(), paths)) {
                    return false;
                }
                return all(call.args(), paths);
            case LIST:
                return all(expr.list().elements(), paths);
            case MAP:
                for (CelExpr.CelMap.Entry entry : expr.map().entries()) {
                    if (!collect(entry.key(), paths) || !collect(entry.value(), paths)) {
                        return false;
                    }
                }
                return true;
            case STRUCT:
                for (CelExpr.CelStruct.Entry entry : expr.struct().entries()) {
                    if (!collect(entry.value(), paths)) {
                        return false;
                    }
                }
                return true;
            case COMPREHENSION:
                CelExpr.CelComprehension loop = expr.comprehension();
                return collect(loop.iterRange(), paths) && collect(loop.accuInit(), paths)
                        && collect(loop.loopCondition(), paths) && collect(loop.loopStep(), paths)
                        && collect(loop.result(), paths);
            default:
                return false;
        }
    }

    /** A chain of selections: down from a variable it is one path; from anything else, what that reads. */
    private static boolean select(CelExpr expr, Set<String> paths) {
        List<String> fields = new ArrayList<>();
        CelExpr current = expr;
        while (current.getKind() == CelExpr.ExprKind.Kind.SELECT) {
            // has(a.b.c) tests for c: it reads a.b.c as much as a.b.c itself does
            fields.add(current.select().field());
            current = current.select().operand();
        }
        if (current.getKind() == CelExpr.ExprKind.Kind.IDENT && isVariable(current.ident().name())) {
            StringBuilder path = new StringBuilder(current.ident().name());
            for (int i = fields.size() - 1; i >= 0; i--) {
                path.append('.').append(fields.get(i));
            }
            paths.add(path.toString());
            return true;
        }
        return collect(current, paths);
    }

    private static boolean all(List<CelExpr> expressions, Set<String> paths) {
        for (CelExpr expression : expressions) {
            if (!collect(expression, paths)) {
                return false;
            }
        }
        return true;
    }

    /** A variable, or a name the checker made of a variable and its fields ({@code request.context}). */
    private static boolean isVariable(String name) {
        for (String variable : CelEnvironment.VARIABLES) {
            if (name.equals(variable) || name.startsWith(variable) && name.length() > variable.length()
                    && name.charAt(variable.length()) == '.') {
                return true;
            }
        }
        return false;
    }
}
