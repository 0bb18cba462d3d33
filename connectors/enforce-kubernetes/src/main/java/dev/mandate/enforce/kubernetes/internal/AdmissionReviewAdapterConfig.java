package dev.mandate.enforce.kubernetes.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the Kubernetes admission webhook (PID {@code dev.mandate.enforce.kubernetes}). */
@ObjectClassDefinition(name = "Mandate Kubernetes admission webhook",
        description = "Turns AdmissionReviews into decided action requests and answers the API server")
public @interface AdmissionReviewAdapterConfig {

    @AttributeDefinition(name = "Cluster", description = "The cluster's name in element ids "
            + "(k8s:<group>:<kind>:<cluster>:<namespace>:<name>), lower case")
    String cluster() default "default";

    @AttributeDefinition(name = "Namespaces", description = "What each namespace is: entries "
            + "'<namespace>: environment=prod, trustZone=pci-cde, podSecurity=restricted, owner=team-payments', "
            + "several per value separated by ';'; a namespace ending in '*' matches by prefix, the longest wins")
    String[] namespaces() default {};

    @AttributeDefinition(name = "Default environment", description = "Environment of namespaces no entry names")
    String defaultEnvironment() default "";

    @AttributeDefinition(name = "Default trust zone", description = "Trust zone of namespaces no entry names")
    String defaultTrustZone() default "";

    @AttributeDefinition(name = "Default Pod Security profile", description = "privileged, baseline or restricted, "
            + "for namespaces no entry names")
    String defaultPodSecurity() default "baseline";

    @AttributeDefinition(name = "Failure policy", description = "fail-closed: an internal error refuses the change "
            + "(allowed=false); fail-open: it is admitted with a warning")
    String failurePolicy() default "fail-closed";

    @AttributeDefinition(name = "Exempt namespaces", description = "Namespaces whose changes are admitted without "
            + "a decision ('*' suffix matches by prefix)")
    String[] exemptNamespaces() default {"kube-system"};

    @AttributeDefinition(name = "System users", description = "User names (besides service accounts) that are "
            + "SYSTEM actors ('*' suffix matches by prefix)")
    String[] systemUsers() default {"system:node:*", "system:kube-controller-manager", "system:kube-scheduler",
        "system:apiserver", "system:kube-proxy"};

    @AttributeDefinition(name = "AI users", description = "User names that are AI agents ('*' suffix matches by "
            + "prefix); they declare model and prompt hash with the annotations mandate.dev/agent-model and "
            + "mandate.dev/prompt-sha256 on the object")
    String[] aiUsers() default {};
}
