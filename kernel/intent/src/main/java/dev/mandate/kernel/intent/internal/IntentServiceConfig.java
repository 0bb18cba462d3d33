package dev.mandate.kernel.intent.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the intent service (PID {@code dev.mandate.kernel.intent}). */
@ObjectClassDefinition(name = "Mandate intent", description = "Where operators drop blueprint and team files")
public @interface IntentServiceConfig {

    @AttributeDefinition(name = "Folder", description = "Folder of *.yaml/*.yml intent files, each loaded as one source;"
            + " ${karaf.etc} is replaced by Karaf's etc folder; empty to read no folder")
    String folder() default "${karaf.etc}/mandate/blueprints";

    @AttributeDefinition(name = "Poll interval", description = "Seconds between two looks at the folder (at least 1)")
    int pollInterval() default 5;
}
