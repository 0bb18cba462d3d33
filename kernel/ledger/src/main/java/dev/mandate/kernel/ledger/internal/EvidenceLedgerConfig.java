package dev.mandate.kernel.ledger.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the evidence ledger (PID {@code dev.mandate.kernel.ledger}). */
@ObjectClassDefinition(name = "Mandate evidence ledger",
        description = "The append-only, SHA-256 chained evidence ledger in a relational store")
public @interface EvidenceLedgerConfig {

    @AttributeDefinition(name = "Data source", description = "LDAP filter selecting the javax.sql.DataSource service")
    String dataSource_target() default "(dataSourceName=mandate)";

    @AttributeDefinition(description = "A signed checkpoint after at most this many records (0: none by count)")
    int checkpointEveryRecords() default 1000;

    @AttributeDefinition(description = "A signed checkpoint at least this often while records arrive, in seconds (0: none by time)")
    long checkpointEverySeconds() default 60;

    @AttributeDefinition(description = "Records older than this many days are pruned, leaving a signed retention"
            + " summary the chain verifies from (0: keep every record); checked hourly")
    int retentionDays() default 0;

    @AttributeDefinition(description = "Most records written in one group commit")
    int maxBatch() default 1000;

    @AttributeDefinition(description = "When callers arrive together, the longest a group commit waits for more"
            + " records before it writes, in microseconds (0: it writes what is queued at once); nobody is answered"
            + " before the commit holding their record")
    long groupWaitMicros() default 1000;

    @AttributeDefinition(description = "A waiting group commit writes once no record has arrived for this long,"
            + " in microseconds")
    long groupQuietMicros() default 250;

    @AttributeDefinition(description = "A waiting group commit writes once this many records are queued")
    int groupFullRecords() default 12;
}
