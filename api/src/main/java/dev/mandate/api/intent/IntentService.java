package dev.mandate.api.intent;

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
