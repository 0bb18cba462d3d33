package dev.mandate.kernel.reconciler.internal;

import java.util.List;
import java.util.Optional;

import dev.mandate.api.intent.BlueprintInfo;
import dev.mandate.api.intent.Evaluation;
import dev.mandate.api.intent.EvaluationContext;
import dev.mandate.api.intent.IntendedState;
import dev.mandate.api.intent.IntentService;
import dev.mandate.api.intent.Team;
import dev.mandate.api.model.Element;
import dev.mandate.kernel.intent.internal.IntentRegistry;
import dev.mandate.kernel.intent.internal.IntentSource;

/** The real intent registry as the intent service (what IntentServiceImpl is in OSGi, without its loaders). */
final class RegistryIntent implements IntentService {
    final IntentRegistry registry = new IntentRegistry((type, payload) -> { });

    /** Loads (or replaces) a source of YAML documents; fails the test when it does not load. */
    void load(String key, String... documents) {
        List<IntentSource.File> files = new java.util.ArrayList<>();
        for (int i = 0; i < documents.length; i++) {
            files.add(new IntentSource.File(key + "-" + i + ".yaml", "file:/test/" + key + "-" + i + ".yaml",
                    documents[i]));
        }
        IntentRegistry.LoadResult result = registry.load(new IntentSource("file:/test/" + key, files));
        if (result.outcome() != IntentRegistry.Outcome.LOADED) {
            throw new AssertionError("intent '" + key + "' did not load: " + result.problems());
        }
    }

    void withdraw(String key) {
        registry.withdraw("file:/test/" + key);
    }

    @Override
    public List<BlueprintInfo> blueprints() {
        return registry.blueprints();
    }

    @Override
    public Optional<BlueprintInfo> blueprint(String name) {
        return registry.blueprints().stream().filter(info -> info.name().equals(name)).findFirst();
    }

    @Override
    public List<Team> teams() {
        return registry.teams();
    }

    @Override
    public Optional<Team> team(String id) {
        return registry.team(id);
    }

    @Override
    public Evaluation evaluate(EvaluationContext context) {
        return registry.evaluate(context);
    }

    @Override
    public long generation() {
        return registry.generation();
    }

    @Override
    public Optional<IntendedState> intended(Element element) {
        return registry.intended(element);
    }
}
