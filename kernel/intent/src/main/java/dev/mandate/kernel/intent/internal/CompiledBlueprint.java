package dev.mandate.kernel.intent.internal;

import java.util.List;
import java.util.Set;

import dev.cel.runtime.Program;
import dev.mandate.api.intent.BlueprintInfo;
import dev.mandate.api.intent.Inputs;

/**
 * A blueprint as loaded: what operators see ({@link #info()}) and what evaluation runs.
 *
 * @param info         name, version, owner, hash, origin, constraint ids, fallback
 * @param semver       the parsed version
 * @param file         the file it was read from, for messages
 * @param line         where {@code metadata.name} was written
 * @param column       where {@code metadata.name} was written
 * @param ownerLine    where {@code metadata.owner} was written
 * @param ownerColumn  where {@code metadata.owner} was written
 * @param kinds        the element kinds it applies to; empty for every kind
 * @param providers    the providers it applies to; empty for every provider
 * @param environments the environments it applies to; empty for every environment
 * @param match        a further selector over {@code element}, or {@code null}
 * @param matchText    that selector as written, or {@code null}
 * @param constraints  its constraints, in document order
 * @param mode         the blueprint's enforcement mode (a constraint may set its own)
 * @param shadow       whether it is a shadow version: evaluated beside the version in force, never counted
 * @param variations   allowed variations of attributes
 * @param onViolation  the effect of a change outside the variations or without a required relation
 * @param structure    required relations
 * @param dataFlows    data-flow rules
 * @param matchReads   what {@code match} reads ({@link InputPaths}); {@link Inputs#NONE} without one
 * @param index        its constraints by the actions and actor kinds their guards admit
 */
record CompiledBlueprint(BlueprintInfo info, Semver semver, String file, int line, int column, int ownerLine, int ownerColumn,
        Set<String> kinds, Set<String> providers, Set<String> environments, Program match, String matchText,
        List<CompiledConstraint> constraints, Mode mode, boolean shadow, List<Variation> variations,
        dev.mandate.api.intent.Effect onViolation, List<StructureRule> structure, List<DataFlowRule> dataFlows, Inputs matchReads,
        ConstraintIndex index) {

    String name() {
        return info.name();
    }

    /** What decides whether it applies to an element: the kind it is indexed by, the selectors that are set, {@code match}. */
    Inputs applicabilityReads() {
        java.util.List<String> paths = new java.util.ArrayList<>(3);
        paths.add("element.kind");
        if (!providers.isEmpty()) {
            paths.add("element.provider");
        }
        if (!environments.isEmpty()) {
            paths.add("element.environment");
        }
        return Inputs.of(paths).with(matchReads);
    }

    /** Whether the selectors that need no evaluation let this element through. */
    boolean selects(String provider, String environment) {
        return (providers.isEmpty() || providers.contains(provider))
                && (environments.isEmpty() || environments.contains(environment));
    }
}
