package dev.mandate.enforce.authzen.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the AuthZEN decision API (PID {@code dev.mandate.enforce.authzen}). */
@ObjectClassDefinition(name = "Mandate AuthZEN decision API",
        description = "Answers OpenID AuthZEN Authorization API 1.0 access evaluations with Mandate decisions")
public @interface AuthZenAdapterConfig {

    @AttributeDefinition(name = "Policy decision point", description = "This PDP's identifier for the metadata "
            + "document: the https URL policy enforcement points reach it at (no path, query or fragment). Empty: "
            + "taken from each metadata request, which trusts the Host header the caller sent")
    String policyDecisionPoint() default "";

    @AttributeDefinition(name = "Subject kinds", description = "Actor kind (HUMAN, SYSTEM, AI) of each subject "
            + "type, as '<type>=<kind>'; a subject of another type is refused")
    String[] subjectKinds() default {"user=HUMAN", "human=HUMAN", "identity=HUMAN", "service=SYSTEM",
        "service_account=SYSTEM", "workload=SYSTEM", "system=SYSTEM", "application=SYSTEM", "pipeline=SYSTEM",
        "agent=AI", "ai_agent=AI", "ai=AI"};

    @AttributeDefinition(name = "Largest batch", description = "How many evaluations one request may carry")
    int maxEvaluations() default 100;
}
