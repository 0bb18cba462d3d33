package dev.mandate.kernel.intent.internal;

import java.util.List;

import dev.mandate.api.intent.Effect;
import dev.mandate.api.intent.Inputs;

/**
 * One constraint of a blueprint, compiled.
 *
 * @param id          the constraint id
 * @param source      {@code <blueprint>@<version>#<id>}, as reasons cite it
 * @param effect      what it does when its condition holds
 * @param severity    low, medium, high or critical
 * @param when        the compiled condition (with its plain form, where it has one)
 * @param guard       the actions and actor kinds the condition can hold for
 * @param message     the message, with its placeholders compiled
 * @param obligations what the actor must also do
 * @param mode        enforce, warn or audit
 * @param reads       what the condition reads ({@link InputPaths})
 */
record CompiledConstraint(String id, String source, Effect effect, String severity, CompiledExpression when,
        Guard guard, MessageTemplate message, List<String> obligations, Mode mode, Inputs reads) {
}
