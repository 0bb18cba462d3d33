package dev.mandate.kernel.grants.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Mandate execution grants")
@interface GrantServiceConfig {

    @AttributeDefinition(description = "How long a grant is valid after its decision, in seconds")
    long ttlSeconds() default 300;

    @AttributeDefinition(description = "Folder of the node's Ed25519 key; empty: ${karaf.data}/mandate/keys")
    String keyFolder() default "";

    @AttributeDefinition(description = "The issuer named in grants")
    String issuer() default "mandate";
}
