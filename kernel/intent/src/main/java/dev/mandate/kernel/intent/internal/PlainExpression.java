package dev.mandate.kernel.intent.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;

/**
 * A CEL expression made only of variable paths ({@code element.attributes.account}), text, boolean
 * and integer literals, lists of literals, {@code ==}, {@code !=}, integer comparisons, {@code in},
 * {@code !}, {@code &&} and {@code ||}, evaluated in Java over an evaluation's variables: most
 * conditions and message parts of a pack are written this way, and CEL's interpreter costs several
 * times more per expression (an attribute, an intermediate result and a frame per step).
 *
 * <p>It answers only where the answer is certainly CEL's: operands of plain types (text, booleans,
 * integers, lists of them) and no error on the way. Everywhere else — a missing key, a value of another
 * type, a double, anything CEL would report as an error — it answers {@link #UNDECIDED} and the caller
 * evaluates the expression with CEL, so errors, their messages and every mixed-type rule stay CEL's.
 * Immutable and thread-safe.
 */
final class PlainExpression {

    /** The answer where CEL must decide. */
    static final Object UNDECIDED = new Object();

    /** One step of the expression: its value, or {@link #UNDECIDED}. */
    private interface Node {
        Object eval(Map<String, Object> variables);
    }

    private final Node root;
    private final boolean condition;

    private PlainExpression(Node root, boolean condition) {
        this.root = root;
        this.condition = condition;
    }

    /** The plain form of a checked condition, or {@code null} where it uses anything else. */
    static PlainExpression condition(CelAbstractSyntaxTree ast) {
        Node root = ast == null ? null : node(ast.getExpr());
        return root == null ? null : new PlainExpression(root, true);
    }

    /** The plain form of a checked message part, or {@code null} where it uses anything else. */
    static PlainExpression value(CelAbstractSyntaxTree ast) {
        Node root = ast == null ? null : node(ast.getExpr());
        return root == null ? null : new PlainExpression(root, false);
    }

    /**
     * The value CEL would give, or {@link #UNDECIDED}: a condition answers a boolean; a message part text,
     * a boolean, an integer or a list of text (values that read the same however CEL hands them back).
     */
    Object eval(Map<String, Object> variables) {
        Object value = root.eval(variables);
        if (value instanceof Boolean) {
            return value;
        }
        if (condition) {
            return UNDECIDED;
        }
        return value instanceof String || value instanceof Long || textList(value) ? value : UNDECIDED;
    }

    private static boolean textList(Object value) {
        if (!(value instanceof List<?> list)) {
            return false;
        }
        for (int i = 0, size = list.size(); i < size; i++) {
            if (!(list.get(i) instanceof String)) {
                return false;
            }
        }
        return true;
    }

    // ---- compiling the checked tree

    private static Node node(CelExpr expr) {
        switch (expr.getKind()) {
            case CONSTANT:
                Object literal = literal(expr);
                return literal == null ? null : variables -> literal;
            case IDENT:
            case SELECT:
                return path(expr);
            case CALL:
                return call(expr);
            default:
                return null;
        }
    }

    /** Text, a boolean or an integer; {@code null} for any other constant. */
    private static Object literal(CelExpr expr) {
        if (expr.getKind() != CelExpr.ExprKind.Kind.CONSTANT) {
            return null;
        }
        CelConstant constant = expr.constant();
        switch (constant.getKind()) {
            case STRING_VALUE:
                return constant.stringValue();
            case BOOLEAN_VALUE:
                return constant.booleanValue();
            case INT64_VALUE:
                return constant.int64Value();
            default:
                return null;
        }
    }

    /** A variable followed by field selections: {@code request.context.verb}. */
    private static Node path(CelExpr expr) {
        List<String> reversed = new ArrayList<>();
        CelExpr current = expr;
        while (current.getKind() == CelExpr.ExprKind.Kind.SELECT) {
            if (current.select().testOnly()) {
                return null; // has(): CEL decides
            }
            reversed.add(current.select().field());
            current = current.select().operand();
        }
        if (current.getKind() != CelExpr.ExprKind.Kind.IDENT
                || !CelEnvironment.VARIABLES.contains(current.ident().name())) {
            return null;
        }
        String variable = current.ident().name();
        String[] fields = new String[reversed.size()];
        for (int i = 0; i < fields.length; i++) {
            fields[i] = reversed.get(reversed.size() - 1 - i);
        }
        return variables -> {
            Object value = variables.get(variable);
            for (int i = 0; i < fields.length; i++) {
                // a missing key or a field of something else than a map is an error in CEL
                if (!(value instanceof Map<?, ?> map)) {
                    return UNDECIDED;
                }
                value = map.get(fields[i]);
            }
            return value == null ? UNDECIDED : value;
        };
    }

    private static Node call(CelExpr expr) {
        if (expr.call().target().isPresent()) {
            return null;
        }
        List<CelExpr> args = expr.call().args();
        switch (expr.call().function()) {
            case "_&&_":
                return logical(nodes(args), Boolean.FALSE);
            case "_||_":
                return logical(nodes(args), Boolean.TRUE);
            case "!_":
                return args.size() != 1 ? null : not(node(args.get(0)));
            case "_==_":
                return args.size() != 2 ? null : equal(node(args.get(0)), node(args.get(1)), false);
            case "_!=_":
                return args.size() != 2 ? null : equal(node(args.get(0)), node(args.get(1)), true);
            case "_<_":
            case "_<=_":
            case "_>_":
            case "_>=_":
                return args.size() != 2 ? null : compare(expr.call().function(), node(args.get(0)),
                        node(args.get(1)));
            case "@in":
                return args.size() != 2 ? null : in(node(args.get(0)), args.get(1));
            default:
                return null;
        }
    }

    private static Node[] nodes(List<CelExpr> args) {
        Node[] nodes = new Node[args.size()];
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = node(args.get(i));
            if (nodes[i] == null) {
                return null;
            }
        }
        return nodes.length == 0 ? null : nodes;
    }

    /**
     * {@code a && b} ({@code decides} false) and {@code a || b} ({@code decides} true), left to right as
     * CEL evaluates them: an operand with the deciding value decides (CEL does not look further);
     * anything but a boolean before that leaves it to CEL, which would absorb or report it.
     */
    private static Node logical(Node[] operands, Boolean decides) {
        if (operands == null) {
            return null;
        }
        Boolean otherwise = !decides;
        return variables -> {
            for (Node operand : operands) {
                Object value = operand.eval(variables);
                if (value == decides) {
                    return decides;
                }
                if (value != otherwise) {
                    return UNDECIDED;
                }
            }
            return otherwise;
        };
    }

    private static Node not(Node operand) {
        if (operand == null) {
            return null;
        }
        return variables -> {
            Object value = operand.eval(variables);
            return value instanceof Boolean bool ? (Object) !bool : UNDECIDED;
        };
    }

    /** Whether a value compares in Java exactly as in CEL: text, a boolean or an integer. */
    private static boolean plain(Object value) {
        return value instanceof String || value instanceof Boolean || value instanceof Long;
    }

    /** {@code ==} and {@code !=} of two values of one plain type; anything else (numbers of two kinds …) is CEL's. */
    private static Node equal(Node left, Node right, boolean negated) {
        if (left == null || right == null) {
            return null;
        }
        return variables -> {
            Object a = left.eval(variables);
            if (!plain(a)) {
                return UNDECIDED;
            }
            Object b = right.eval(variables);
            if (!plain(b) || a.getClass() != b.getClass()) {
                return UNDECIDED;
            }
            return a.equals(b) != negated;
        };
    }

    /** {@code <}, {@code <=}, {@code >}, {@code >=} of two integers; anything else is CEL's. */
    private static Node compare(String function, Node left, Node right) {
        if (left == null || right == null) {
            return null;
        }
        // which signs of Long.compare make it true: less, equal, greater
        boolean less = "_<_".equals(function) || "_<=_".equals(function);
        boolean equal = "_<=_".equals(function) || "_>=_".equals(function);
        boolean greater = "_>_".equals(function) || "_>=_".equals(function);
        return variables -> {
            Object a = left.eval(variables);
            if (!(a instanceof Long x)) {
                return UNDECIDED;
            }
            Object b = right.eval(variables);
            if (!(b instanceof Long y)) {
                return UNDECIDED;
            }
            int order = Long.compare(x, y);
            return order < 0 ? less : order == 0 ? equal : greater;
        };
    }

    /**
     * {@code value in list}: a list literal of plain literals, or a path that holds a list. Found when
     * an item equals the value; not found only when every item is of the value's type (an item of
     * another type is compared by CEL's rules); a map or anything else is CEL's.
     */
    private static Node in(Node needle, CelExpr haystack) {
        if (needle == null) {
            return null;
        }
        if (haystack.getKind() == CelExpr.ExprKind.Kind.LIST) {
            List<CelExpr> elements = haystack.list().elements();
            Object[] items = new Object[elements.size()];
            for (int i = 0; i < items.length; i++) {
                items[i] = literal(elements.get(i));
                if (items[i] == null) {
                    return null;
                }
            }
            List<Object> list = List.of(items);
            return variables -> contains(list, needle.eval(variables));
        }
        Node list = path(haystack);
        if (list == null) {
            return null;
        }
        return variables -> {
            Object value = needle.eval(variables);
            if (!plain(value)) {
                return UNDECIDED;
            }
            Object items = list.eval(variables);
            return items instanceof List<?> listed ? contains(listed, value) : UNDECIDED;
        };
    }

    private static Object contains(List<?> items, Object value) {
        if (!plain(value)) {
            return UNDECIDED;
        }
        boolean sameType = true;
        for (int i = 0, size = items.size(); i < size; i++) {
            Object item = items.get(i);
            if (value.equals(item)) {
                return Boolean.TRUE;
            }
            sameType &= item != null && item.getClass() == value.getClass();
        }
        return sameType ? Boolean.FALSE : UNDECIDED;
    }
}
