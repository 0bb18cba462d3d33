package dev.mandate.connector.terraform.state.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.mandate.api.connector.ConnectorState;
import dev.mandate.api.connector.ObservationSink;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.ElementIds;
import dev.mandate.api.model.Relation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads the shared state fixtures in place; never copies or changes them. */
class TerraformStateConnectorTest {
    private static final Path FIXTURES = Path.of("/work/shared/fixtures/terraform-state");

    /** What a collection reported. */
    static final class Recorded implements ObservationSink {
        final Map<String, Element> elements = new LinkedHashMap<>();
        final List<Relation> relations = new ArrayList<>();

        @Override
        public void element(Element element) {
            elements.put(element.id(), element);
        }

        @Override
        public void relation(Relation relation) {
            relations.add(relation);
        }

        @Override
        public void absent(String elementId) {
            throw new AssertionError("a full state read confirms no absence");
        }
    }

    private static TerraformStateConnectorConfig config(String path, String id, String account, String region,
            String owner) {
        return TestConfig.of(path).with(id, account, region, owner);
    }

    private static Recorded collect(TerraformStateConnector connector) throws IOException {
        Recorded recorded = new Recorded();
        connector.collect(recorded);
        return recorded;
    }

    private static TerraformStateConnector fixture(String name) {
        return new TerraformStateConnector(config(FIXTURES.resolve(name).toString(), "", "111122223333", "eu-west-1",
                "team-network"), key -> null);
    }

    @Test
    void everySharedStateFixtureMapsToValidBuiltElements() throws IOException {
        List<Path> states;
        try (Stream<Path> files = Files.list(FIXTURES)) {
            states = files.filter(file -> file.toString().endsWith(".tfstate")).sorted().toList();
        }
        assertThat(states).hasSizeGreaterThanOrEqualTo(10);
        int total = 0;
        for (Path state : states) {
            TerraformStateConnector connector = new TerraformStateConnector(
                    config(state.toString(), "", "111122223333", "eu-west-1", ""), key -> null);
            Recorded recorded = collect(connector);
            if (recorded.elements.isEmpty()) {
                // a state of facets only (policies, rules) whose parents another state built
                assertThat(connector.status().state()).isEqualTo(ConnectorState.WARN);
                assertThat(connector.status().message()).contains("it configures is not in this state");
            }
            for (Element element : recorded.elements.values()) {
                assertThat(ElementIds.isValid(element.id())).as(element.id()).isTrue();
                assertThat(element.id()).startsWith(element.kind() + ":");
                assertThat(element.environment()).isIn("prod", "staging", "dev", "shared"); // tags win over the default
            }
            assertThat(connector.status().state()).isIn(ConnectorState.OK, ConnectorState.WARN);
            total += recorded.elements.size();
        }
        assertThat(total).isEqualTo(24);
    }

    @Test
    void aVpcStateGivesVpcElementsWithTheirAttributesAndTheConfiguredOwner() throws IOException {
        TerraformStateConnector connector = fixture("driftctl_aws_vpc.tfstate");
        Recorded recorded = collect(connector);

        assertThat(connector.id()).isEqualTo("tfstate-driftctl_aws_vpc");
        assertThat(recorded.elements).hasSize(2);
        Element vpc = recorded.elements.values().stream().filter(e -> !Boolean.TRUE.equals(e.attributes().get("default")))
                .filter(e -> e.attributes().containsKey("cidr_block")).findFirst().orElseThrow();
        assertThat(vpc.kind()).isEqualTo("aws:ec2:vpc");
        assertThat(vpc.provider()).isEqualTo("aws");
        assertThat(vpc.id()).startsWith("aws:ec2:vpc:").endsWith(":" + vpc.attributes().get("id"));
        assertThat(vpc.owner()).isEqualTo("team-network");
        assertThat(connector.status().state()).isEqualTo(ConnectorState.OK);
        assertThat(connector.serviceProperties().get("mandate.connector.layer")).isEqualTo("BUILT");
        assertThat(connector.serviceProperties().get("mandate.connector.interval")).isEqualTo(60);
    }

    @Test
    void facetsFoldIntoTheirBucketAndSecretsAreRedacted() throws IOException {
        Recorded buckets = collect(fixture("driftctl_aws_s3_full.tfstate"));
        assertThat(buckets.elements.values()).allSatisfy(bucket -> assertThat(bucket.kind()).isEqualTo("aws:s3:bucket"));
        // the analytics configurations name their bucket without its region: folded by the bucket's native id
        assertThat(buckets.elements.values()).anySatisfy(bucket -> assertThat(bucket.attributes()).containsKey("facets"));

        Recorded stack = collect(fixture("driftctl_aws_lb_stack_tf1.0.tfstate"));
        Element lb = stack.elements.values().stream().filter(e -> e.kind().equals("aws:elasticloadbalancing:loadbalancer"))
                .findFirst().orElseThrow();
        assertThat(lb.attributes().get("facets")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsKey("listener");

        // the access key configures the user (named by the module without its account): folded, its secret redacted
        Recorded user = collect(fixture("driftctl_aws_module_iam_user.tfstate"));
        Element iamUser = user.elements.values().iterator().next();
        assertThat(iamUser.kind()).isEqualTo("aws:iam:user");
        Map<?, ?> facets = (Map<?, ?>) iamUser.attributes().get("facets");
        assertThat(facets).hasSize(1);
        Map<?, ?> key = (Map<?, ?>) facets.values().iterator().next();
        assertThat(key.get("id")).isEqualTo("AKIA5QYBVVD2VIEMMUIQ");
        assertThat(key.get("secret")).isEqualTo(StateMapper.REDACTED);
        assertThat(key.get("ses_smtp_password_v4")).isEqualTo(StateMapper.REDACTED);
    }

    @Test
    void dataSourcesAreNotBuilt() throws IOException {
        Recorded recorded = collect(fixture("driftctl_azurerm_nsg.tfstate"));
        assertThat(recorded.elements.keySet()).noneMatch(id -> id.contains("data."));
        assertThat(recorded.elements.values()).extracting(Element::kind)
                .contains("azure:network:network-security-group");
    }

    @Test
    void aMissingOrMalformedStateFailsTheCollection(@TempDir Path folder) throws IOException {
        TerraformStateConnector missing = new TerraformStateConnector(
                config(folder.resolve("gone.tfstate").toString(), "net", "", "", ""), key -> null);
        assertThatThrownBy(() -> collect(missing)).isInstanceOf(IOException.class)
                .hasMessageStartingWith("terraform state 'file:" + folder.resolve("gone.tfstate") + "' cannot be read");
        assertThat(missing.status().state()).isEqualTo(ConnectorState.ERROR);

        Path old = Files.writeString(folder.resolve("old.tfstate"), "{\"version\": 3, \"modules\": []}");
        TerraformStateConnector v3 = new TerraformStateConnector(config(old.toString(), "old", "", "", ""), key -> null);
        assertThatThrownBy(() -> collect(v3)).hasMessageContaining("unsupported terraform state version '3'");

        Path truncated = Files.writeString(folder.resolve("half.tfstate"), "{\"version\": 4, \"resources\": [{\"mode\"");
        TerraformStateConnector half = new TerraformStateConnector(config(truncated.toString(), "half", "", "", ""),
                key -> null);
        assertThatThrownBy(() -> collect(half)).isInstanceOf(IOException.class);
    }

    @Test
    void thePathResolvesPlaceholdersAndTheConfigurationIsValidated() {
        TerraformStateConnector connector = new TerraformStateConnector(
                config("${karaf.etc}/tf/network.tfstate", "", "", "", ""), key -> key.equals("karaf.etc") ? "/opt/etc" : null);
        assertThat(connector.id()).isEqualTo("tfstate-network");

        assertThatThrownBy(() -> new TerraformStateConnector(config(" ", "", "", "", ""), key -> null))
                .hasMessage("terraform state connector needs a 'path' to a terraform.tfstate");
        assertThatThrownBy(() -> new TerraformStateConnector(config("${nope}/x.tfstate", "", "", "", ""), key -> null))
                .hasMessage("placeholder '${nope}' in path '${nope}/x.tfstate' names no system property");
    }

    @Test
    void redactionReplacesSecretValuesAtEveryDepth() {
        Map<String, Object> redacted = StateMapper.redact(Map.of("name", "db", "password", "hunter2",
                "settings", Map.of("admin_password", "x", "port", 5432),
                "keys", List.of(Map.of("private_key", "-----BEGIN"))));
        assertThat(redacted).containsEntry("name", "db").containsEntry("password", StateMapper.REDACTED);
        assertThat(redacted.get("settings")).isEqualTo(Map.of("admin_password", StateMapper.REDACTED, "port", 5432));
        assertThat(redacted.get("keys")).isEqualTo(List.of(Map.of("private_key", StateMapper.REDACTED)));
    }
}
