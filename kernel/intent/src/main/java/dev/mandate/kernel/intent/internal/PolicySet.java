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
 * Everything in force at one moment: the loaded sources with their teams, compiled blueprints,
 * waivers, freeze windows and ownership rules, indexed for evaluation, and the shadow versions of
 * blueprints evaluated beside them. Immutable: a change builds a new set and swaps it in whole, so
 * readers always see one consistent generation.
 */
final class PolicySet {

    /** One loaded source: what it declared. */
    record Loaded(String key, List<TeamDeclaration> teams, List<CompiledBlueprint> blueprints, List<Declared> others) {
        Loaded {
            teams = List.copyOf(teams);
            blueprints = List.copyOf(blueprints);
            others = List.copyOf(others);
        }

        Loaded(String key, List<TeamDeclaration> teams, List<CompiledBlueprint> blueprints) {
            this(key, teams, blueprints, List.of());
        }
    }

    static final PolicySet EMPTY = new PolicySet(Map.of(), Map.of());

    private final Map<String, Loaded> sources;
    private final Map<String, String> promoted;
    private final Map<String, CompiledBlueprint> blueprints;
    private final Map<String, String> blueprintSource;
    private final Map<String, CompiledBlueprint> shadows;
    private final Map<String, String> shadowSource;
    private final Map<String, TeamDeclaration> teams;
    private final Map<String, String> teamSource;
    private final Map<String, Declared> others;
    private final Map<String, String> otherSource;
    private final List<WaiverDeclaration> waivers;
    private final List<FreezeDeclaration> freezes;
    private final List<OwnershipDeclaration> ownerships;
    private final Map<String, List<CompiledBlueprint>> byKind;
    private final List<CompiledBlueprint> anyKind;
    private final boolean structure;

    /**
     * @param sources  what each source declared
     * @param promoted blueprint name to the content hash of a shadow version promoted in force
     */
    PolicySet(Map<String, Loaded> sources, Map<String, String> promoted) {
        this.sources = Collections.unmodifiableMap(new LinkedHashMap<>(sources));
        this.promoted = Map.copyOf(promoted);
        Map<String, CompiledBlueprint> blueprintsByName = new TreeMap<>();
        Map<String, String> blueprintOrigins = new HashMap<>();
        Map<String, CompiledBlueprint> shadowsByName = new TreeMap<>();
        Map<String, String> shadowOrigins = new HashMap<>();
        Map<String, TeamDeclaration> teamsById = new TreeMap<>();
        Map<String, String> teamOrigins = new HashMap<>();
        Map<String, Declared> othersByKey = new TreeMap<>();
        Map<String, String> otherOrigins = new HashMap<>();
        for (Loaded loaded : sources.values()) {
            for (CompiledBlueprint blueprint : loaded.blueprints()) {
                if (blueprint.shadow()) {
                    shadowsByName.put(blueprint.name(), blueprint);
                    shadowOrigins.put(blueprint.name(), loaded.key());
                } else {
                    blueprintsByName.put(blueprint.name(), blueprint);
                    blueprintOrigins.put(blueprint.name(), loaded.key());
                }
            }
            for (TeamDeclaration team : loaded.teams()) {
                teamsById.put(team.team().id(), team);
                teamOrigins.put(team.team().id(), loaded.key());
            }
            for (Declared other : loaded.others()) {
                othersByKey.put(key(other), other);
                otherOrigins.put(key(other), loaded.key());
            }
        }
        // a promoted shadow is in force in place of the regular version, unless that has overtaken it
        promoted.forEach((name, hash) -> {
            CompiledBlueprint shadow = shadowsByName.get(name);
            CompiledBlueprint regular = blueprintsByName.get(name);
            if (shadow != null && shadow.info().contentHash().equals(hash)
                    && (regular == null || shadow.semver().compareTo(regular.semver()) > 0)) {
                blueprintsByName.put(name, shadow);
                blueprintOrigins.put(name, shadowOrigins.get(name));
                shadowsByName.remove(name);
            }
        });
        this.blueprints = Collections.unmodifiableMap(blueprintsByName);
        this.blueprintSource = blueprintOrigins;
        this.shadows = Collections.unmodifiableMap(shadowsByName);
        this.shadowSource = shadowOrigins;
        this.teams = Collections.unmodifiableMap(teamsById);
        this.teamSource = teamOrigins;
        this.others = Collections.unmodifiableMap(othersByKey);
        this.otherSource = otherOrigins;
        List<WaiverDeclaration> waiverList = new ArrayList<>();
        List<FreezeDeclaration> freezeList = new ArrayList<>();
        List<OwnershipDeclaration> ownershipList = new ArrayList<>();
        for (Declared other : othersByKey.values()) {
            if (other instanceof WaiverDeclaration waiver) {
                waiverList.add(waiver);
            } else if (other instanceof FreezeDeclaration freeze) {
                freezeList.add(freeze);
            } else if (other instanceof OwnershipDeclaration ownership) {
                ownershipList.add(ownership);
            }
        }
        this.waivers = List.copyOf(waiverList);
        this.freezes = List.copyOf(freezeList);
        this.ownerships = List.copyOf(ownershipList);

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
        this.structure = blueprintsByName.values().stream().anyMatch(b -> !b.structure().isEmpty());
    }

    // worked out on first use; immutable, so a racing second computation is harmless
    private RuleInputs inputs;

    /** What decides each rule in force, per source and per effect. */
    RuleInputs inputs() {
        RuleInputs known = inputs;
        if (known == null) {
            known = RuleInputs.of(this);
            inputs = known;
        }
        return known;
    }

    /** Whether any blueprint in force requires relations (a delete then checks its neighbours). */
    boolean hasStructure() {
        return structure;
    }

    /** {@code <kind>/<name>}: waivers, freeze windows and ownership documents are unique per kind. */
    static String key(Declared declared) {
        return declared.kind() + "/" + declared.name();
    }

    Map<String, Loaded> sources() {
        return sources;
    }

    Map<String, String> promoted() {
        return promoted;
    }

    /** The blueprints in force, by name (sorted). */
    Map<String, CompiledBlueprint> blueprints() {
        return blueprints;
    }

    /** The shadow versions, by name (sorted): evaluated beside those in force, never counted. */
    Map<String, CompiledBlueprint> shadows() {
        return shadows;
    }

    /** The key of the source a blueprint came from, or {@code null}. */
    String sourceOfBlueprint(String name) {
        return blueprintSource.get(name);
    }

    /** The key of the source a shadow version came from, or {@code null}. */
    String sourceOfShadow(String name) {
        return shadowSource.get(name);
    }

    /** The teams in force, by id (sorted). */
    Map<String, TeamDeclaration> teams() {
        return teams;
    }

    /** The key of the source a team came from, or {@code null}. */
    String sourceOfTeam(String id) {
        return teamSource.get(id);
    }

    /** Waivers, freeze windows and ownership documents by {@link #key}. */
    Map<String, Declared> others() {
        return others;
    }

    String sourceOfOther(String key) {
        return otherSource.get(key);
    }

    /** The waivers in force, by name. */
    List<WaiverDeclaration> waivers() {
        return waivers;
    }

    /** The freeze windows in force, by name. */
    List<FreezeDeclaration> freezes() {
        return freezes;
    }

    /** The ownership documents in force, by name. */
    List<OwnershipDeclaration> ownerships() {
        return ownerships;
    }

    /** The blueprints that may apply to an element of this kind, in name order, without a scan. */
    List<CompiledBlueprint> candidates(String kind) {
        List<CompiledBlueprint> candidates = kind == null ? null : byKind.get(kind);
        return candidates == null ? anyKind : candidates;
    }

    PolicySet with(Loaded loaded) {
        Map<String, Loaded> next = new LinkedHashMap<>(sources);
        next.put(loaded.key(), loaded);
        return new PolicySet(next, promoted);
    }

    PolicySet without(String key) {
        Map<String, Loaded> next = new LinkedHashMap<>(sources);
        next.remove(key);
        return new PolicySet(next, promoted);
    }

    PolicySet promote(String name, String contentHash) {
        Map<String, String> next = new HashMap<>(promoted);
        next.put(name, contentHash);
        return new PolicySet(sources, next);
    }
}
