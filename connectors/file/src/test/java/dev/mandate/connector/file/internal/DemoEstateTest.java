package dev.mandate.connector.file.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import dev.mandate.api.connector.ConnectorState;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.Relation;
import dev.mandate.api.model.RelationType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shipped demo estate (src/main/demo-estate) reads completely and hangs together. */
class DemoEstateTest {
    private static final Path ESTATE = Path.of(System.getProperty("basedir", ".")).resolve("src/main/demo-estate");
    private static final String ORDERS = "aws:rds:db-instance:eu-west-1:111122223333:orders-prod";

    private static FileStateConnector connector;
    private static RecordingSink sink;
    private static Map<String, Element> byId;

    @BeforeAll
    static void collect() throws Exception {
        connector = new FileStateConnector(TestConfig.folder(ESTATE.resolve("inventory").toString()));
        sink = new RecordingSink();
        connector.collect(sink);
        byId = sink.elements.stream().collect(Collectors.toMap(Element::id, Function.identity()));
    }

    @Test
    void parsesCompletelyWithoutSkippedEntries() {
        assertThat(sink.elements).hasSizeGreaterThanOrEqualTo(300);
        assertThat(connector.status().state()).as(connector.status().message()).isEqualTo(ConnectorState.OK);
        assertThat(sink.elements).extracting(Element::provider).contains("aws", "azure", "network", "identity", "vsphere");
    }

    @Test
    void everyRelationEndpointExists() {
        List<String> dangling = new ArrayList<>();
        for (Relation relation : sink.relations) {
            if (!byId.containsKey(relation.from())) {
                dangling.add(relation.from());
            }
            if (!byId.containsKey(relation.to())) {
                dangling.add(relation.to());
            }
        }
        assertThat(dangling).isEmpty();
    }

    @Test
    void theProductionOrdersDatabaseHasOwnerBackupAndDependents() {
        Element orders = byId.get(ORDERS);
        assertThat(orders).isNotNull();
        assertThat(orders.environment()).isEqualTo("prod");
        assertThat(orders.owner()).isEqualTo("team-payments");
        assertThat(orders.trustZone()).isEqualTo("eu-restricted");
        assertThat(orders.attributes()).containsEntry("storageEncrypted", true).containsKey("dataClassification");
        assertThat(sink.relations).anySatisfy(r -> {
            assertThat(r.type()).isEqualTo(RelationType.BACKED_UP_BY);
            assertThat(r.from()).isEqualTo(ORDERS);
            assertThat(byId.get(r.to()).kind()).isEqualTo("aws:backup:plan");
        });
        assertThat(sink.relations.stream().filter(r -> r.type() == RelationType.DEPENDS_ON && r.to().equals(ORDERS)))
                .hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void someElementsDeliberatelyHaveNoOwner() {
        assertThat(sink.elements.stream().filter(e -> !e.hasOwner())).hasSizeBetween(5, 10);
    }

    @Test
    void someFlowsCarryADataClassification() {
        assertThat(sink.relations.stream().filter(r -> r.type() == RelationType.FLOWS_DATA_TO
                && r.properties().containsKey("classification"))).hasSizeGreaterThanOrEqualTo(5);
    }

    @Test
    void teamsUseExistingGroupsAndCoverEveryOwner() throws Exception {
        Set<String> groups = sink.elements.stream().filter(e -> e.kind().equals("identity:directory:group"))
                .map(e -> e.id().substring(e.id().lastIndexOf(':') + 1)).collect(Collectors.toSet());
        Set<String> teams = new HashSet<>(Set.of("team-platform")); // defined by the baseline blueprint pack
        List<String> escalations = new ArrayList<>();
        try (MappingIterator<JsonNode> documents = new YAMLMapper().readerFor(JsonNode.class)
                .readValues(ESTATE.resolve("blueprints/teams.yaml").toFile())) {
            while (documents.hasNext()) {
                JsonNode team = documents.next();
                assertThat(team.path("apiVersion").asText()).isEqualTo("mandate.dev/v1");
                assertThat(team.path("kind").asText()).isEqualTo("Team");
                String name = team.path("metadata").path("name").asText();
                assertThat(name).isNotEqualTo("team-platform");
                assertThat(teams.add(name)).as("team %s defined once", name).isTrue();
                team.path("spec").path("groups").forEach(g -> assertThat(groups).contains(g.asText()));
                assertThat(team.path("spec").path("decisionRights")).isNotEmpty();
                team.path("spec").path("escalation").forEach(t -> escalations.add(t.asText()));
            }
        }
        assertThat(teams).hasSizeGreaterThanOrEqualTo(8);
        assertThat(teams).containsAll(escalations);
        assertThat(sink.elements.stream().filter(Element::hasOwner).map(Element::owner).collect(Collectors.toSet()))
                .isSubsetOf(teams);
    }
}
