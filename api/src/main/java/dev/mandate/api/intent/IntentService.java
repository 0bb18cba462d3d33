package dev.mandate.api.intent;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The blueprints, teams and ownership in force, and the evaluation of their constraints (IOM §6,
 * §7). What is in force changes atomically when a pack is loaded, upgraded or withdrawn.
 * Thread-safe; {@link #evaluate} never blocks.
 */
@ProviderType
public interface IntentService {

    /** The blueprints in force, sorted by name. */
    List<BlueprintInfo> blueprints();

    /** The blueprint in force with this name. */
    Optional<BlueprintInfo> blueprint(String name);

    /** The teams declared, sorted by id. */
    List<Team> teams();

    /** The team with this id. */
    Optional<Team> team(String id);

    /**
     * Evaluates every constraint of every blueprint that applies to the context's target.
     * A constraint that errors is reported in {@link Evaluation#errors()}, never skipped silently.
     */
    Evaluation evaluate(EvaluationContext context);

    /**
     * Evaluates a what-if: {@code context} is a variation of the one that gave {@code previous}, and
     * {@code changed} names every input in which the two differ ({@link Inputs} paths). The answer has
     * the matches (sources, effects, order), errors, fallback and applicable blueprints that
     * {@link #evaluate(EvaluationContext)} gives for {@code context}; a rule that reads none of the changed
     * inputs ({@link #inputs(String)}) may keep its match from {@code previous} without being evaluated
     * again, message and obligations included. Nothing is recorded: shadow blueprints are not compared
     * with what is in force. With {@code previous} or {@code changed} null every rule is evaluated.
     *
     * @return by default, {@link #evaluate(EvaluationContext)}
     * @since 1.5
     */
    default Evaluation evaluateWhatIf(EvaluationContext context, Evaluation previous,
            Collection<String> changed) {
        return evaluate(context);
    }

    /** A number that changes whenever what is in force changes. */
    long generation();

    /**
     * Who owns this element according to the {@code Ownership} rules in force: the first rule (in
     * document name, then rule order) whose selector matches. Empty when no rule selects it; callers
     * then fall back to the owner the element declares. A rule wins over the element's owner field.
     *
     * @since 1.1
     */
    default Optional<ElementOwnership> ownership(dev.mandate.api.model.Element element) {
        return Optional.empty();
    }

    /**
     * The inputs that decide whether the rule that reasons cite as {@code source} matches and counts
     * for a request ({@code <blueprint>@<version>#<rule>}, {@code freeze:<name>@<version>}): what its
     * condition reads, and what decides whether its blueprint applies, whether a waiver sets it aside
     * and (for a freeze window) whether the window covers the element and is open. Two requests that
     * differ only in other inputs either both get a match with this source or both do not. Answered
     * for what is in force now, from what was worked out when it was loaded; never blocks.
     *
     * @return {@link Inputs#ALL} for a source this service does not know, and by default
     * @since 1.4
     */
    default Inputs inputs(String source) {
        return Inputs.ALL;
    }

    /**
     * The inputs that decide whether any match with this effect counts for a request: those of
     * {@link #inputs(String)} for every rule in force that can match with this effect (constraints,
     * freeze windows, variations, required relations and data-flow rules). Never blocks.
     *
     * @return {@link Inputs#ALL} by default
     * @since 1.4
     */
    default Inputs inputs(Effect effect) {
        return Inputs.ALL;
    }

    /**
     * What the blueprints in force intend for this element: the blueprints whose {@code appliesTo}
     * selects it and their variations. Never blocks. Only the intent side writes what this returns
     * into the model's INTENDED layer; observations never do.
     *
     * @return empty when no blueprint in force selects the element
     * @since 1.2
     */
    default Optional<IntendedState> intended(dev.mandate.api.model.Element element) {
        return Optional.empty();
    }

    /**
     * The differences between the shadow version of a blueprint and the version in force. Empty
     * when the blueprint has no shadow version.
     *
     * @since 1.1
     */
    default Optional<ShadowReport> shadowReport(String name) {
        return Optional.empty();
    }

    /**
     * Puts the shadow version of a blueprint in force in place of the current one, atomically, and
     * records it as evidence ({@code blueprint.promoted}).
     *
     * @return the blueprint now in force
     * @throws IllegalArgumentException when the blueprint has no shadow version
     * @since 1.1
     */
    default BlueprintInfo promote(String name) {
        throw new IllegalArgumentException("blueprint '" + name + "' has no shadow version");
    }
}
