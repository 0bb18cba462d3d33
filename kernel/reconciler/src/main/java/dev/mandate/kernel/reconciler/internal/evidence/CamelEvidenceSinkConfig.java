package dev.mandate.kernel.reconciler.internal.evidence;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * One Camel evidence sink (factory PID {@code dev.mandate.kernel.reconciler.evidence.camel}, e.g.
 * {@code etc/dev.mandate.kernel.reconciler.evidence.camel-siem.cfg}).
 */
@ObjectClassDefinition(name = "Mandate evidence Camel sink", description = "Exports the evidence ledger to a Camel "
        + "endpoint, one CloudEvent per record")
public @interface CamelEvidenceSinkConfig {

    @AttributeDefinition(name = "Name", description = "The sink's name; the exporter remembers its position under it")
    String name();

    @AttributeDefinition(name = "Endpoint", description = "A Camel endpoint URI the embedded Camel carries: "
            + "https://siem.example/ingest, kafka:mandate-evidence?brokers=…, smtp://…, log:…")
    String uri();

    @AttributeDefinition(name = "Source", description = "The CloudEvents source attribute of this instance")
    String source() default "urn:mandate:evidence";

    @AttributeDefinition(name = "Record types", description = "Evidence record types sent; empty: every record "
            + "(the others are acknowledged without sending)", required = false)
    String[] types() default {};

    @AttributeDefinition(name = "State folder", description = "Where the sink remembers the last record the endpoint "
            + "took; empty: ${karaf.data}/mandate/export", required = false)
    String stateFolder() default "";
}
