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

    @AttributeDefinition(name = "History revisions",
            description = "How many of the newest revisions GET /elements/{id}?revision=N can answer; 0 for no limit")
    int historyRevisions() default 0;

    @AttributeDefinition(name = "History days",
            description = "How many days of revisions the history keeps; 0 for no limit")
    int historyDays() default 30;

    @AttributeDefinition(name = "Commit journal", description = "Whether a commit writes its history rows as one"
            + " journal entry, turned into rows of the history tables by a later transaction: 'auto' (on H2, off"
            + " elsewhere), 'on' or 'off'")
    String commitJournal() default "auto";

    @AttributeDefinition(name = "Journal backlog", description = "Megabytes of journal entries that may wait to"
            + " become history rows before commits wait for them")
    int journalPendingMegabytes() default 64;

    @AttributeDefinition(name = "Prune interval", description = "Minutes between runs of the history pruning job")
    int pruneIntervalMinutes() default 60;
}
