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

    @AttributeDefinition(name = "State file", description = "Where the terraform.tfstate is: a local path "
            + "(placeholders of system properties such as ${karaf.etc} are resolved), s3://<bucket>/<key> (an S3 "
            + "backend) or https://<account>.blob.core.windows.net/<container>/<blob> (an azurerm backend)")
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

    @AttributeDefinition(name = "S3 region", description = "Region of the S3 bucket; default: the AWS region above, "
            + "else us-east-1", required = false)
    String s3Region() default "";

    @AttributeDefinition(name = "S3 endpoint", description = "Endpoint of an S3-compatible store instead of AWS "
            + "(https://minio.example:9000)", required = false)
    String s3Endpoint() default "";

    @AttributeDefinition(name = "S3 path-style", description = "Address the bucket in the path, not the host name "
            + "(S3-compatible stores)", required = false)
    boolean s3PathStyle() default false;

    @AttributeDefinition(name = "Azure SAS token", description = "Shared access signature that may read the blob",
            type = org.osgi.service.metatype.annotations.AttributeType.PASSWORD, required = false)
    String azureSasToken() default "";

    @AttributeDefinition(name = "Azure account key", description = "Storage account key (when no SAS token is given)",
            type = org.osgi.service.metatype.annotations.AttributeType.PASSWORD, required = false)
    String azureAccountKey() default "";
}
