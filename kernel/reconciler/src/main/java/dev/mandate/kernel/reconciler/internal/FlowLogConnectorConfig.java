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

    @AttributeDefinition(name = "Folder", description = "Folder of flow log files (*.log, *.txt); placeholders of "
            + "system properties (${karaf.data}) are resolved")
    String folder();

    @AttributeDefinition(name = "Connector id", description = "Source of the observations", required = false)
    String id() default "vpc-flow-logs";

    @AttributeDefinition(name = "Interval", description = "Seconds between reads", min = "1")
    int interval() default 300;
}
