package dev.mandate.api.intent;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * An extra function that a pack contributes to the CEL environment of constraints. Registered as
 * an OSGi service; blueprints that call it are type-checked against {@link #parameters()} and
 * {@link #result()}.
 *
 * <p>Must be pure and fast: it runs on the decision path, must not block, must not keep state
 * between calls and must be thread-safe.
 */
@ConsumerType
public interface ConstraintFunction {

    /** The function name as written in CEL; lower camel case, unique across packs. */
    String name();

    /** The parameter types, in order. */
    List<ValueType> parameters();

    /** The result type. */
    ValueType result();

    /**
     * Computes the result. Arguments arrive as Java values: {@code String}, {@code Long},
     * {@code Double}, {@code Boolean}, {@code List} and {@code Map}.
     *
     * @throws IllegalArgumentException when an argument is not acceptable; the constraint then errors
     */
    Object apply(List<Object> arguments);
}
