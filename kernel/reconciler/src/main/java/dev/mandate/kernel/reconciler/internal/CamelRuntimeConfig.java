package dev.mandate.kernel.reconciler.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the platform's Camel context (PID {@code dev.mandate.kernel.reconciler.camel}). */
@ObjectClassDefinition(name = "Mandate Camel context",
        description = "The Camel context that runs the reconciler's routes")
public @interface CamelRuntimeConfig {

    @AttributeDefinition(name = "Name", description = "The Camel context name (JMX: org.apache.camel:context=<name>)")
    String name() default "mandate";

    @AttributeDefinition(name = "JMX", description = "Register Camel's MBeans with the platform MBean server")
    boolean jmx() default true;

    @AttributeDefinition(name = "Shutdown timeout",
            description = "Seconds a stopping route waits for its work in progress before it is forced")
    int shutdownTimeoutSeconds() default 10;
}
