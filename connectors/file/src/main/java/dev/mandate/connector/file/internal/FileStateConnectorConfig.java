package dev.mandate.connector.file.internal;

import dev.mandate.api.connector.Domain;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the file connector (PID {@code dev.mandate.connector.file}). */
@ObjectClassDefinition(name = "Mandate file connector",
        description = "Reads an inventory of YAML and JSON files (apiVersion mandate.dev/v1, kind Inventory) from a folder")
public @interface FileStateConnectorConfig {

    @AttributeDefinition(name = "Inventory folder",
            description = "Folder read recursively for *.yaml, *.yml and *.json inventory files; "
                    + "placeholders of system properties in it (the default names karaf.etc) are resolved")
    String path() default "${karaf.etc}/mandate/inventory";

    @AttributeDefinition(name = "Interval", description = "Seconds between full collections", min = "1")
    int interval() default 300;

    @AttributeDefinition(name = "Connector id", description = "Recorded as the source of what this connector observes")
    String id() default "file";

    @AttributeDefinition(name = "Domain", description = "The domain this connector reports; an inventory may hold "
            + "elements of every domain")
    Domain domain() default Domain.CLOUD;
}
