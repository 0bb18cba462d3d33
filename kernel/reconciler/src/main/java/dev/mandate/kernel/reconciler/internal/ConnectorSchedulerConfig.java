package dev.mandate.kernel.reconciler.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the connector scheduler (PID {@code dev.mandate.kernel.reconciler}). */
@ObjectClassDefinition(name = "Mandate reconciler",
        description = "Runs every state connector on its schedule and commits what it observes to the model")
public @interface ConnectorSchedulerConfig {

    @AttributeDefinition(name = "Threads", description = "How many connectors may collect at the same time")
    int threads() default 4;

    @AttributeDefinition(name = "Absences before removal",
            description = "Complete runs in a row that must miss an element before its layer is removed (at least 1)")
    int absencesBeforeRemoval() default 2;
}
