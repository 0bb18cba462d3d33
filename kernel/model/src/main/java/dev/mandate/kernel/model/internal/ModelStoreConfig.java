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

    @AttributeDefinition(name = "Commit journal", description = "Whether a commit writes its history as one sorted"
            + " run of binary blocks, merged with others in the background (cheap on H2), instead of one row per"
            + " version: 'auto' (on H2, off elsewhere), 'on' or 'off'. A start carries history kept the other way over")
    String commitJournal() default "auto";

    @AttributeDefinition(name = "Prune interval", description = "Minutes between runs of the history pruning job")
    int pruneIntervalMinutes() default 60;
}
