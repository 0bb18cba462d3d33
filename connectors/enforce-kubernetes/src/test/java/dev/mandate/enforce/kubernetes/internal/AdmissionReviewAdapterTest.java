package dev.mandate.enforce.kubernetes.internal;

import static dev.mandate.enforce.kubernetes.internal.Fixtures.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.mandate.api.decision.Action;
import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Actor;
import dev.mandate.api.decision.ActorKind;
import dev.mandate.api.model.ElementIds;
import dev.mandate.enforce.kubernetes.AdmissionReview;

import org.junit.jupiter.api.Test;

/** The real admission samples through the adapter: ids, actions, actors, views and context. */
class AdmissionReviewAdapterTest {

    @Test
    void everySampleParsesAndProposesOneRequestOnAValidId() throws IOException {
        List<Path> files;
        try (Stream<Path> paths = Files.list(Fixtures.SAMPLES)) {
            files = paths.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(10);
        for (Path file : files) {
            Admission admission = Fixtures.read(file.getFileName().toString());
            assertThat(admission.uid()).as(file.toString()).isNotBlank();
            assertThat(admission.decided()).as(file.toString()).isTrue();
            ActionRequest request = admission.request();
            assertThat(ElementIds.isValid(request.target())).as(request.target()).isTrue();
            assertThat(request.target()).startsWith("k8s:").contains(":prod-eu:");
            assertThat(request.context()).containsEntry("admissionUid", admission.uid())
                    .containsEntry("source", "kubernetes-admission").containsEntry("cluster", "prod-eu");
        }
    }

    @Test
    void aDeploymentCreateProposesTheElementOfItsNamespace() {
        ActionRequest request = Fixtures.read("kw_review_v1_deployment_create.json").request();

        assertThat(request.target()).isEqualTo("k8s:apps:deployment:prod-eu:default:nginx");
        assertThat(request.action()).isEqualTo(Action.CREATE);
        assertThat(request.actor()).isEqualTo(new Actor("user@example.com", ActorKind.HUMAN, null,
                List.of("system:authenticated"), null, null));
        assertThat(request.before()).isEmpty();
        assertThat(request.after()).containsEntry("kind", "Deployment").containsEntry("name", "nginx")
                .containsEntry("replicas", 1).containsEntry("labels", Map.of("app", "nginx"));
        assertThat((Object) at(request.after(), "spec", "template")).as("the template is in podSpec").isNull();
        Map<String, Object> container = at(request.after(), "podSpec", "containers", "0");
        assertThat(container).containsEntry("name", "nginx").containsEntry("type", "container")
                .containsEntry("image", "ghcr.io/nginx/nginx-unprivileged:1.29.0-alpine-perl");
        assertThat((Map<String, Object>) at(container, "effective")).containsEntry("privileged", false)
                .containsEntry("allowPrivilegeEscalation", true).containsEntry("runAsNonRoot", false)
                .containsEntry("seccompProfile", "").containsEntry("capabilitiesDrop", List.of())
                .doesNotContainKey("runAsUser");
        assertThat(request.context()).containsEntry("podSecurity", "restricted").containsEntry("namespace", "default")
                .containsEntry("operation", "CREATE").containsEntry("dryRun", false)
                .containsEntry("proposed", Map.of("owner", "team-web", "environment", "prod", "trustZone",
                        "eu-internal", "labels", Map.of("app", "nginx")));
    }

    @Test
    void aDeploymentUpdateMapsOldObjectToBeforeAndObjectToAfter() {
        ActionRequest request = Fixtures.read("kw_request_deployment_update_with_oldobject.json").request();

        assertThat(request.action()).isEqualTo(Action.UPDATE);
        assertThat(request.target()).isEqualTo("k8s:apps:deployment:prod-eu:default:nginx");
        assertThat(request.actor().id()).isEqualTo("minikube-user");
        assertThat(request.actor().groups()).containsExactly("system:masters", "system:authenticated");
        Map<String, String> afterAnnotations = at(request.after(), "annotations");
        Map<String, String> beforeAnnotations = at(request.before(), "annotations");
        assertThat(afterAnnotations).containsEntry("hello", "world")
                .doesNotContainKey("kubectl.kubernetes.io/last-applied-configuration");
        assertThat(beforeAnnotations).doesNotContainKey("hello");
        assertThat((Object) at(request.after(), "podSpec")).isEqualTo(at(request.before(), "podSpec"));
        assertThat((Object) at(request.after(), "podSpec", "containers", "0", "ports", "0", "containerPort"))
                .isEqualTo(80);
        assertThat(request.context()).doesNotContainKey("proposed");
    }

    @Test
    void deletesMapToDeleteWithTheOldObjectBefore() {
        ActionRequest deployment = Fixtures.read("kw_request_deployment_delete.json").request();
        ActionRequest pod = Fixtures.read("kw_request_pod_delete.json").request();

        assertThat(deployment.action()).isEqualTo(Action.DELETE);
        assertThat(deployment.target()).isEqualTo("k8s:apps:deployment:prod-eu:default:nginx");
        assertThat(deployment.after()).isEmpty();
        assertThat(deployment.before()).containsEntry("name", "nginx").containsKey("podSpec");
        assertThat(pod.action()).isEqualTo(Action.DELETE);
        assertThat(pod.target()).isEqualTo("k8s:core:pod:prod-eu:default:nginx");
        assertThat(pod.before()).containsEntry("labels", Map.of("env", "test"));
    }

    @Test
    void aLoadBalancerServiceMapsWithItsType() {
        ActionRequest request = Fixtures.read("kw_request_service_create_loadbalancer.json").request();

        assertThat(request.target()).isEqualTo("k8s:core:service:prod-eu:default:nginx");
        assertThat(request.action()).isEqualTo(Action.CREATE);
        assertThat(request.after()).containsEntry("serviceType", "LoadBalancer").doesNotContainKey("podSpec")
                .containsEntry("publiclyAccessible", true).containsEntry("internal", false)
                .containsEntry("ingressRules", List.of(Map.of("source", "0.0.0.0/0")));
        assertThat((Object) at(request.after(), "spec", "ports", "0", "nodePort")).isEqualTo(30080);
        assertThat(request.actor().kind()).isEqualTo(ActorKind.HUMAN);
    }

    @Test
    void thePodSpecViewCoversInitContainersAndHostPaths() {
        ActionRequest privileged = Fixtures.read("kw_request_pod_create_privileged_init.json").request();
        List<Map<String, Object>> containers = at(privileged.after(), "podSpec", "containers");

        assertThat(containers).extracting(c -> c.get("type") + "/" + c.get("name"))
                .containsExactly("initContainer/nginx", "container/sleeping-sidecar", "container/nginx");
        assertThat(containers).extracting(c -> at(c, "effective", "privileged")).containsExactly(true, false, false);

        ActionRequest hostPaths = Fixtures.read("kw_request_pod_create_hostpaths.json").request();
        List<Map<String, Object>> volumes = at(hostPaths.after(), "podSpec", "volumes");
        assertThat(volumes).extracting(v -> v.get("type") + ":" + v.getOrDefault("path", "-")).containsExactly(
                "hostPath:/data", "hostPath:/var", "hostPath:/var/local/aaa", "projected:-");
        assertThat((List<Object>) at(hostPaths.after(), "podSpec", "containers")).hasSize(4);
    }

    @Test
    void aDaemonSetRunningAsRootShowsItsUserAndHostPath() {
        ActionRequest request = Fixtures.read("kw_request_daemonset_create_root.json").request();

        assertThat(request.target()).isEqualTo("k8s:apps:daemonset:prod-eu:default:fluentd-elasticsearch");
        assertThat((Object) at(request.after(), "podSpec", "containers", "0", "effective", "runAsUser")).isEqualTo(0);
        assertThat((Object) at(request.after(), "podSpec", "volumes", "0", "path")).isEqualTo("/var/log");
        assertThat(request.actor()).isEqualTo(new Actor("system:admin", ActorKind.HUMAN, null,
                List.of("system:masters", "system:authenticated"), null, null));
    }

    @Test
    void aNamespaceIsClusterScopedAndAPodWithoutNamespaceIsInDefault() {
        ActionRequest namespace = Fixtures.read("kw_request_namespace_create.json").request();
        ActionRequest flexVolume = Fixtures.read("kw_review_v1_pod_create_flexvolume.json").request();

        assertThat(namespace.target()).isEqualTo("k8s:core:namespace:prod-eu:_cluster:one");
        assertThat(namespace.context()).doesNotContainKey("namespace").containsEntry("podSecurity", "baseline")
                .containsEntry("namespacePolicy", Map.of("environment", "staging", "trustZone", "eu-internal",
                        "podSecurity", "baseline"));
        assertThat(flexVolume.target()).isEqualTo("k8s:core:pod:prod-eu:default:flexvolume-test");
        assertThat((Object) at(flexVolume.after(), "podSpec", "volumes", "0", "type")).isEqualTo("flexVolume");
    }

    @Test
    void aNamespacesOwnMandateLabelsFillWhatTheConfigurationLeavesOpen() throws Exception {
        AdmissionReview review = AdmissionReview.parse(request("CREATE", "", "Namespace", "", "shop",
                "{\"metadata\":{\"name\":\"shop\",\"labels\":{\"mandate.dev/environment\":\"prod\","
                        + "\"mandate.dev/owner\":\"team-shop\",\"mandate.dev/pod-security\":\"restricted\"}}}",
                "alice", null));
        ActionRequest request = Fixtures.adapter().read(review).request();

        assertThat(request.context()).containsEntry("podSecurity", "restricted");
        assertThat(request.context().get("proposed")).isEqualTo(Map.of("owner", "team-shop", "environment", "prod",
                "trustZone", "eu-internal", "labels", Map.of("mandate.dev/environment", "prod", "mandate.dev/owner",
                        "team-shop", "mandate.dev/pod-security", "restricted")));
    }

    @Test
    void actorsAreServiceAccountsSystemUsersAgentsOrHumans() throws Exception {
        AdmissionReviewAdapter adapter = Fixtures.adapter();
        ActionRequest serviceAccount = adapter.read(AdmissionReview.parse(request("CREATE", "", "Pod", "payments", "p",
                pod(""), "system:serviceaccount:payments:deployer", "[\"system:serviceaccounts\"]"))).request();
        ActionRequest node = adapter.read(AdmissionReview.parse(request("CREATE", "", "Pod", "payments", "p", pod(""),
                "system:node:worker-1", null))).request();
        ActionRequest agent = adapter.read(AdmissionReview.parse(request("CREATE", "", "Pod", "payments", "p",
                "{\"metadata\":{\"name\":\"p\",\"annotations\":{\"mandate.dev/agent-model\":\"m-1\","
                        + "\"mandate.dev/prompt-sha256\":\"ab12\",\"mandate.dev/justification\":\"CHG-9\"}},"
                        + "\"spec\":{\"containers\":[]}}",
                "agent-ops", null))).request();

        assertThat(serviceAccount.actor()).isEqualTo(new Actor("system:serviceaccount:payments:deployer",
                ActorKind.SYSTEM, "team-payments", List.of("system:serviceaccounts"), null, "service-account"));
        assertThat(node.actor().kind()).isEqualTo(ActorKind.SYSTEM);
        assertThat(agent.actor().kind()).isEqualTo(ActorKind.AI);
        assertThat(agent.actor().agent().model()).isEqualTo("m-1");
        assertThat(agent.actor().agent().isComplete()).isTrue();
        assertThat(agent.justification()).isEqualTo("CHG-9");
        assertThat(agent.context()).containsEntry("podSecurity", "restricted");
    }

    @Test
    void aNamespacePrefixRuleAppliesAndGenerateNameGivesAProvisionalId() throws Exception {
        ActionRequest request = Fixtures.adapter().read(AdmissionReview.parse(request("CREATE", "", "Pod", "dev-alice",
                null, "{\"metadata\":{\"generateName\":\"web-7d4b9c-\"},\"spec\":{\"containers\":[]}}", "alice",
                null))).request();

        assertThat(request.target()).isEqualTo("k8s:core:pod:prod-eu:dev-alice:~web-7d4b9c-");
        assertThat(request.context()).containsEntry("provisional", true).containsEntry("podSecurity", "privileged");
        assertThat(request.context().get("proposed")).isEqualTo(Map.of("owner", "team-dev", "environment", "dev",
                "trustZone", "eu-internal", "labels", Map.of()));
    }

    @Test
    void roleBindingsGrantAndRevokeAccessToTheRoleTheyName() throws Exception {
        AdmissionReviewAdapter adapter = Fixtures.adapter();
        String two = "{\"metadata\":{\"name\":\"ops\"},\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\","
                + "\"kind\":\"ClusterRole\",\"name\":\"edit\"},\"subjects\":[{\"kind\":\"User\",\"name\":\"bob\"},"
                + "{\"kind\":\"ServiceAccount\",\"name\":\"ci\"}]}";
        String one = "{\"metadata\":{\"name\":\"ops\"},\"roleRef\":{\"kind\":\"ClusterRole\",\"name\":\"edit\"},"
                + "\"subjects\":[{\"kind\":\"User\",\"name\":\"bob\"}]}";

        ActionRequest create = adapter.read(AdmissionReview.parse(request("CREATE", AdmissionMapper.RBAC, "RoleBinding",
                "payments", "ops", two, "alice", null))).request();
        assertThat(create.action()).isEqualTo(Action.ACCESS_GRANT);
        assertThat(create.target()).isEqualTo("k8s:rbac.authorization.k8s.io:clusterrole:prod-eu:_cluster:edit");
        assertThat(create.context()).containsEntry("binding",
                "k8s:rbac.authorization.k8s.io:rolebinding:prod-eu:payments:ops")
                .containsEntry("grantees", List.of("bob", "system:serviceaccount:payments:ci"))
                .doesNotContainKey("grantee");
        assertThat(create.after()).containsKeys("roleRef", "subjects");

        ActionRequest shrink = adapter.read(AdmissionReview.parse(update(AdmissionMapper.RBAC, "RoleBinding", "payments",
                "ops", one, two))).request();
        assertThat(shrink.action()).isEqualTo(Action.ACCESS_REVOKE);
        assertThat(shrink.context()).containsEntry("granteesRemoved", List.of("system:serviceaccount:payments:ci"))
                .containsEntry("grantee", "bob");
        ActionRequest grow = adapter.read(AdmissionReview.parse(update(AdmissionMapper.RBAC, "RoleBinding", "payments",
                "ops", two, one))).request();
        assertThat(grow.action()).isEqualTo(Action.ACCESS_GRANT);

        String role = "{\"metadata\":{\"name\":\"ops\"},\"roleRef\":{\"kind\":\"Role\",\"name\":\"reader\"},"
                + "\"subjects\":[{\"kind\":\"User\",\"name\":\"bob\"}]}";
        ActionRequest delete = adapter.read(AdmissionReview.parse("{\"uid\":\"u\",\"operation\":\"DELETE\","
                + "\"kind\":{\"group\":\"rbac.authorization.k8s.io\",\"version\":\"v1\",\"kind\":\"RoleBinding\"},"
                + "\"namespace\":\"payments\",\"name\":\"ops\",\"userInfo\":{\"username\":\"alice\"},"
                + "\"oldObject\":" + role + "}")).request();
        assertThat(delete.action()).isEqualTo(Action.ACCESS_REVOKE);
        assertThat(delete.target()).isEqualTo("k8s:rbac.authorization.k8s.io:role:prod-eu:payments:reader");
        assertThat(delete.context()).containsEntry("grantee", "bob");
    }

    @Test
    void connectStatusAndExemptNamespacesAreAdmittedWithoutDecision() throws Exception {
        AdmissionReviewAdapter adapter = Fixtures.adapter();
        Admission connect = adapter.read(AdmissionReview.parse("{\"uid\":\"u1\",\"operation\":\"CONNECT\","
                + "\"kind\":{\"group\":\"\",\"version\":\"v1\",\"kind\":\"PodExecOptions\"},\"namespace\":\"payments\","
                + "\"name\":\"p\",\"subResource\":\"exec\",\"userInfo\":{\"username\":\"alice\"},\"object\":{}}"));
        Admission status = adapter.read(AdmissionReview.parse("{\"uid\":\"u2\",\"operation\":\"UPDATE\","
                + "\"kind\":{\"group\":\"\",\"version\":\"v1\",\"kind\":\"Pod\"},\"namespace\":\"payments\",\"name\":\"p\","
                + "\"subResource\":\"status\",\"userInfo\":{\"username\":\"system:node:w\"},\"object\":" + pod("")
                + "}"));
        Admission exempt = adapter.read(AdmissionReview.parse(request("CREATE", "", "Pod", "kube-system", "p", pod(""),
                "alice", null)));

        assertThat(List.of(connect, status, exempt)).noneMatch(Admission::decided);
        assertThat(connect.skipReason()).startsWith("connect operations");
        assertThat(exempt.skipReason()).isEqualTo("namespace 'kube-system' is exempt");
        assertThat(adapter.toRequests(AdmissionReview.parse(request("CREATE", "", "Pod", "kube-system", "p", pod(""),
                "alice", null)))).isEmpty();
    }

    @Test
    void aScaleIsAScaleOfTheParentWorkload() throws Exception {
        ActionRequest request = Fixtures.adapter().read(AdmissionReview.parse("{\"uid\":\"u\",\"operation\":\"UPDATE\","
                + "\"kind\":{\"group\":\"autoscaling\",\"version\":\"v1\",\"kind\":\"Scale\"},"
                + "\"resource\":{\"group\":\"apps\",\"version\":\"v1\",\"resource\":\"deployments\"},"
                + "\"subResource\":\"scale\",\"namespace\":\"payments\",\"name\":\"api\","
                + "\"userInfo\":{\"username\":\"alice\"},\"object\":{\"spec\":{\"replicas\":5}},"
                + "\"oldObject\":{\"spec\":{\"replicas\":2}}}")).request();

        assertThat(request.action()).isEqualTo(Action.SCALE);
        assertThat(request.target()).isEqualTo("k8s:apps:deployment:prod-eu:payments:api");
        assertThat(request.after()).isEqualTo(Map.of("replicas", 5));
        assertThat(request.before()).isEqualTo(Map.of("replicas", 2));
    }

    @Test
    void aCronJobsPodTemplateAndAnEphemeralContainerAreInThePodSpec() throws Exception {
        String cronJob = "{\"kind\":\"CronJob\",\"metadata\":{\"name\":\"nightly\"},\"spec\":{\"schedule\":\"0 1 * * *\","
                + "\"jobTemplate\":{\"spec\":{\"template\":{\"spec\":{\"hostPID\":true,"
                + "\"securityContext\":{\"runAsNonRoot\":true,\"seccompProfile\":{\"type\":\"RuntimeDefault\"}},"
                + "\"containers\":[{\"name\":\"job\",\"securityContext\":{\"runAsNonRoot\":false,"
                + "\"capabilities\":{\"add\":[\"NET_ADMIN\"],\"drop\":[\"ALL\"]}},\"ports\":[{\"containerPort\":8080,"
                + "\"hostPort\":8080}]}],\"ephemeralContainers\":[{\"name\":\"debug\"}]}}}}}}";
        ActionRequest request = Fixtures.adapter().read(AdmissionReview.parse(request("CREATE", "batch", "CronJob",
                "payments", "nightly", cronJob, "alice", null))).request();

        assertThat(request.target()).isEqualTo("k8s:batch:cronjob:prod-eu:payments:nightly");
        Map<String, Object> podSpec = at(request.after(), "podSpec");
        assertThat(podSpec).containsEntry("hostPID", true).containsEntry("hostNetwork", false)
                .containsEntry("hostPorts", List.of(8080));
        assertThat((Map<String, Object>) at(podSpec, "containers", "0", "effective"))
                .containsEntry("runAsNonRoot", false).containsEntry("seccompProfile", "RuntimeDefault")
                .containsEntry("capabilitiesAdd", List.of("NET_ADMIN")).containsEntry("capabilitiesDrop", List.of("ALL"));
        assertThat((Map<String, Object>) at(podSpec, "containers", "1", "effective"))
                .containsEntry("runAsNonRoot", true).containsEntry("seccompProfile", "RuntimeDefault");
        assertThat((Object) at(podSpec, "containers", "1", "type")).isEqualTo("ephemeralContainer");
        assertThat(request.after()).containsEntry("spec", Map.of("schedule", "0 1 * * *"));
    }

    @Test
    void anInternalOrRangeLimitedLoadBalancerIsNotPublic() throws Exception {
        AdmissionReviewAdapter adapter = Fixtures.adapter();
        ActionRequest internal = adapter.read(AdmissionReview.parse(request("CREATE", "", "Service", "payments", "lb",
                "{\"metadata\":{\"name\":\"lb\",\"annotations\":{"
                        + "\"service.beta.kubernetes.io/azure-load-balancer-internal\":\"true\"}},"
                        + "\"spec\":{\"type\":\"LoadBalancer\"}}", "alice", null))).request();
        ActionRequest ranged = adapter.read(AdmissionReview.parse(request("CREATE", "", "Service", "payments", "lb",
                "{\"metadata\":{\"name\":\"lb\"},\"spec\":{\"type\":\"LoadBalancer\","
                        + "\"loadBalancerSourceRanges\":[\"10.0.0.0/8\"]}}", "alice", null))).request();
        ActionRequest clusterIp = adapter.read(AdmissionReview.parse(request("CREATE", "", "Service", "payments", "api",
                "{\"metadata\":{\"name\":\"api\"},\"spec\":{}}", "alice", null))).request();

        assertThat(internal.after()).containsEntry("publiclyAccessible", false).containsEntry("internal", true)
                .containsEntry("ingressRules", List.of());
        assertThat(ranged.after()).containsEntry("publiclyAccessible", false)
                .containsEntry("ingressRules", List.of(Map.of("source", "10.0.0.0/8")));
        assertThat(clusterIp.after()).containsEntry("serviceType", "ClusterIP").doesNotContainKey("publiclyAccessible");
    }

    @Test
    void aNetworkPolicysIngressIsFlattenedAndAChangeTicketReachesTheContext() throws Exception {
        ActionRequest request = Fixtures.adapter().read(AdmissionReview.parse(request("CREATE", "networking.k8s.io",
                "NetworkPolicy", "payments", "allow", "{\"metadata\":{\"name\":\"allow\",\"annotations\":"
                        + "{\"mandate.dev/change-ticket\":\"CHG-42\"}},\"spec\":{\"podSelector\":{},"
                        + "\"ingress\":[{},{\"from\":[{\"ipBlock\":{\"cidr\":\"10.1.0.0/16\","
                        + "\"except\":[\"10.1.2.0/24\"]}},{\"podSelector\":{}}],\"ports\":[{\"port\":443}]}]}}",
                "alice", null))).request();

        assertThat(request.target()).isEqualTo("k8s:networking.k8s.io:networkpolicy:prod-eu:payments:allow");
        assertThat(request.after().get("ingressRules")).isEqualTo(List.of(
                Map.of("source", "0.0.0.0/0", "ports", List.of()),
                Map.of("source", "10.1.0.0/16", "except", List.of("10.1.2.0/24"), "ports", List.of(Map.of("port", 443))),
                Map.of("source", "cluster", "ports", List.of(Map.of("port", 443)))));
        assertThat(request.context()).containsEntry("changeTicket", "CHG-42");
    }

    // --- helpers ---

    static String request(String operation, String group, String kind, String namespace, String name, String object,
            String username, String groups) {
        return "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"uid-1\","
                + "\"kind\":{\"group\":\"" + group + "\",\"version\":\"v1\",\"kind\":\"" + kind + "\"},"
                + "\"operation\":\"" + operation + "\","
                + (namespace == null ? "" : "\"namespace\":\"" + namespace + "\",")
                + (name == null ? "" : "\"name\":\"" + name + "\",")
                + "\"userInfo\":{\"username\":\"" + username + "\"" + (groups == null ? "" : ",\"groups\":" + groups)
                + "},\"object\":" + object + "}}";
    }

    static String update(String group, String kind, String namespace, String name, String object, String oldObject) {
        String review = request("UPDATE", group, kind, namespace, name, object, "alice", null);
        return review.substring(0, review.length() - 2) + ",\"oldObject\":" + oldObject + "}}";
    }

    static String pod(String securityContext) {
        return "{\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\""
                + (securityContext.isEmpty() ? "" : ",\"securityContext\":" + securityContext) + "}]}}";
    }
}
