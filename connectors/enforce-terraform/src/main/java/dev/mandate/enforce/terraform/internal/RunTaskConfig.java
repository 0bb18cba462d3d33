package dev.mandate.enforce.terraform.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the Terraform Cloud / Enterprise run task (PID {@code dev.mandate.enforce.terraform.runtask}). */
@ObjectClassDefinition(name = "Mandate Terraform run task",
        description = "Decides HCP Terraform / Terraform Enterprise runs at the post-plan or pre-apply stage")
public @interface RunTaskConfig {

    @AttributeDefinition(name = "HMAC key", type = AttributeType.PASSWORD, description = "The key set on the run task "
            + "in Terraform: every request must carry its HMAC-SHA512 in X-TFC-Task-Signature. Empty: the run task "
            + "refuses every request")
    String hmacKey() default "";

    @AttributeDefinition(name = "Actor", description = "Who asks; empty: 'tfc:<organization>/<workspace>' of the run. "
            + "The run task URL may name it too (?actor=…&team=…)")
    String actor() default "";

    @AttributeDefinition(name = "Actor kind", description = "SYSTEM, HUMAN or AI")
    String kind() default "SYSTEM";

    @AttributeDefinition(name = "Team", description = "The team the actor acts for; empty: none")
    String team() default "";

    @AttributeDefinition(name = "Timeout", description = "Seconds allowed for downloading the plan and for each callback")
    int timeoutSeconds() default 30;

    @AttributeDefinition(name = "Callback attempts", description = "How often the result is sent before giving up "
            + "(with 1, 2, 4 … seconds between)")
    int callbackAttempts() default 4;
}
