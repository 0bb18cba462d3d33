package dev.mandate.blueprints.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.mandate.api.enforcement.InvalidChangeException;
import dev.mandate.api.intent.Effect;
import dev.mandate.api.intent.Evaluation;
import dev.mandate.api.intent.EvaluationContext;
import dev.mandate.api.intent.RuleMatch;
import dev.mandate.enforce.kubernetes.AdmissionReview;
import dev.mandate.kernel.intent.internal.IntentRegistry;
import dev.mandate.kernel.intent.internal.IntentSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Changes into a namespace configured as the cardholder-data environment (trust zone pci-cde), with this pack
 * and the PCI segmentation pack loaded: what the webhook sends is what those rules read.
 */
class PciNamespaceTest {

    private static final Path SAMPLES = Path.of("/work/shared/fixtures/k8s-admission");
    private static final String NAMESPACES = "default: environment=prod, trustZone=pci-cde, podSecurity=restricted, "
            + "owner=team-payments";

    private IntentRegistry registry;

    @BeforeEach
    void loadThePacks() throws IOException {
        registry = new IntentRegistry((type, payload) -> { });
        load("bundle:dev.mandate.blueprints.baseline",
                Path.of("../baseline/src/main/resources/blueprints/team-platform.yaml"));
        load("bundle:dev.mandate.blueprints.pci", Path.of("../pci-segmentation/src/main/resources/blueprints/cde.yaml"));
        List<Path> ours = new ArrayList<>();
        try (var paths = Files.list(Path.of("src/main/resources/blueprints"))) {
            paths.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(ours::add);
        }
        load("bundle:dev.mandate.blueprints.kubernetes", ours.toArray(Path[]::new));
    }

    @Test
    void aPublicLoadBalancerIntoTheCardholderDataEnvironmentIsDenied() {
        Evaluation evaluation = registry.evaluate(sample("kw_request_service_create_loadbalancer.json"));

        assertThat(evaluation.errors()).isEmpty();
        RuleMatch match = match(evaluation, "pci-cde-isolation@1.0.0#no-untrusted-ingress");
        assertThat(match.effect()).isEqualTo(Effect.DENY);
        assertThat(match.message()).isEqualTo("k8s:core:service:prod-eu:default:nginx in the cardholder-data "
                + "environment would be reachable from the internet (PCI DSS 1.4.1)");
    }

    @Test
    void aRootDaemonSetIntoTheCardholderDataEnvironmentIsDeniedByPodSecurityAndNeedsATicket() {
        Evaluation evaluation = registry.evaluate(sample("kw_request_daemonset_create_root.json"));

        assertThat(evaluation.errors()).isEmpty();
        assertThat(match(evaluation, "k8s-pss-restricted@1.0.0#run-as-non-root-user").effect()).isEqualTo(Effect.DENY);
        assertThat(match(evaluation, "k8s-pss-baseline@1.0.0#host-path-volumes").effect()).isEqualTo(Effect.DENY);
        assertThat(match(evaluation, "pci-cde-isolation@1.0.0#change-ticket").effect())
                .isEqualTo(Effect.REQUIRE_APPROVAL);
    }

    @Test
    void aChangeTicketAnnotationSatisfiesTheChangeControlRule() throws InvalidChangeException {
        String review = "{\"uid\":\"u\",\"operation\":\"CREATE\",\"kind\":{\"group\":\"networking.k8s.io\","
                + "\"version\":\"v1\",\"kind\":\"NetworkPolicy\"},\"namespace\":\"default\",\"name\":\"%s\","
                + "\"userInfo\":{\"username\":\"alice\"},\"object\":{\"metadata\":{\"name\":\"%s\"%s},"
                + "\"spec\":{\"podSelector\":{},\"ingress\":[{\"from\":[{\"ipBlock\":{\"cidr\":\"10.20.0.0/16\"}}]}]}}}";
        Evaluation ticketed = evaluate(String.format(review, "np", "np",
                ",\"annotations\":{\"mandate.dev/change-ticket\":\"CHG-1234\"}"));
        Evaluation unticketed = evaluate(String.format(review, "np", "np", ""));
        Evaluation open = evaluate(String.format(review, "np", "np",
                ",\"annotations\":{\"mandate.dev/change-ticket\":\"CHG-1234\"}").replace("10.20.0.0/16", "0.0.0.0/0"));

        assertThat(ticketed.errors()).isEmpty();
        assertThat(ticketed.matches()).isEmpty();
        assertThat(unticketed.matches()).extracting(RuleMatch::source).containsExactly(
                "pci-cde-isolation@1.0.0#change-ticket");
        assertThat(open.matches()).extracting(RuleMatch::source).containsExactly(
                "pci-cde-isolation@1.0.0#no-untrusted-ingress");
    }

    private Evaluation evaluate(String review) throws InvalidChangeException {
        return registry.evaluate(KubernetesPackTest.context(KubernetesPackTest.adapter("baseline", NAMESPACES)
                .toRequests(AdmissionReview.parse(review)).get(0)));
    }

    private static EvaluationContext sample(String file) {
        try (InputStream in = Files.newInputStream(SAMPLES.resolve(file))) {
            return KubernetesPackTest.context(KubernetesPackTest.adapter("baseline", NAMESPACES)
                    .toRequests(AdmissionReview.parse(in)).get(0));
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InvalidChangeException e) {
            throw new AssertionError(file + " at " + e.path() + ": " + e.getMessage(), e);
        }
    }

    private static RuleMatch match(Evaluation evaluation, String source) {
        assertThat(evaluation.matches()).extracting(RuleMatch::source).contains(source);
        return evaluation.matches().stream().filter(m -> m.source().equals(source)).findFirst().orElseThrow();
    }

    private void load(String key, Path... paths) throws IOException {
        List<IntentSource.File> files = new ArrayList<>();
        for (Path path : paths) {
            String name = "blueprints/" + path.getFileName();
            files.add(new IntentSource.File(name, key + "/" + name, Files.readString(path, StandardCharsets.UTF_8)));
        }
        IntentRegistry.LoadResult result = registry.load(new IntentSource(key, files));
        assertThat(result.problems()).isEmpty();
    }
}
