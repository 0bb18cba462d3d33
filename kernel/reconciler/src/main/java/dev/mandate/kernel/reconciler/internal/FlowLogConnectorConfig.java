package dev.mandate.kernel.reconciler.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of one flow log source (factory PID {@code dev.mandate.kernel.reconciler.flowlogs}, e.g.
 * {@code etc/dev.mandate.kernel.reconciler.flowlogs-prod.cfg}).
 */
@ObjectClassDefinition(name = "Mandate VPC flow logs", description = "Reads VPC flow log files into FLOWS_DATA_TO "
        + "observations between the elements their addresses belong to")
public @interface FlowLogConnectorConfig {

    @AttributeDefinition(name = "Folder", description = "Folder of flow log files (*.log, *.txt, *.csv, *.json, "
            + "also gzip-compressed), or s3://<bucket>/<prefix> (e.g. s3://logs/AWSLogs/111122223333/vpcflowlogs/); "
            + "placeholders of system properties (${karaf.data}) are resolved")
    String folder();

    @AttributeDefinition(name = "Connector id", description = "Source of the observations", required = false)
    String id() default "vpc-flow-logs";

    @AttributeDefinition(name = "Interval", description = "Seconds between reads", min = "1")
    int interval() default 300;

    @AttributeDefinition(name = "S3 region", description = "Region of the bucket", required = false)
    String s3Region() default "us-east-1";

    @AttributeDefinition(name = "S3 endpoint", description = "Endpoint of an S3-compatible store instead of AWS "
            + "(empty: AWS)", required = false)
    String s3Endpoint() default "";

    @AttributeDefinition(name = "S3 path-style", description = "Address the bucket in the path, not the host name "
            + "(S3-compatible stores)", required = false)
    boolean s3PathStyle() default false;

    @AttributeDefinition(name = "Retention", description = "Days an S3 object counts after it was last modified; "
            + "older objects are not read and their flows leave the model", min = "1", required = false)
    int retainDays() default 7;

    @AttributeDefinition(name = "State folder", description = "Where what was read from S3 is remembered (a restart "
            + "does not download it again); empty: ${karaf.data}/mandate/flowlogs", required = false)
    String stateFolder() default "";
}
