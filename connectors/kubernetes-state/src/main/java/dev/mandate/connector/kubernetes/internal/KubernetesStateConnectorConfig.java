package dev.mandate.connector.kubernetes.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** One cluster to list (factory PID {@code dev.mandate.connector.kubernetes}, one configuration per cluster). */
@ObjectClassDefinition(name = "Mandate Kubernetes state connector",
        description = "Lists a cluster's objects into the RUNNING layer")
public @interface KubernetesStateConnectorConfig {

    @AttributeDefinition(description = "The cluster's name in element ids: the same as the admission webhook's 'cluster'")
    String cluster();

    @AttributeDefinition(description = "The API server, e.g. https://kubernetes.default.svc or https://10.0.0.1:6443")
    String apiServer();

    @AttributeDefinition(description = "File holding the bearer token of a service account allowed to list the "
            + "resources (in a pod: /var/run/secrets/kubernetes.io/serviceaccount/token)")
    String tokenFile() default "";

    @AttributeDefinition(description = "PEM file of the CA that signed the API server's certificate; empty: the JVM's "
            + "trust store")
    String caFile() default "";

    @AttributeDefinition(description = "The connector id (the source of what it observes); empty: k8s-<cluster>")
    String id() default "";

    @AttributeDefinition(description = "What to list, as <group>/<version>/<resource> (core: v1/<resource>)")
    String[] resources() default {"v1/namespaces", "v1/services", "apps/v1/deployments", "apps/v1/statefulsets",
        "apps/v1/daemonsets", "batch/v1/cronjobs", "networking.k8s.io/v1/networkpolicies",
        "rbac.authorization.k8s.io/v1/roles", "rbac.authorization.k8s.io/v1/rolebindings",
        "rbac.authorization.k8s.io/v1/clusterroles", "rbac.authorization.k8s.io/v1/clusterrolebindings"};

    @AttributeDefinition(description = "Objects per list page (the API's 'limit')")
    int pageSize() default 500;

    @AttributeDefinition(description = "Seconds between full collections")
    int interval() default 300;

    @AttributeDefinition(description = "Seconds allowed for each list call")
    int timeoutSeconds() default 30;
}
