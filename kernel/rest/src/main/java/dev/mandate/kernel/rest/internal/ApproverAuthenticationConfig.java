package dev.mandate.kernel.rest.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Mandate REST authentication",
        description = "Who calls the approval endpoints: HTTP Basic against a JAAS realm")
@interface ApproverAuthenticationConfig {

    @AttributeDefinition(description = "The JAAS realm users authenticate against (Karaf's default realm is 'karaf')")
    String realm() default "karaf";

    @AttributeDefinition(description = "Roles or groups that make the authenticated user an AI actor (which can never approve)")
    String[] aiRoles() default {"mandate-ai"};

    @AttributeDefinition(description = "Roles or groups that make the authenticated user a system actor")
    String[] systemRoles() default {"mandate-system"};
}
