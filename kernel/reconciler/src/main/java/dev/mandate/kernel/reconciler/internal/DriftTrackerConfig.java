package dev.mandate.kernel.reconciler.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of drift detection (PID {@code dev.mandate.kernel.reconciler.drift}). */
@ObjectClassDefinition(name = "Mandate drift", description = "Compares the intended, built and running layers after "
        + "every revision and keeps the current drift findings")
public @interface DriftTrackerConfig {

    @AttributeDefinition(name = "Check interval", description = "Milliseconds between checks for a new model revision "
            + "(route 'drift')", min = "50")
    long intervalMillis() default 500;

    @AttributeDefinition(name = "Diverged findings per element", description = "At most this many differing "
            + "attribute paths are reported per element", min = "1")
    int maxDivergedPerElement() default 20;

    @AttributeDefinition(name = "Ignored paths", description = "Attribute paths (or keys at any depth) never compared")
    String[] ignoredPaths() default {"facets", "tags_all", "timeouts"};

    @AttributeDefinition(name = "Grant slack", description = "Seconds after a grant expires during which an observed "
            + "change of its target still counts as covered (observation lag of the connectors)", min = "0")
    long grantSlackSeconds() default 900;
}
