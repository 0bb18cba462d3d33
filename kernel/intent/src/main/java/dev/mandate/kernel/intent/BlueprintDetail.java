package dev.mandate.kernel.intent;

import java.util.List;

import dev.mandate.api.intent.BlueprintInfo;

/**
 * A blueprint in force, in full: what {@link BlueprintInfo} says plus how it is enforced, what it
 * applies to and its rules. Immutable.
 *
 * @param info          name, version, owner, description, content hash, origin, constraint ids, fallback
 * @param mode          the blueprint's enforcement mode: {@code audit}, {@code warn} or {@code enforce}
 * @param promoted      whether this version is in force because a shadow version was promoted
 * @param shadowVersion the version loaded in shadow beside it, or {@code null}
 * @param appliesTo     what it selects
 * @param constraints   its constraints, in document order
 * @param variations    the attribute paths its variations constrain
 * @param structure     how many required relations it declares
 * @param dataFlows     how many data-flow rules it declares
 * @since 1.1
 */
public record BlueprintDetail(BlueprintInfo info, String mode, boolean promoted, String shadowVersion,
        AppliesTo appliesTo, List<Constraint> constraints, List<String> variations, int structure, int dataFlows) {

    public BlueprintDetail {
        constraints = constraints == null ? List.of() : List.copyOf(constraints);
        variations = variations == null ? List.of() : List.copyOf(variations);
    }

    /**
     * What a blueprint selects; an empty list selects every value.
     *
     * @param kinds        element kinds
     * @param providers    providers
     * @param environments environments
     * @param match        the further CEL condition as written, or {@code null}
     */
    public record AppliesTo(List<String> kinds, List<String> providers, List<String> environments, String match) {
        public AppliesTo {
            kinds = kinds == null ? List.of() : List.copyOf(kinds);
            providers = providers == null ? List.of() : List.copyOf(providers);
            environments = environments == null ? List.of() : List.copyOf(environments);
        }
    }

    /**
     * One constraint.
     *
     * @param id       its id
     * @param effect   {@code allow}, {@code deny} or {@code require-approval}
     * @param mode     {@code audit}, {@code warn} or {@code enforce}
     * @param severity low, medium, high or critical
     */
    public record Constraint(String id, String effect, String mode, String severity) {
    }
}
