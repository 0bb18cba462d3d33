package dev.mandate.enforce.terraform.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the Terraform plan gate (PID {@code dev.mandate.enforce.terraform}). */
@ObjectClassDefinition(name = "Mandate Terraform plan gate",
        description = "Turns Terraform plans into decided action requests")
public @interface TerraformPlanAdapterConfig {

    @AttributeDefinition(name = "Default actor", description = "The SYSTEM actor that asks when the caller names nobody")
    String defaultActor() default "terraform";

    @AttributeDefinition(name = "AWS account", description = "12-digit account assumed where neither the request, "
            + "the plan's provider configuration nor the resource says")
    String awsAccount() default "";

    @AttributeDefinition(name = "AWS region", description = "Region assumed where nothing else says")
    String awsRegion() default "";

    @AttributeDefinition(name = "Azure subscription", description = "Subscription GUID assumed where nothing else says")
    String azureSubscription() default "";

    @AttributeDefinition(name = "Ungoverned providers", description = "Providers whose resources change nothing in "
            + "the estate; their changes are skipped, not decided")
    String[] ungovernedProviders() default {"null", "random", "time", "local", "tls", "terraform", "external", "http",
        "archive", "cloudinit", "template"};
}
