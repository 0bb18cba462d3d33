package dev.mandate.kernel.intent.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything in force at one moment: the loaded sources with their teams and compiled blueprints,
 * indexed for evaluation. Immutable: a change builds a new set and swaps it in whole, so readers
 * always see one consistent generation.
 */
final class PolicySet {

    /** One loaded source: what it declared. */
    record Loaded(String key, List<TeamDeclaration> teams, List<CompiledBlueprint> blueprints) {
        Loaded {
            teams = List.copyOf(teams);
            blueprints = List.copyOf(blueprints);
        }
    }

    static final PolicySet EMPTY = new PolicySet(Map.of());

    private final Map<String, Loaded> sources;
    private final Map<String, CompiledBlueprint> blueprints;
    private final Map<String, String> blueprintSource;
    private final Map<String, TeamDeclaration> teams;
    private final Map<String, String> teamSource;
    private final Map<String, List<CompiledBlueprint>> byKind;
    private final List<CompiledBlueprint> anyKind;

    PolicySet(Map<String, Loaded> sources) {
        this.sources = Collections.unmodifiableMap(new LinkedHashMap<>(sources));
        Map<String, CompiledBlueprint> blueprintsByName = new TreeMap<>();
        Map<String, String> blueprintOrigins = new HashMap<>();
        Map<String, TeamDeclaration> teamsById = new TreeMap<>();
        Map<String, String> teamOrigins = new HashMap<>();
        for (Loaded loaded : sources.values()) {
            for (CompiledBlueprint blueprint : loaded.blueprints()) {
                blueprintsByName.put(blueprint.name(), blueprint);
                blueprintOrigins.put(blueprint.name(), loaded.key());
            }
            for (TeamDeclaration team : loaded.teams()) {
                teamsById.put(team.team().id(), team);
                teamOrigins.put(team.team().id(), loaded.key());
            }
        }
        this.blueprints = Collections.unmodifiableMap(blueprintsByName);
        this.blueprintSource = blueprintOrigins;
        this.teams = Collections.unmodifiableMap(teamsById);
        this.teamSource = teamOrigins;

        // the index: for each kind named anywhere, the blueprints of that kind and those for every
        // kind, in name order; any other kind sees only the latter
        List<CompiledBlueprint> forEveryKind = new ArrayList<>();
        Map<String, List<CompiledBlueprint>> kinds = new HashMap<>();
        for (CompiledBlueprint blueprint : blueprintsByName.values()) {
            if (blueprint.kinds().isEmpty()) {
                forEveryKind.add(blueprint);
            }
            for (String kind : blueprint.kinds()) {
                kinds.computeIfAbsent(kind, k -> new ArrayList<>()).add(blueprint);
            }
        }
        Map<String, List<CompiledBlueprint>> index = new HashMap<>();
        kinds.forEach((kind, specific) -> {
            List<CompiledBlueprint> merged = new ArrayList<>(specific);
            merged.addAll(forEveryKind);
            merged.sort(Comparator.comparing(CompiledBlueprint::name));
            index.put(kind, List.copyOf(merged));
        });
        this.byKind = index;
        this.anyKind = List.copyOf(forEveryKind);
    }

    Map<String, Loaded> sources() {
        return sources;
    }

    /** The blueprints in force, by name (sorted). */
    Map<String, CompiledBlueprint> blueprints() {
        return blueprints;
    }

    /** The key of the source a blueprint came from, or {@code null}. */
    String sourceOfBlueprint(String name) {
        return blueprintSource.get(name);
    }

    /** The teams in force, by id (sorted). */
    Map<String, TeamDeclaration> teams() {
        return teams;
    }

    /** The key of the source a team came from, or {@code null}. */
    String sourceOfTeam(String id) {
        return teamSource.get(id);
    }

    /** The blueprints that may apply to an element of this kind, in name order, without a scan. */
    List<CompiledBlueprint> candidates(String kind) {
        List<CompiledBlueprint> candidates = kind == null ? null : byKind.get(kind);
        return candidates == null ? anyKind : candidates;
    }

    PolicySet with(Loaded loaded) {
        Map<String, Loaded> next = new LinkedHashMap<>(sources);
        next.put(loaded.key(), loaded);
        return new PolicySet(next);
    }

    PolicySet without(String key) {
        Map<String, Loaded> next = new LinkedHashMap<>(sources);
        next.remove(key);
        return new PolicySet(next);
    }
}
