package dev.mandate.kernel.intent.internal;

import java.util.Map;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionResolver;
import dev.cel.runtime.Program;

/**
 * A compiled condition or message part: its CEL program and, where it has one, its plain form
 * ({@link PlainExpression}), which answers first; CEL answers whatever the plain form leaves
 * undecided. Immutable and thread-safe.
 *
 * @param program the CEL program
 * @param plain   the plain form, or {@code null} where the expression has none
 */
record CompiledExpression(Program program, PlainExpression plain) {

    /** A condition as {@link CelEnvironment#compileWhen} compiled it. */
    static CompiledExpression condition(CelEnvironment.Compiled compiled) {
        return new CompiledExpression(compiled.program(), PlainExpression.condition(compiled.ast()));
    }

    /** A message part as {@link CelEnvironment#compileTemplate} compiled it. */
    static CompiledExpression value(CelEnvironment.Compiled compiled) {
        return new CompiledExpression(compiled.program(), PlainExpression.value(compiled.ast()));
    }

    /** The value over these variables, as CEL gives it. */
    Object eval(Map<String, Object> variables, CelFunctionResolver functions) throws CelEvaluationException {
        if (plain != null) {
            Object value = plain.eval(variables);
            if (value != PlainExpression.UNDECIDED) {
                return value;
            }
        }
        return Activation.eval(program, variables, functions);
    }
}
