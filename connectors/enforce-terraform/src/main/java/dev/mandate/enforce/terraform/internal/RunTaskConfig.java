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

    @AttributeDefinition(name = "Terraform hosts", description = "The hosts the run's access token may be sent to: "
            + "a request whose plan_json_api_url or task_result_callback_url names another host is refused (403) and "
            + "recorded, and nothing is sent. Exact host names: app.terraform.io for HCP Terraform plus your Terraform "
            + "Enterprise hosts")
    String[] hosts() default {TerraformHosts.HCP_TERRAFORM};

    @AttributeDefinition(name = "Allow plain HTTP", description = "Accept http:// plan and callback URLs (only for "
            + "tests against a local server: the access token would travel in clear)")
    boolean allowHttp() default false;

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
