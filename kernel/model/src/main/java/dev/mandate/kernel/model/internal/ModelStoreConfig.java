package dev.mandate.kernel.model.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the model store (PID {@code dev.mandate.kernel.model}). */
@ObjectClassDefinition(name = "Mandate model store",
        description = "The canonical model: a relational store read into memory at start")
public @interface ModelStoreConfig {

    @AttributeDefinition(name = "Data source", description = "LDAP filter selecting the javax.sql.DataSource service")
    String dataSource_target() default "(dataSourceName=mandate)";

    @AttributeDefinition(name = "Load retry", description = "Seconds between attempts to load the model after a failure")
    int loadRetrySeconds() default 30;
}
