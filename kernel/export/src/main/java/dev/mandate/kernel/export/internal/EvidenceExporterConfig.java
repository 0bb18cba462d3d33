package dev.mandate.kernel.export.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Mandate evidence export", description = "How the ledger is handed to evidence sinks")
@interface EvidenceExporterConfig {

    @AttributeDefinition(description = "Seconds between export rounds")
    long intervalSeconds() default 5;

    @AttributeDefinition(description = "Most records handed to a sink in one call")
    int batchSize() default 500;

    @AttributeDefinition(description = "Folder for each sink's position in the ledger; empty: ${karaf.data}/mandate/export")
    String stateFolder() default "";
}
