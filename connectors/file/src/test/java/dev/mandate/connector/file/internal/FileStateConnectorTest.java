package dev.mandate.connector.file.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mandate.api.connector.ConnectorState;
import dev.mandate.api.connector.Domain;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.Relation;
import dev.mandate.api.model.RelationType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStateConnectorTest {

    @TempDir
    Path folder;

    private static final String HEADER = """
            apiVersion: mandate.dev/v1
            kind: Inventory
            metadata: {name: test}
            """;

    private static String element(String id, String owner) {
        String[] parts = id.split(":");
        return "  - {id: '" + id + "', kind: '" + parts[0] + ":" + parts[1] + ":" + parts[2] + "', provider: " + parts[0]
                + (owner == null ? "" : ", owner: " + owner) + "}\n";
    }

    private void write(String name, String content) throws IOException {
        Path file = folder.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private FileStateConnector connector() {
        return new FileStateConnector(TestConfig.folder(folder.toString()));
    }

    @Test
    void notReadyBeforeTheFirstCollectionThenOkWithCounts() throws Exception {
        write("a.yaml", HEADER + "elements:\n" + element("aws:ec2:vpc:eu-west-1:1:vpc-1", "team-a")
                + element("aws:ec2:subnet:eu-west-1:1:subnet-1", "team-a")
                + "relations:\n  - {type: contains, from: 'aws:ec2:vpc:eu-west-1:1:vpc-1', to: 'aws:ec2:subnet:eu-west-1:1:subnet-1'}\n");
        FileStateConnector connector = connector();
        assertThat(connector.status().state()).isEqualTo(ConnectorState.NOT_READY);

        RecordingSink sink = new RecordingSink();
        connector.collect(sink);

        assertThat(sink.elementIds()).containsExactly("aws:ec2:vpc:eu-west-1:1:vpc-1", "aws:ec2:subnet:eu-west-1:1:subnet-1");
        assertThat(sink.relations).containsExactly(Relation.of(RelationType.CONTAINS, "aws:ec2:vpc:eu-west-1:1:vpc-1",
                "aws:ec2:subnet:eu-west-1:1:subnet-1"));
        assertThat(sink.elements.get(0).owner()).isEqualTo("team-a");
        assertThat(sink.elements.get(0).layers()).isEmpty();
        assertThat(connector.status().state()).isEqualTo(ConnectorState.OK);
        assertThat(connector.status().message()).contains("2 elements", "1 relations", "1 files");
    }

    @Test
    void malformedYamlFailsTheWholeCollectionNamingFileLineAndColumn() throws Exception {
        write("a-good.yaml", HEADER + "elements:\n" + element("aws:ec2:vpc:eu-west-1:1:vpc-1", "team-a"));
        write("b-bad.yaml", HEADER + "elements:\n  - {id: 'aws:ec2:vpc:eu-west-1:1:vpc-2', kind: [unclosed\n");
        FileStateConnector connector = connector();

        assertThatThrownBy(() -> connector.collect(new RecordingSink()))
                .isInstanceOf(InventoryFormatException.class)
                .satisfies(e -> {
                    InventoryFormatException format = (InventoryFormatException) e;
                    assertThat(format.file()).endsWith("b-bad.yaml");
                    assertThat(format.line()).isBetween(5, 6);
                    assertThat(format.getMessage()).matches(".*b-bad\\.yaml:\\d+:\\d+: .+");
                    assertThat(format.getMessage()).contains("yaml syntax error: expected ',' or ']'");
                });
        assertThat(connector.status().state()).isEqualTo(ConnectorState.ERROR);
        assertThat(connector.status().message()).contains("b-bad.yaml:");
    }

    @Test
    void wrongApiVersionOrKindFailsAtTheOffendingValue() throws Exception {
        write("inv.yaml", "# comment\napiVersion: mandate.dev/v2\nkind: Inventory\nelements: []\n");
        assertThatThrownBy(() -> connector().collect(new RecordingSink()))
                .isInstanceOf(InventoryFormatException.class)
                .hasMessageContaining("inv.yaml:2:13: unsupported apiVersion 'mandate.dev/v2'");

        write("inv.yaml", "apiVersion: mandate.dev/v1\nkind: Team\nmetadata: {name: team-a}\n");
        assertThatThrownBy(() -> connector().collect(new RecordingSink()))
                .hasMessageContaining("inv.yaml:2:7: wrong kind 'Team'");

        write("inv.yaml", "kind: Inventory\nelements: []\n");
        assertThatThrownBy(() -> connector().collect(new RecordingSink()))
                .hasMessageContaining("inv.yaml:1:1: missing apiVersion");
    }

    @Test
    void aSectionOfTheWrongShapeOrAnUnknownFieldFailsTheFile() throws Exception {
        write("inv.yaml", HEADER + "elements: {id: x}\n");
        assertThatThrownBy(() -> connector().collect(new RecordingSink()))
                .hasMessageContaining("inv.yaml:4:11: elements must be a list");

        write("inv.yaml", HEADER + "element: []\n");
        assertThatThrownBy(() -> connector().collect(new RecordingSink()))
                .hasMessageContaining("inv.yaml:4:1: unknown inventory field 'element'");
    }

    @Test
    void tabsAndDuplicateKeysAreSyntaxErrors() throws Exception {
        write("inv.yaml", HEADER + "elements:\n\t- {id: 'aws:ec2:vpc:r:1:a'}\n");
        assertThatThrownBy(() -> connector().collect(new RecordingSink()))
                .hasMessageContaining("inv.yaml:5:1: yaml syntax error: found character '\\t(TAB)'");

        write("inv.yaml", HEADER + "kind: Inventory\n");
        assertThatThrownBy(() -> connector().collect(new RecordingSink()))
                .hasMessageContaining("inv.yaml:4:5: duplicate field 'kind'");
    }

    @Test
    void anEmptyFileIsNotAnEmptyInventory() throws Exception {
        write("empty.yaml", "# nothing yet\n");
        assertThatThrownBy(() -> connector().collect(new RecordingSink()))
                .hasMessageContaining("empty.yaml:1:1: empty inventory file");
    }

    @Test
    void aBadElementIsSkippedAndReportedWithFileAndIndex() throws Exception {
        write("inv.yaml", HEADER + "elements:\n"
                + element("aws:ec2:vpc:eu-west-1:1:vpc-1", "team-a")
                + "  - {id: 'aws:ec2:vpc:eu-west-1:1:vpc-2', kind: 'aws:ec2:subnet', provider: aws}\n"
                + "  - {id: 'not-an-id', kind: 'x:y:z', provider: x}\n"
                + element("aws:ec2:vpc:eu-west-1:1:vpc-3", null)
                + "relations:\n"
                + "  - {type: DEPENDS_ON, from: 'aws:ec2:vpc:eu-west-1:1:vpc-3', to: 'aws:ec2:vpc:eu-west-1:1:vpc-1'}\n"
                + "  - {type: LIKES, from: 'aws:ec2:vpc:eu-west-1:1:vpc-3', to: 'aws:ec2:vpc:eu-west-1:1:vpc-1'}\n");
        FileStateConnector connector = connector();
        RecordingSink sink = new RecordingSink();

        connector.collect(sink);

        assertThat(sink.elementIds()).containsExactly("aws:ec2:vpc:eu-west-1:1:vpc-1", "aws:ec2:vpc:eu-west-1:1:vpc-3");
        assertThat(sink.relations).hasSize(1);
        assertThat(connector.status().state()).isEqualTo(ConnectorState.WARN);
        assertThat(connector.status().message())
                .contains("2 elements and 1 relations", "skipped 3 entries")
                .contains("inv.yaml elements[1] (line 6): element 'aws:ec2:vpc:eu-west-1:1:vpc-2' has kind 'aws:ec2:subnet'")
                .contains("inv.yaml elements[2] (line 7): malformed element id 'not-an-id'")
                .contains("inv.yaml relations[1] (line 11): unknown relation type 'LIKES'");
    }

    @Test
    void elementFieldsAreCheckedOneByOne() {
        assertThatThrownBy(() -> readOne("{id: 'aws:ec2:vpc:r:1:v', kind: 'aws:ec2:vpc', provider: azure}"))
                .hasMessageContaining("provider 'azure' but its id says 'aws'");
        assertThatThrownBy(() -> readOne("{id: 'aws:ec2:vpc:r:1:v', provider: aws}"))
                .hasMessageContaining("has no kind");
        assertThatThrownBy(() -> readOne("{id: 'aws:ec2:vpc:r:1:v', kind: 'aws:ec2:vpc', provider: aws, ownr: x}"))
                .hasMessageContaining("unknown element field 'ownr'");
        assertThatThrownBy(() -> readOne("{id: 'aws:ec2:vpc:r:1:v', kind: 'aws:ec2:vpc', provider: aws, labels: {a: [1]}}"))
                .hasMessageContaining("label 'a'");
    }

    private static Element readOne(String yaml) throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper();
        return InventoryReader.toElement(mapper.readTree(yaml));
    }

    @Test
    void aDuplicateElementIdIsSkippedNamingWhereItWasFirstDeclared() throws Exception {
        write("a.yaml", HEADER + "elements:\n" + element("aws:ec2:vpc:eu-west-1:1:vpc-1", "team-a"));
        write("b.yaml", HEADER + "elements:\n" + element("aws:ec2:vpc:eu-west-1:1:vpc-1", "team-b"));
        FileStateConnector connector = connector();
        RecordingSink sink = new RecordingSink();

        connector.collect(sink);

        assertThat(sink.elements).singleElement().extracting(Element::owner).isEqualTo("team-a");
        assertThat(connector.status().state()).isEqualTo(ConnectorState.WARN);
        assertThat(connector.status().message()).contains("b.yaml elements[0]", "first declared in a.yaml elements[0]");
    }

    @Test
    void jsonInventoriesWorkWithNestedAttributes() throws Exception {
        write("inv.json", """
                {"apiVersion": "mandate.dev/v1", "kind": "Inventory", "metadata": {"name": "json"},
                 "elements": [{"id": "azure:sql:server:sub-1:rg-1:sql-1", "kind": "azure:sql:server", "provider": "azure",
                               "environment": "prod", "trustZone": "eu-restricted", "owner": "team-data",
                               "labels": {"tier": 1}, "attributes": {"tls": "1.2", "admins": ["a", "b"], "aad": {"only": true}, "cores": 8}}],
                 "relations": [{"type": "flows-data-to", "from": "azure:sql:server:sub-1:rg-1:sql-1",
                                "to": "azure:storage:account:sub-1:rg-1:st1", "properties": {"classification": "PII"}}]}
                """);
        RecordingSink sink = new RecordingSink();

        connector().collect(sink);

        Element server = sink.elements.get(0);
        assertThat(server.environment()).isEqualTo("prod");
        assertThat(server.labels()).containsEntry("tier", "1");
        assertThat(server.attributes()).containsEntry("admins", java.util.List.of("a", "b"))
                .containsEntry("aad", Map.of("only", true)).containsEntry("cores", 8);
        assertThat(sink.relations).singleElement().satisfies(r -> {
            assertThat(r.type()).isEqualTo(RelationType.FLOWS_DATA_TO);
            assertThat(r.properties()).containsEntry("classification", "PII");
        });
    }

    @Test
    void malformedJsonNamesFileAndLine() throws Exception {
        write("inv.json", "{\"apiVersion\": \"mandate.dev/v1\",\n \"kind\": \"Inventory\",\n \"elements\": [,]}\n");
        assertThatThrownBy(() -> connector().collect(new RecordingSink()))
                .isInstanceOf(InventoryFormatException.class)
                .hasMessageMatching(".*inv\\.json:3:\\d+: .+");
    }

    @Test
    void filesAreReadInSortedOrderWhateverTheOrderTheyWereWritten() throws Exception {
        write("z.yaml", HEADER + "elements:\n" + element("aws:ec2:vpc:r:1:z", null));
        write("a/m.yml", HEADER + "elements:\n" + element("aws:ec2:vpc:r:1:m", null));
        write("b.json", "{\"apiVersion\":\"mandate.dev/v1\",\"kind\":\"Inventory\",\"elements\":[{\"id\":\"aws:ec2:vpc:r:1:b\","
                + "\"kind\":\"aws:ec2:vpc\",\"provider\":\"aws\"}]}");
        write("a/c.yaml", HEADER + "elements:\n" + element("aws:ec2:vpc:r:1:c", null) + element("aws:ec2:vpc:r:1:a", null));
        write("notes.txt", "not an inventory");
        write(".hidden/x.yaml", "not: [valid");
        FileStateConnector connector = connector();
        RecordingSink first = new RecordingSink();
        RecordingSink second = new RecordingSink();

        connector.collect(first);
        connector.collect(second);

        assertThat(first.elementIds()).containsExactly("aws:ec2:vpc:r:1:c", "aws:ec2:vpc:r:1:a", "aws:ec2:vpc:r:1:m",
                "aws:ec2:vpc:r:1:b", "aws:ec2:vpc:r:1:z");
        assertThat(second.elements).isEqualTo(first.elements);
    }

    @Test
    void severalYamlDocumentsInOneFileAreOneInventory() throws Exception {
        write("inv.yaml", HEADER + "elements:\n" + element("aws:ec2:vpc:r:1:a", null) + "---\n" + HEADER + "elements:\n"
                + element("aws:ec2:vpc:r:1:b", null));
        RecordingSink sink = new RecordingSink();
        connector().collect(sink);
        assertThat(sink.elementIds()).containsExactly("aws:ec2:vpc:r:1:a", "aws:ec2:vpc:r:1:b");
    }

    @Test
    void aMissingFolderIsAnErrorUntilItAppears() throws Exception {
        Path missing = folder.resolve("inventory");
        FileStateConnector connector = new FileStateConnector(TestConfig.folder(missing.toString()));
        assertThat(connector.status().state()).isEqualTo(ConnectorState.ERROR);
        assertThat(connector.status().message()).contains("inventory folder '" + missing + "' does not exist");
        assertThatThrownBy(() -> connector.collect(new RecordingSink())).hasMessageContaining("does not exist");

        Files.createDirectories(missing);
        Files.writeString(missing.resolve("a.yaml"), HEADER + "elements:\n" + element("aws:ec2:vpc:r:1:a", null));
        RecordingSink sink = new RecordingSink();
        connector.collect(sink);
        assertThat(sink.elements).hasSize(1);
        assertThat(connector.status().state()).isEqualTo(ConnectorState.OK);
    }

    @Test
    void aFolderBehindASymbolicLinkIsReadAndAnEmptyOneWarns() throws Exception {
        write("real/a.yaml", HEADER + "elements:\n" + element("aws:ec2:vpc:r:1:a", null));
        Path link = Files.createSymbolicLink(folder.resolve("link"), folder.resolve("real"));
        FileStateConnector linked = new FileStateConnector(TestConfig.folder(link.toString()));
        RecordingSink sink = new RecordingSink();
        linked.collect(sink);
        assertThat(sink.elements).hasSize(1);

        Files.createDirectories(folder.resolve("empty"));
        FileStateConnector empty = new FileStateConnector(TestConfig.folder(folder.resolve("empty").toString()));
        RecordingSink nothing = new RecordingSink();
        empty.collect(nothing);
        assertThat(nothing.elements).isEmpty();
        assertThat(empty.status().state()).isEqualTo(ConnectorState.WARN);
        assertThat(empty.status().message()).contains("no inventory files");
    }

    @Test
    void placeholdersAreResolvedFromSystemProperties() throws Exception {
        write("mandate/inventory/a.yaml", HEADER + "elements:\n" + element("aws:ec2:vpc:r:1:a", null));
        Map<String, String> properties = Map.of("karaf.etc", folder.toString());
        FileStateConnector connector = new FileStateConnector(TestConfig.folder("${karaf.etc}/mandate/inventory"),
                properties::get);
        RecordingSink sink = new RecordingSink();
        connector.collect(sink);
        assertThat(sink.elements).hasSize(1);

        FileStateConnector unresolved = new FileStateConnector(TestConfig.folder("${karaf.etc}/mandate/inventory"),
                name -> null);
        assertThat(unresolved.status().state()).isEqualTo(ConnectorState.ERROR);
        assertThat(unresolved.status().message()).contains("system property 'karaf.etc'");
        assertThatThrownBy(() -> unresolved.collect(new RecordingSink())).hasMessageContaining("karaf.etc");
    }

    @Test
    void configurationIsPublishedAndValidated() {
        FileStateConnector connector = new FileStateConnector(
                new TestConfig(folder.toString(), 60, "estate", Domain.ONPREM));
        assertThat(connector.id()).isEqualTo("estate");
        assertThat(connector.domain()).isEqualTo(Domain.ONPREM);
        assertThat(connector.serviceProperties().get(FileStateConnector.INTERVAL_PROPERTY)).isEqualTo(60);
        assertThat(connector.serviceProperties().get(FileStateConnector.ID_PROPERTY)).isEqualTo("estate");

        FileStateConnector invalid = new FileStateConnector(new TestConfig(folder.toString(), 0, "file", Domain.CLOUD));
        assertThat(invalid.status().state()).isEqualTo(ConnectorState.ERROR);
        assertThat(invalid.status().message()).isEqualTo("interval must be at least 1 second, got '0'");
        assertThat(invalid.serviceProperties().get(FileStateConnector.INTERVAL_PROPERTY)).isEqualTo(300);

        invalid.modified(new TestConfig(folder.toString(), 120, "file", Domain.CLOUD));
        assertThat(invalid.status().state()).isEqualTo(ConnectorState.NOT_READY);
        assertThat(invalid.serviceProperties().get(FileStateConnector.INTERVAL_PROPERTY)).isEqualTo(120);
    }

    @Test
    void anInterruptedCollectionGivesUp() throws Exception {
        write("a.yaml", HEADER + "elements:\n" + element("aws:ec2:vpc:r:1:a", null));
        FileStateConnector connector = connector();
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> connector.collect(new RecordingSink())).isInstanceOf(InterruptedException.class);
        } finally {
            Thread.interrupted();
        }
    }
}
