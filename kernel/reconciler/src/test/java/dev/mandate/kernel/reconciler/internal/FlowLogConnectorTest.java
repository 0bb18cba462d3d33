package dev.mandate.kernel.reconciler.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

import dev.mandate.api.connector.ConnectorState;
import dev.mandate.api.model.ChangeSet;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.Layer;
import dev.mandate.api.model.Relation;
import dev.mandate.api.model.RelationType;
import dev.mandate.kernel.intent.internal.IntentRegistry;
import dev.mandate.kernel.model.internal.ModelStoreImpl;
import dev.mandate.kernel.model.testing.LoadedModelStore;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads the shared flow log fixtures in place; never copies or changes them. */
class FlowLogConnectorTest {
    private static final Path FIXTURES = Path.of("/work/shared/fixtures/aws/vpc-flow-logs");
    static final String APP = "aws:ec2:instance:eu-west-1:123456789010:i-01234567890123456";
    static final String WEB = "aws:ec2:instance:ap-southeast-2:123456789012:i-0c50d5961bcb2d47b";
    static final String DB = "aws:rds:db-instance:eu-west-1:123456789010:orders";
    static final String BASTION = "aws:ec2:instance:eu-west-1:123456789010:i-0bastion";
    static final String TARGET = "aws:ec2:instance:eu-west-1:123456789010:i-0target";

    private ModelStoreImpl model;

    @BeforeEach
    void start() {
        JdbcDataSource database = new JdbcDataSource();
        database.setURL("jdbc:h2:mem:flows-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        model = LoadedModelStore.on(database);
        FlowLogFixtures.flowLogEstate(model);
    }

    @AfterEach
    void stop() {
        model.close();
    }

    @Test
    void everyFixtureParsesWithItsHeaderOrTheDefaultFormat() throws IOException {
        FlowLogParser parser = new FlowLogParser();
        try (var files = Files.list(FIXTURES)) {
            for (Path file : files.sorted().toList()) {
                try (BufferedReader reader = Files.newBufferedReader(file)) {
                    FlowLogParser.Result result = parser.parse(reader);
                    assertThat(result.malformed()).as(file.getFileName().toString()).isEmpty();
                    assertThat(result.flows()).as(file.getFileName().toString()).isNotEmpty()
                            .allSatisfy(flow -> assertThat(flow.get("srcaddr")).isNotNull());
                }
            }
        }
        FlowLogParser.Result v2 = parser.parse(Files.newBufferedReader(FIXTURES.resolve("flowlogs_v2_default_format.log")));
        assertThat(v2.withoutData()).isEqualTo(2);
        assertThat(v2.flows().get(0).get("dstport")).isEqualTo("22");
        assertThat(v2.flows().get(1).accepted()).isFalse();
        FlowLogParser.Result v5 = parser.parse(Files.newBufferedReader(FIXTURES.resolve("flowlogs_v5_custom_traffic_path.log")));
        assertThat(v5.flows().get(1).get("pkt-dst-aws-service")).isEqualTo("S3");
        assertThat(v5.flows().get(1).get("flow-direction")).isEqualTo("egress");
    }

    @Test
    void theStreamingTallyCountsWhatTheRecordParserReads() throws IOException {
        FlowLogParser parser = new FlowLogParser();
        try (var files = Files.list(FIXTURES)) {
            for (Path file : files.sorted().toList()) {
                FlowTally expected;
                try (BufferedReader reader = Files.newBufferedReader(file)) {
                    expected = FlowTally.of(parser.parse(reader));
                }
                FlowTally tally;
                try (var in = Files.newInputStream(file)) {
                    tally = FlowFormats.tally(file.getFileName().toString(), in);
                }
                String name = file.getFileName().toString();
                assertThat(tally.accepted).as(name).isEqualTo(expected.accepted).isPositive();
                assertThat(tally.rejected).as(name).isEqualTo(expected.rejected);
                assertThat(tally.withoutData).as(name).isEqualTo(expected.withoutData);
                assertThat(tally.flows.keySet()).as(name).isEqualTo(expected.flows.keySet());
                tally.flows.forEach((key, counts) -> {
                    FlowTally.Counts other = expected.flows.get(key);
                    assertThat(List.of(counts.bytes, counts.packets, counts.flows, counts.first, counts.last)).as(name)
                            .isEqualTo(List.of(other.bytes, other.packets, other.flows, other.first, other.last));
                });
            }
        }
        FlowTally broken = FlowFormats.tally("x.log", new java.io.ByteArrayInputStream(
                "2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 40 1 2 ACCEPT\n".getBytes()));
        assertThat(broken.malformed).containsExactly("line 1: 13 fields where the format has 14");
    }

    @Test
    void aRowWithTheWrongNumberOfFieldsIsMalformedNotGuessed() throws IOException {
        FlowLogParser.Result result = new FlowLogParser().parse(new BufferedReader(new StringReader(
                "2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 40 1 2 ACCEPT\n")));
        assertThat(result.flows()).isEmpty();
        assertThat(result.malformed()).containsExactly("line 1: 13 fields where the format has 14");
    }

    @Test
    void acceptedFlowsBetweenKnownElementsBecomeAggregatedFlowsDataToRelations() throws IOException {
        FlowLogConnector connector = new FlowLogConnector(model, "vpc-flow-logs", 60, FIXTURES);
        List<Relation> relations = FlowLogFixtures.relations(connector);

        assertThat(relations).allSatisfy(relation -> assertThat(relation.type()).isEqualTo(RelationType.FLOWS_DATA_TO));
        // v2: bastion -> target on 22 accepted; the RDP attempt was rejected and is no flow
        assertThat(relations).anySatisfy(relation -> {
            assertThat(relation.from()).isEqualTo(BASTION);
            assertThat(relation.to()).isEqualTo(TARGET);
            assertThat(relation.properties()).containsEntry("ports", List.of("tcp/22")).containsEntry("bytes", 4249L)
                    .containsEntry("observedBy", "vpc-flow-logs");
        });
        // v3: the public peer 52.213.180.42 is the bastion's public ip; three records aggregate into two pairs
        Relation in = relations.stream().filter(r -> r.from().equals(BASTION) && r.to().equals(APP)).findFirst()
                .orElseThrow();
        assertThat(in.properties()).containsEntry("flows", 4L).containsEntry("ports", List.of("tcp/5001"));
        assertThat(relations).anySatisfy(relation -> assertThat(List.of(relation.from(), relation.to()))
                .containsExactly(APP, BASTION));
        // transit gateway: target (10.20.33.164) talks to the database on 80
        assertThat(relations).anySatisfy(relation -> assertThat(List.of(relation.from(), relation.to()))
                .containsExactly(TARGET, DB));
        assertThat(connector.status().state()).isEqualTo(ConnectorState.OK);
        assertThat(connector.status().message()).contains("rejected").contains("with an end outside the model");
    }

    @Test
    void theReconcilerCommitsTheFlowsAsRunningRelations() throws Exception {
        CamelRuntime camel = new CamelRuntime("flows-" + UUID.randomUUID(), false, 2, Clock.systemUTC());
        ConnectorScheduler scheduler = new ConnectorScheduler(model, new dev.mandate.kernel.ledger.internal
                .EvidenceLedgerImpl(databaseOf(), Clock.systemUTC()), camel, Clock.systemUTC(), 1, 2);
        try {
            FlowLogConnector connector = new FlowLogConnector(model, "vpc-flow-logs", 3600, FIXTURES);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!camel.started()) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                LockSupport.parkNanos(2_000_000);
            }
            scheduler.bindConnector(connector, Map.of(ConnectorSlot.INTERVAL_PROPERTY, 3600));
            scheduler.runNow("vpc-flow-logs").get(20, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(model.current().outgoing(BASTION)).extracting(Relation::to).contains(TARGET, APP);
        } finally {
            scheduler.close();
            camel.close();
        }
    }

    private static JdbcDataSource databaseOf() {
        JdbcDataSource database = new JdbcDataSource();
        database.setURL("jdbc:h2:mem:flows-ledger-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        return database;
    }

    @Test
    void theGenericCsvAndJsonFormatsGiveTheFlowsTheVpcFormatGives(@TempDir Path folder) throws IOException {
        // the accepted and rejected records of the v2 fixture, as a flow exporter writes them in CSV and JSON
        Files.writeString(folder.resolve("flows.csv"), """
                src_ip,dst_ip,src_port,dst_port,proto,packets,bytes,start_time,end_time,action
                172.31.16.139,172.31.16.21,20641,22,tcp,20,4249,1418530010,1418530070,allow
                "172.31.9.69","172.31.9.12",49761,3389,tcp,20,4249,1418530010,1418530070,deny
                """);
        Files.writeString(folder.resolve("flows.jsonl"), """
                {"source": "52.213.180.42", "destination": "10.0.0.62", "dstPort": 5001, "protocol": 6, \
                "bytes": 568, "packets": 8, "start": "2019-08-26T19:47:55Z", "end": "2019-08-26T19:48:53Z"}
                {"source": "10.0.0.62", "destination": "52.213.180.42", "dstPort": 43416, "protocol": "tcp", "bytes": 376}
                {"destination": "10.0.0.62"}
                """);
        FlowLogConnector connector = new FlowLogConnector(model, "exporter", 60, folder);
        List<Relation> relations = FlowLogFixtures.relations(connector);

        assertThat(relations).anySatisfy(relation -> {
            assertThat(List.of(relation.from(), relation.to())).containsExactly(BASTION, TARGET);
            assertThat(relation.properties()).containsEntry("ports", List.of("tcp/22")).containsEntry("bytes", 4249L)
                    .containsEntry("observedBy", "exporter").containsEntry("firstSeen", "2014-12-14T04:06:50Z");
        });
        Relation in = relations.stream().filter(r -> r.from().equals(BASTION) && r.to().equals(APP)).findFirst()
                .orElseThrow();
        assertThat(in.properties()).containsEntry("ports", List.of("tcp/5001")).containsEntry("bytes", 568L)
                .containsEntry("firstSeen", "2019-08-26T19:47:55Z");
        assertThat(relations).anySatisfy(relation -> assertThat(List.of(relation.from(), relation.to()))
                .containsExactly(APP, BASTION));
        assertThat(relations).hasSize(3);
        assertThat(connector.status().state()).isEqualTo(ConnectorState.WARN);
        assertThat(connector.status().message()).contains("1 rejected")
                .contains("1 malformed: flows.jsonl record 3: no source and destination address");
    }

    static final String CDE_RULES = """
            apiVersion: mandate.dev/v1
            kind: Blueprint
            metadata: {name: cde-flows, version: 1.0.0, owner: team-platform, description: CDE data flows}
            spec:
              dataFlows:
                - id: cardholder-data-stays-in-cde
                  from: {trustZone: pci-cde}
                  to: {notTrustZone: pci-cde}
                  classifications: [PCI, restricted-pci]
                  effect: deny
                  severity: critical
                  message: cardholder data stays in the cardholder-data environment (PCI DSS 1.3.2)
                - id: into-cde-needs-approval
                  from: {notTrustZone: pci-cde}
                  to: {trustZone: pci-cde}
                  effect: require-approval
                  severity: high
                  message: a connection into the cardholder-data environment needs its owner's approval
            """;

    @Test
    void observedFlowsThatBreakADataFlowRuleAreFindingsWithTheFlowTheRuleAndTheOwners() throws IOException {
        // the app server holds cardholder data in the CDE; the bastion sits in the dmz, owned by another team
        model.commit(new ChangeSet("aws", Layer.RUNNING, List.of(
                new Element(APP, null, null, "prod", "pci-cde", "team-payments", Map.of("dataClassification",
                        "restricted-pci"), Map.of("privateIpAddress", "10.0.0.62"), Map.of()),
                new Element(BASTION, null, null, "prod", "dmz", "team-network", Map.of(),
                        Map.of("private_ip", "172.31.16.139", "public_ip", "52.213.180.42"), Map.of())),
                List.of(), List.of(), List.of()));
        List<Relation> flows = FlowLogFixtures.relations(new FlowLogConnector(model, "vpc-flow-logs", 60, FIXTURES));
        model.commit(new ChangeSet("vpc-flow-logs", Layer.RUNNING, List.of(), List.of(), flows, List.of()));
        IntentRegistry intent = new IntentRegistry((type, payload) -> { });
        IntentLayerTest.load(intent, "teams", IntentLayerTest.TEAMS);
        IntentLayerTest.load(intent, "cde", CDE_RULES);
        dev.mandate.kernel.ledger.internal.EvidenceLedgerImpl ledger =
                new dev.mandate.kernel.ledger.internal.EvidenceLedgerImpl(databaseOf(), Clock.systemUTC());
        DriftTracker drift = new DriftTracker(model, ledger, null, Clock.systemUTC(), 20, java.util.Set.of(),
                Duration.ofMinutes(15));
        drift.setIntent(intent);
        assertThat(drift.check()).isNull();

        List<dev.mandate.kernel.reconciler.DriftFinding> found = drift.findings(
                dev.mandate.kernel.reconciler.DriftKind.DATAFLOW, null, null);
        assertThat(found).extracting(dev.mandate.kernel.reconciler.DriftFinding::id).containsExactlyInAnyOrder(
                "dataflow:" + APP + "->" + BASTION + "#dataflow:cardholder-data-stays-in-cde",
                "dataflow:" + BASTION + "->" + APP + "#dataflow:into-cde-needs-approval");
        dev.mandate.kernel.reconciler.DriftFinding out = found.stream()
                .filter(finding -> finding.elementId().equals(APP)).findFirst().orElseThrow();
        assertThat(out.severity()).isEqualTo("critical");
        assertThat(out.severitySource()).isEqualTo("cde-flows@1.0.0#dataflow:cardholder-data-stays-in-cde");
        assertThat(out.path()).isEqualTo("cde-flows@1.0.0#dataflow:cardholder-data-stays-in-cde");
        assertThat(out.expected()).isEqualTo("deny");
        assertThat(out.owner()).isEqualTo("team-payments");
        @SuppressWarnings("unchecked")
        Map<String, Object> flow = (Map<String, Object>) out.actual();
        assertThat(flow).containsEntry("from", APP).containsEntry("to", BASTION)
                .containsEntry("toTrustZone", "dmz").containsEntry("owners", List.of("team-payments", "team-network"))
                .containsEntry("classifications", List.of("restricted-pci")).containsEntry("observedBy", "vpc-flow-logs")
                .containsEntry("ports", List.of("tcp/43416", "tcp/43418", "tcp/43638"));
        assertThat(out.message()).contains("breaks cde-flows@1.0.0#dataflow:cardholder-data-stays-in-cde (deny; owners "
                + "team-payments, team-network)");
        assertThat(ledger.read(1, 100)).filteredOn(record -> record.type().equals("drift.opened")
                && "dataflow".equals(record.payload().get("kind"))).hasSize(2);

        // the flow out of the CDE stops (its log rotated away): the finding clears, and that is evidence too
        model.commit(new ChangeSet("vpc-flow-logs", Layer.RUNNING, List.of(), List.of(), List.of(),
                List.of(Relation.of(RelationType.FLOWS_DATA_TO, APP, BASTION))));
        assertThat(drift.check()).isNull();
        assertThat(drift.findings(dev.mandate.kernel.reconciler.DriftKind.DATAFLOW, null, null))
                .extracting(dev.mandate.kernel.reconciler.DriftFinding::elementId).containsExactly(BASTION);
        assertThat(ledger.read(1, 100)).filteredOn(record -> record.type().equals("drift.cleared"))
                .singleElement().satisfies(record -> assertThat(record.payload()).containsEntry("id",
                        "dataflow:" + APP + "->" + BASTION + "#dataflow:cardholder-data-stays-in-cde"));
    }

    @Test
    void aMissingFolderFailsTheCollection(@TempDir Path folder) {
        FlowLogConnector connector = new FlowLogConnector(model, "flows", 60, folder.resolve("gone"));
        assertThatThrownBy(() -> FlowLogFixtures.relations(connector)).isInstanceOf(IOException.class)
                .hasMessage("flow log folder '" + folder.resolve("gone") + "' does not exist");
        assertThat(connector.status().state()).isEqualTo(ConnectorState.ERROR);
    }
}
