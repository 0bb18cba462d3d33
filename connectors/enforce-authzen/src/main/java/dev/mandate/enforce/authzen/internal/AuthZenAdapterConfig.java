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

    @AttributeDefinition(name = "Authenticate", description = "Callers (policy enforcement points) must authenticate "
            + "(dev.mandate.kernel.auth: an OAuth 2 access token, an API token or Basic against the JAAS realm); the "
            + "authenticated caller is recorded with every evaluation as context.pep. Switch off only for local "
            + "development")
    boolean authenticate() default true;

    @AttributeDefinition(name = "Caller roles", description = "Roles or groups of which an authenticated caller must "
            + "hold one (403 otherwise); empty: any authenticated caller")
    String[] callerRoles() default {};

    @AttributeDefinition(name = "Search page size", description = "Results of a resource search page when the "
            + "request does not ask for fewer (at most 1000)")
    int searchLimit() default 50;

    @AttributeDefinition(name = "Search candidates", description = "Elements one resource search request evaluates at "
            + "most; a page that reaches it ends early with a next_token")
    int searchCandidates() default 1000;

    @AttributeDefinition(name = "Subject kinds", description = "Actor kind (HUMAN, SYSTEM, AI) of each subject "
            + "type, as '<type>=<kind>'; a subject of another type is refused")
    String[] subjectKinds() default {"user=HUMAN", "human=HUMAN", "identity=HUMAN", "service=SYSTEM",
        "service_account=SYSTEM", "workload=SYSTEM", "system=SYSTEM", "application=SYSTEM", "pipeline=SYSTEM",
        "agent=AI", "ai_agent=AI", "ai=AI"};

    @AttributeDefinition(name = "Largest batch", description = "How many evaluations one request may carry")
    int maxEvaluations() default 100;

    @AttributeDefinition(name = "What-if", description = "Decide every evaluation as a dry run: recorded, but no "
            + "execution grant is issued and no approval request opened (for PEPs that only show what is allowed)")
    boolean whatIf() default false;
}
