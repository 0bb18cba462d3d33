package dev.mandate.blueprints.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Manifest;

import dev.mandate.api.decision.Action;
import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Actor;
import dev.mandate.api.decision.ActorKind;
import dev.mandate.api.enforcement.InvalidChangeException;
import dev.mandate.api.intent.BlueprintInfo;
import dev.mandate.api.intent.Effect;
import dev.mandate.api.intent.Evaluation;
import dev.mandate.api.intent.EvaluationContext;
import dev.mandate.api.intent.RuleMatch;
import dev.mandate.api.model.BlastRadius;
import dev.mandate.api.model.Element;
import dev.mandate.blueprints.testing.PackHarness;
import dev.mandate.enforce.kubernetes.AdmissionReview;
import dev.mandate.enforce.kubernetes.internal.AdmissionReviewAdapter;
import dev.mandate.enforce.kubernetes.internal.AdmissionReviewAdapterConfig;
import dev.mandate.kernel.intent.internal.IntentRegistry;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Loads the pack (with the team that owns it, from the baseline pack) through the real loader, shows for
 * each rule a pod that breaks it and a close one that does not, and runs the real admission samples through
 * the real webhook adapter into the rules.
 */
class KubernetesPackTest {

    private static final Path SAMPLES = Path.of("/work/shared/fixtures/k8s-admission");
    private static final String BUNDLE = "dev.mandate.blueprints.kubernetes";
    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
    private static final String BASELINE = "k8s-pss-baseline@1.0.0#";
    private static final String RESTRICTED = "k8s-pss-restricted@1.0.0#";
    private static final Actor ALICE = new Actor("alice", ActorKind.HUMAN, null, List.of(), null, null);
    /** A container that meets the restricted profile. */
    private static final String HARDENED = "\"securityContext\":{\"allowPrivilegeEscalation\":false,"
            + "\"capabilities\":{\"drop\":[\"ALL\"]}}";
    private static final String HARDENED_POD = "\"securityContext\":{\"runAsNonRoot\":true,"
            + "\"seccompProfile\":{\"type\":\"RuntimeDefault\"}}";

    private List<String> evidence;
    private IntentRegistry registry;

    @BeforeEach
    void loadThePack() {
        PackHarness pack = new PackHarness(BUNDLE, PackHarness.documents("dev.mandate.blueprints.baseline",
                Path.of("../baseline/src/main/resources/blueprints/team-platform.yaml")));
        registry = pack.registry;
        evidence = pack.evidence;
    }

    @Test
    void thePackDeclaresBothProfilesOwnedByThePlatformTeam() {
        assertThat(registry.blueprints()).extracting(BlueprintInfo::ref)
                .containsExactly("k8s-controllers@1.0.0", "k8s-pss-baseline@1.0.0", "k8s-pss-restricted@1.0.0");
        assertThat(registry.blueprints()).allSatisfy(info -> {
            assertThat(info.owner()).isEqualTo("team-platform");
            assertThat(info.description()).containsAnyOf("pod-security-standards", "Pod Security Admission");
        });
        assertThat(evidence).contains("blueprint.loaded k8s-pss-baseline", "blueprint.loaded k8s-pss-restricted");
    }

    @Test
    void theBundleCarriesTheExtenderHeader() throws IOException {
        try (InputStream in = Files.newInputStream(Path.of("target/classes/META-INF/MANIFEST.MF"))) {
            assertThat(new Manifest(in).getMainAttributes().getValue("Mandate-Blueprints")).isEqualTo("blueprints");
        }
    }

    @Test
    void aHardenedPodMeetsEveryRuleOfBothProfiles() {
        Evaluation evaluation = registry.evaluate(pod("restricted", "", HARDENED_POD, container("c", HARDENED)));

        assertThat(evaluation.errors()).isEmpty();
        assertThat(evaluation.matches()).isEmpty();
        assertThat(evaluation.applicable()).hasSize(3);
    }

    // --- baseline ---

    @Test
    void privilegedContainers() {
        RuleMatch match = fired(pod("baseline", "", "", container("init", "\"securityContext\":{\"privileged\":true}")),
                BASELINE + "privileged");
        assertThat(match.effect()).isEqualTo(Effect.DENY);
        assertThat(match.severity()).isEqualTo("critical");
        assertThat(match.message()).isEqualTo("initContainer 'init' of k8s:core:pod:prod-eu:payments:web would run "
                + "privileged; the baseline Pod Security profile forbids privileged containers");
        notFired(pod("baseline", "", "", container("init", "\"securityContext\":{\"privileged\":false}")),
                BASELINE + "privileged");
        notFired(pod("privileged", "", "", container("init", "\"securityContext\":{\"privileged\":true}")),
                BASELINE + "privileged");
    }

    @Test
    void hostNamespaces() {
        RuleMatch match = fired(pod("baseline", "\"hostPID\":true,", "", container("c", "")),
                BASELINE + "host-namespaces");
        assertThat(match.message()).contains("hostNetwork: false, hostPID: true, hostIPC: false");
        fired(pod("restricted", "\"hostNetwork\":true,", HARDENED_POD, container("c", HARDENED)),
                BASELINE + "host-namespaces");
        notFired(pod("baseline", "\"hostPID\":false,", "", container("c", "")), BASELINE + "host-namespaces");
    }

    @Test
    void hostProcess() {
        fired(pod("baseline", "", "\"securityContext\":{\"windowsOptions\":{\"hostProcess\":true}}",
                container("c", "")), BASELINE + "host-process");
        notFired(pod("baseline", "", "", container("c", "\"securityContext\":{\"windowsOptions\":{\"hostProcess\":"
                + "false}}")), BASELINE + "host-process");
    }

    @Test
    void hostPathVolumes() {
        RuleMatch match = fired(pod("baseline", "\"volumes\":[{\"name\":\"logs\",\"hostPath\":{\"path\":\"/var/log\"}}],",
                "", container("c", "")), BASELINE + "host-path-volumes");
        assertThat(match.message()).contains("(logs -> /var/log)");
        notFired(pod("baseline", "\"volumes\":[{\"name\":\"tmp\",\"emptyDir\":{}}],", "", container("c", "")),
                BASELINE + "host-path-volumes");
    }

    @Test
    void hostPorts() {
        RuleMatch match = fired(pod("baseline", "", "", container("c", "\"ports\":[{\"containerPort\":80,"
                + "\"hostPort\":8080}]")), BASELINE + "host-ports");
        assertThat(match.message()).contains("host ports 8080");
        notFired(pod("baseline", "", "", container("c", "\"ports\":[{\"containerPort\":80,\"hostPort\":0}]")),
                BASELINE + "host-ports");
    }

    @Test
    void capabilitiesBeyondTheDefaultSet() {
        RuleMatch match = fired(pod("baseline", "", "", container("c", "\"securityContext\":{\"capabilities\":"
                + "{\"add\":[\"CHOWN\",\"SYS_ADMIN\"]}}")), BASELINE + "capabilities");
        assertThat(match.message()).contains("container 'c' adds CHOWN, SYS_ADMIN");
        notFired(pod("baseline", "", "", container("c", "\"securityContext\":{\"capabilities\":{\"add\":"
                + "[\"CHOWN\",\"NET_BIND_SERVICE\"]}}")), BASELINE + "capabilities");
    }

    @Test
    void unconfinedSeccomp() {
        fired(pod("baseline", "", "\"securityContext\":{\"seccompProfile\":{\"type\":\"Unconfined\"}}",
                container("c", "")), BASELINE + "seccomp-not-unconfined");
        notFired(pod("baseline", "", "\"securityContext\":{\"seccompProfile\":{\"type\":\"Unconfined\"}}",
                container("c", "\"securityContext\":{\"seccompProfile\":{\"type\":\"RuntimeDefault\"}}")),
                BASELINE + "seccomp-not-unconfined");
    }

    @Test
    void appArmorSeLinuxProcMountAndSysctls() {
        fired(pod("baseline", "", "", container("c", "\"securityContext\":{\"appArmorProfile\":{\"type\":"
                + "\"Unconfined\"}}")), BASELINE + "apparmor");
        notFired(pod("baseline", "", "", container("c", "\"securityContext\":{\"appArmorProfile\":{\"type\":"
                + "\"RuntimeDefault\"}}")), BASELINE + "apparmor");
        RuleMatch selinux = fired(pod("baseline", "", "\"securityContext\":{\"seLinuxOptions\":{\"type\":\"spc_t\"}}",
                container("c", "")), BASELINE + "selinux");
        assertThat(selinux.message()).contains("type 'spc_t'");
        fired(pod("baseline", "", "", container("c", "\"securityContext\":{\"seLinuxOptions\":{\"user\":\"root\"}}")),
                BASELINE + "selinux");
        notFired(pod("baseline", "", "", container("c", "\"securityContext\":{\"seLinuxOptions\":{\"type\":"
                + "\"container_init_t\"}}")), BASELINE + "selinux");
        fired(pod("baseline", "", "", container("c", "\"securityContext\":{\"procMount\":\"Unmasked\"}")),
                BASELINE + "proc-mount");
        notFired(pod("baseline", "", "", container("c", "\"securityContext\":{\"procMount\":\"Default\"}")),
                BASELINE + "proc-mount");
        fired(pod("baseline", "", "\"securityContext\":{\"sysctls\":[{\"name\":\"kernel.msgmax\",\"value\":\"1\"}]}",
                container("c", "")), BASELINE + "sysctls");
        notFired(pod("baseline", "", "\"securityContext\":{\"sysctls\":[{\"name\":\"net.ipv4.tcp_syncookies\","
                + "\"value\":\"1\"}]}", container("c", "")), BASELINE + "sysctls");
    }

    // --- restricted ---

    @Test
    void volumeTypes() {
        RuleMatch match = fired(pod("restricted", "\"volumes\":[{\"name\":\"nfs\",\"nfs\":{\"server\":\"s\","
                + "\"path\":\"/\"}},{\"name\":\"cfg\",\"configMap\":{\"name\":\"c\"}}],", HARDENED_POD,
                container("c", HARDENED)), RESTRICTED + "volume-types");
        assertThat(match.message()).endsWith("(nfs: nfs)");
        notFired(pod("baseline", "\"volumes\":[{\"name\":\"nfs\",\"nfs\":{\"server\":\"s\",\"path\":\"/\"}}],", "",
                container("c", "")), RESTRICTED + "volume-types");
    }

    @Test
    void privilegeEscalation() {
        fired(pod("restricted", "", HARDENED_POD, container("c", "\"securityContext\":{\"capabilities\":{\"drop\":"
                + "[\"ALL\"]}}")), RESTRICTED + "privilege-escalation");
        notFired(pod("restricted", "", HARDENED_POD, container("c", HARDENED)), RESTRICTED + "privilege-escalation");
    }

    @Test
    void runAsNonRootAtPodOrContainerLevel() {
        RuleMatch match = fired(pod("restricted", "", "\"securityContext\":{\"seccompProfile\":{\"type\":"
                + "\"RuntimeDefault\"}}", container("c", HARDENED)), RESTRICTED + "run-as-non-root");
        assertThat(match.message()).startsWith("container 'c' of k8s:core:pod:prod-eu:payments:web may run as root");
        notFired(pod("restricted", "", "\"securityContext\":{\"seccompProfile\":{\"type\":\"RuntimeDefault\"}}",
                container("c", "\"securityContext\":{\"allowPrivilegeEscalation\":false,\"runAsNonRoot\":true,"
                        + "\"capabilities\":{\"drop\":[\"ALL\"]}}")), RESTRICTED + "run-as-non-root");
        fired(pod("restricted", "", HARDENED_POD, container("c", "\"securityContext\":{\"runAsNonRoot\":false}")),
                RESTRICTED + "run-as-non-root");
    }

    @Test
    void runAsUserZero() {
        fired(pod("restricted", "", "\"securityContext\":{\"runAsNonRoot\":true,\"runAsUser\":0,"
                + "\"seccompProfile\":{\"type\":\"RuntimeDefault\"}}", container("c", HARDENED)),
                RESTRICTED + "run-as-non-root-user");
        notFired(pod("restricted", "", "\"securityContext\":{\"runAsNonRoot\":true,\"runAsUser\":1000,"
                + "\"seccompProfile\":{\"type\":\"RuntimeDefault\"}}", container("c", HARDENED)),
                RESTRICTED + "run-as-non-root-user");
    }

    @Test
    void seccompMustBeSet() {
        fired(pod("restricted", "", "\"securityContext\":{\"runAsNonRoot\":true}", container("c", HARDENED)),
                RESTRICTED + "seccomp");
        notFired(pod("restricted", "", "\"securityContext\":{\"runAsNonRoot\":true,\"seccompProfile\":{\"type\":"
                + "\"Localhost\",\"localhostProfile\":\"p.json\"}}", container("c", HARDENED)), RESTRICTED + "seccomp");
    }

    @Test
    void restrictedCapabilities() {
        fired(pod("restricted", "", HARDENED_POD, container("c", "\"securityContext\":{\"allowPrivilegeEscalation\":"
                + "false}")), RESTRICTED + "capabilities");
        fired(pod("restricted", "", HARDENED_POD, container("c", "\"securityContext\":{\"allowPrivilegeEscalation\":"
                + "false,\"capabilities\":{\"drop\":[\"ALL\"],\"add\":[\"CHOWN\"]}}")), RESTRICTED + "capabilities");
        notFired(pod("restricted", "", HARDENED_POD, container("c", "\"securityContext\":{\"allowPrivilegeEscalation\":"
                + "false,\"capabilities\":{\"drop\":[\"ALL\"],\"add\":[\"NET_BIND_SERVICE\"]}}")),
                RESTRICTED + "capabilities");
    }

    @Test
    void deletesAreNotHeldUpByPodSecurity() {
        Evaluation evaluation = registry.evaluate(context(sample("kw_request_pod_delete.json", "restricted")));
        assertThat(evaluation.errors()).isEmpty();
        assertThat(evaluation.matches()).isEmpty();
    }

    // --- controllers ---

    @Test
    void aKubeSystemControllerMayActOnWhatItsControllerOwns() {
        String owned = "\"ownerReferences\":[{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\","
                + "\"name\":\"web-7d4b9c\",\"controller\":true}]";
        RuleMatch match = fired(controllerPod("system:serviceaccount:kube-system:replicaset-controller",
                "[\"system:serviceaccounts\",\"system:serviceaccounts:kube-system\"]", owned),
                "k8s-controllers@1.0.0#controller-owned");
        assertThat(match.effect()).isEqualTo(Effect.ALLOW);
        assertThat(match.message()).isEqualTo("system:serviceaccount:kube-system:replicaset-controller acts for the "
                + "controller that owns k8s:core:pod:prod-eu:payments:~web-7d4b9c- (ReplicaSet web-7d4b9c)");
        notFired(controllerPod("system:serviceaccount:payments:deployer",
                "[\"system:serviceaccounts\",\"system:serviceaccounts:payments\"]", owned),
                "k8s-controllers@1.0.0#controller-owned");
        notFired(controllerPod("system:serviceaccount:kube-system:replicaset-controller",
                "[\"system:serviceaccounts:kube-system\"]", "\"ownerReferences\":[{\"kind\":\"ReplicaSet\","
                        + "\"name\":\"web-7d4b9c\"}]"), "k8s-controllers@1.0.0#controller-owned");
    }

    private static EvaluationContext controllerPod(String username, String groups, String ownerReferences) {
        String json = "{\"uid\":\"u-2\",\"operation\":\"CREATE\",\"kind\":{\"group\":\"\",\"version\":\"v1\","
                + "\"kind\":\"Pod\"},\"namespace\":\"payments\",\"userInfo\":{\"username\":\"" + username
                + "\",\"groups\":" + groups + "},\"object\":{\"kind\":\"Pod\",\"metadata\":{\"generateName\":"
                + "\"web-7d4b9c-\"," + ownerReferences + "},\"spec\":{\"containers\":[" + container("c", "") + "]}}}";
        try {
            return context(adapter("privileged").toRequests(AdmissionReview.parse(json)).get(0));
        } catch (InvalidChangeException e) {
            throw new AssertionError(e.path() + ": " + e.getMessage(), e);
        }
    }

    // --- the real samples through the real adapter ---

    @Test
    void thePrivilegedInitContainerSampleIsDeniedUnderBaseline() {
        EvaluationContext baseline = context(sample("kw_request_pod_create_privileged_init.json", "baseline"));
        RuleMatch match = fired(baseline, BASELINE + "privileged");
        assertThat(match.message()).startsWith("initContainer 'nginx' of k8s:core:pod:prod-eu:default:nginx");
        notFired(context(sample("kw_request_pod_create_privileged_init.json", "privileged")), BASELINE + "privileged");
    }

    @Test
    void theHostPathSampleIsDeniedUnderBaseline() {
        RuleMatch match = fired(context(sample("kw_request_pod_create_hostpaths.json", "baseline")),
                BASELINE + "host-path-volumes");
        assertThat(match.message()).contains("test-data -> /data, test-var -> /var, test-var-local-aaa -> "
                + "/var/local/aaa");
    }

    @Test
    void theRootDaemonSetSampleIsDeniedAsRootOnlyUnderRestricted() {
        EvaluationContext restricted = context(sample("kw_request_daemonset_create_root.json", "restricted"));
        fired(restricted, RESTRICTED + "run-as-non-root-user");
        fired(restricted, RESTRICTED + "run-as-non-root");
        EvaluationContext baseline = context(sample("kw_request_daemonset_create_root.json", "baseline"));
        notFired(baseline, RESTRICTED + "run-as-non-root-user");
        fired(baseline, BASELINE + "host-path-volumes");
    }

    @Test
    void theDeploymentSampleMeetsBaselineButNotRestricted() {
        EvaluationContext baseline = context(sample("kw_review_v1_deployment_create.json", "baseline"));
        Evaluation evaluation = registry.evaluate(baseline);
        assertThat(evaluation.errors()).isEmpty();
        assertThat(evaluation.matches()).isEmpty();
        fired(context(sample("kw_review_v1_deployment_create.json", "restricted")), RESTRICTED + "seccomp");
    }

    // --- helpers ---

    private RuleMatch fired(EvaluationContext context, String source) {
        Evaluation evaluation = registry.evaluate(context);
        assertThat(evaluation.errors()).isEmpty();
        assertThat(evaluation.matches()).extracting(RuleMatch::source).contains(source);
        return evaluation.matches().stream().filter(match -> match.source().equals(source)).findFirst().orElseThrow();
    }

    private void notFired(EvaluationContext context, String source) {
        Evaluation evaluation = registry.evaluate(context);
        assertThat(evaluation.errors()).isEmpty();
        assertThat(evaluation.matches()).extracting(RuleMatch::source).doesNotContain(source);
    }

    private static String container(String name, String fields) {
        return "{\"name\":\"" + name + "\",\"image\":\"registry.example/app:1\"" + (fields.isEmpty() ? "" : ","
                + fields) + "}";
    }

    /** A pod create in namespace payments under {@code profile}: pod-level fields, security context, one init container or container. */
    private static EvaluationContext pod(String profile, String podFields, String podSecurityContext,
            String container) {
        boolean init = container.contains("\"name\":\"init\"");
        String json = "{\"uid\":\"u-1\",\"operation\":\"CREATE\",\"kind\":{\"group\":\"\",\"version\":\"v1\","
                + "\"kind\":\"Pod\"},\"namespace\":\"payments\",\"name\":\"web\",\"userInfo\":{\"username\":\"alice\"},"
                + "\"object\":{\"kind\":\"Pod\",\"metadata\":{\"name\":\"web\"},\"spec\":{" + podFields
                + (podSecurityContext.isEmpty() ? "" : podSecurityContext + ",")
                + (init ? "\"initContainers\":[" + container + "],\"containers\":[]" : "\"containers\":[" + container
                        + "]") + "}}}";
        try {
            return context(adapter(profile).toRequests(AdmissionReview.parse(json)).get(0));
        } catch (InvalidChangeException e) {
            throw new AssertionError(e.path() + ": " + e.getMessage(), e);
        }
    }

    private static ActionRequest sample(String file, String profile) {
        try (InputStream in = Files.newInputStream(SAMPLES.resolve(file))) {
            return adapter(profile).toRequests(AdmissionReview.parse(in)).get(0);
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InvalidChangeException e) {
            throw new AssertionError(file + " at " + e.path() + ": " + e.getMessage(), e);
        }
    }

    /** The element as the decision point sees it: proposed for a create, otherwise as the model would hold it. */
    static EvaluationContext context(ActionRequest request) {
        String id = request.target();
        String[] parts = id.split(":");
        Map<String, Object> facts = request.action() == Action.CREATE && request.context().get("proposed")
                instanceof Map<?, ?> proposed ? stringKeys(proposed) : Map.of("environment", "prod", "owner",
                "team-payments");
        @SuppressWarnings("unchecked")
        Map<String, String> labels = facts.get("labels") instanceof Map<?, ?> map ? (Map<String, String>) map
                : Map.of();
        Element element = new Element(id, parts[0] + ":" + parts[1] + ":" + parts[2], parts[0],
                (String) facts.get("environment"), (String) facts.get("trustZone"), (String) facts.get("owner"), labels,
                request.action() == Action.CREATE ? request.after() : request.before(), Map.of());
        return new EvaluationContext(element, request, new BlastRadius(0, 0, List.of(), List.of(), List.of(),
                List.of(), false), NOW);
    }

    private static Map<String, Object> stringKeys(Map<?, ?> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(String.valueOf(k), v));
        return copy;
    }

    /** The webhook adapter as an operator configures it: every namespace of cluster prod-eu under {@code profile}. */
    private static AdmissionReviewAdapter adapter(String profile) {
        return adapter(profile, "payments: environment=prod, trustZone=pci-cde, owner=team-payments");
    }

    /** The webhook adapter with these namespace rules, other namespaces under {@code profile}. */
    static AdmissionReviewAdapter adapter(String profile, String namespaces) {
        return new AdmissionReviewAdapter(new AdmissionReviewAdapterConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return AdmissionReviewAdapterConfig.class;
            }

            @Override
            public String cluster() {
                return "prod-eu";
            }

            @Override
            public String[] namespaces() {
                return new String[] {namespaces};
            }

            @Override
            public String defaultEnvironment() {
                return "prod";
            }

            @Override
            public String defaultTrustZone() {
                return "eu-internal";
            }

            @Override
            public String defaultPodSecurity() {
                return profile;
            }

            @Override
            public String failurePolicy() {
                return "fail-closed";
            }

            @Override
            public String[] exemptNamespaces() {
                return new String[] {"kube-system"};
            }

            @Override
            public String[] systemUsers() {
                return new String[0];
            }

            @Override
            public String[] aiUsers() {
                return new String[0];
            }
        });
    }
}
