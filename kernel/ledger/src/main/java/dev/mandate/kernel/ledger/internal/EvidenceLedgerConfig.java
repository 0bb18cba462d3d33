package dev.mandate.kernel.ledger.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the evidence ledger (PID {@code dev.mandate.kernel.ledger}). */
@ObjectClassDefinition(name = "Mandate evidence ledger",
        description = "The append-only, SHA-256 chained evidence ledger in a relational store")
public @interface EvidenceLedgerConfig {

    @AttributeDefinition(name = "Data source", description = "LDAP filter selecting the javax.sql.DataSource service")
    String dataSource_target() default "(dataSourceName=mandate)";
}
