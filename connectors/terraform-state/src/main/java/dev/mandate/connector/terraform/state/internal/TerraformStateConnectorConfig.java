package dev.mandate.connector.terraform.state.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of one Terraform state connector (factory PID {@code dev.mandate.connector.terraform.state}:
 * one configuration per state file, e.g. {@code etc/dev.mandate.connector.terraform.state-network.cfg}).
 */
@ObjectClassDefinition(name = "Mandate Terraform state connector",
        description = "Reads a terraform.tfstate (format 4) into the BUILT layer of the model")
public @interface TerraformStateConnectorConfig {

    @AttributeDefinition(name = "State file", description = "Path of the terraform.tfstate to read; placeholders of "
            + "system properties (${karaf.etc}) are resolved")
    String path();

    @AttributeDefinition(name = "Connector id", description = "Recorded as the source of the BUILT layer; "
            + "default: tfstate-<file name without extension>", required = false)
    String id() default "";

    @AttributeDefinition(name = "Interval", description = "Seconds between reads", min = "1")
    int interval() default 300;

    @AttributeDefinition(name = "AWS account", description = "12-digit account for ids whose attributes do not name it",
            required = false)
    String awsAccount() default "";

    @AttributeDefinition(name = "AWS region", description = "Region for ids whose attributes do not name it",
            required = false)
    String awsRegion() default "";

    @AttributeDefinition(name = "Azure subscription", description = "Subscription GUID for ids whose attributes do not "
            + "name it", required = false)
    String azureSubscription() default "";

    @AttributeDefinition(name = "Environment", description = "Environment of elements whose tags do not say",
            required = false)
    String environment() default "";

    @AttributeDefinition(name = "Owner", description = "Owning team of elements whose tags do not say", required = false)
    String owner() default "";

    @AttributeDefinition(name = "Trust zone", description = "Trust zone of elements whose tags do not say",
            required = false)
    String trustZone() default "";
}
