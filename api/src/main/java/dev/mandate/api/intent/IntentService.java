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
}
