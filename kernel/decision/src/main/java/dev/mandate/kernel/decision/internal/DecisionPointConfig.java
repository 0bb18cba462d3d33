package dev.mandate.kernel.decision.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Mandate decision point", description = "How the decision point computes blast radius")
@interface DecisionPointConfig {

    @AttributeDefinition(description = "Relation types followed backwards to find dependents (CONTAINS is followed forwards)")
    String[] blastRadius_relations() default {"DEPENDS_ON", "CONTAINS", "HOSTED_ON", "BACKED_UP_BY"};

    @AttributeDefinition(description = "Most dependents walked for one decision; beyond it the blast radius is reported as truncated")
    int blastRadius_cap() default 10_000;

    @AttributeDefinition(description = "Whether a decision that is not an ALLOW says what the actor can change to get one (remedies)")
    boolean remedies_enabled() default true;

    @AttributeDefinition(description = "Authentication assurance levels an actor can be asked to raise to, strongest first")
    String[] remedies_assuranceLevels() default {"mfa"};
}
