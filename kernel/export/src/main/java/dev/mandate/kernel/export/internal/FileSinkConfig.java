package dev.mandate.kernel.export.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Mandate evidence file sink",
        description = "Appends the ledger to a JSON Lines file, one record per line")
@interface FileSinkConfig {

    @AttributeDefinition(description = "The sink's name; the exporter remembers its position under it")
    String name() default "file";

    @AttributeDefinition(description = "The JSON Lines file; a relative path is under ${karaf.data}")
    String path() default "mandate/evidence/evidence.jsonl";
}
