package dev.mandate.kernel.reconciler.internal.evidence;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.LongStream;

import dev.mandate.api.evidence.EvidenceRecord;
import dev.mandate.kernel.export.internal.ExporterHarness;
import dev.mandate.kernel.ledger.internal.EvidenceLedgerImpl;
import dev.mandate.kernel.reconciler.internal.CamelRuntime;
import dev.mandate.kernel.reconciler.internal.CloudEvents;
import dev.mandate.kernel.reconciler.internal.StartedCamel;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/**
 * The Camel evidence sink under the real exporter (cursor, batches, retries) and the real ledger on H2,
 * sending to a local HTTP collector (WireMock) that goes down and comes back.
 */
class CamelEvidenceSinkTest {
    private static final String PATH = "/ingest/mandate";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path state;

    private EvidenceLedgerImpl ledger;
    private CamelRuntime camel;
    private WireMockServer collector;
    private int port;

    @BeforeEach
    void start() throws IOException {
        JdbcDataSource database = new JdbcDataSource();
        database.setURL("jdbc:h2:mem:camel-sink-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        ledger = new EvidenceLedgerImpl(database, Clock.systemUTC());
        camel = StartedCamel.start("sink");
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        collector = new WireMockServer(wireMockConfig().port(port));
        collector.start();
        collector.stubFor(post(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(202)));
    }

    @AfterEach
    void stop() {
        collector.stop();
        camel.close();
    }

    private CamelEvidenceSink sink(Set<String> types) {
        return new CamelEvidenceSink(camel, "siem", "http://localhost:" + port + PATH, "urn:mandate:test", types, state);
    }

    private void append(int count) {
        for (int i = 0; i < count; i++) {
            ledger.append(i % 3 == 0 ? "decision" : "connector.run", i, Map.of("element", "vm-" + i, "n", i));
        }
    }

    private List<JsonNode> received() {
        return collector.findAll(postRequestedFor(urlPathEqualTo(PATH))).stream().map(LoggedRequest::getBodyAsString)
                .map(body -> {
                    try {
                        return JSON.readTree(body);
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                }).toList();
    }

    private static List<Long> sequences(List<JsonNode> events) {
        return events.stream().map(event -> event.path("mandatesequence").asLong()).toList();
    }

    private static List<Long> range(long first, long last) {
        return LongStream.rangeClosed(first, last).boxed().toList();
    }

    @Test
    void everyRecordGoesOutOnceAsAStructuredCloudEventAcrossAnOutage() {
        ExporterHarness exporter = new ExporterHarness(ledger, state, 4);
        exporter.bind(sink(Set.of()));
        append(6);
        assertThat(exporter.round("siem")).isNull();
        assertThat(sequences(received())).isEqualTo(range(1, 6));

        collector.resetRequests();
        collector.stop(); // the collector is down: connection refused
        append(7);
        assertThat(exporter.round("siem")).isNotNull();
        assertThat(exporter.round("siem")).isNotNull();

        collector.start(); // back on the same port: the exporter resumes from its cursor
        assertThat(exporter.round("siem")).isNull();
        List<JsonNode> events = received();
        assertThat(sequences(events)).isEqualTo(range(7, 13));

        EvidenceRecord last = ledger.read(13, 1).get(0);
        JsonNode event = events.get(events.size() - 1);
        assertThat(event.path("specversion").asText()).isEqualTo("1.0");
        assertThat(event.path("id").asText()).isEqualTo(last.hash());
        assertThat(event.path("type").asText()).isEqualTo("dev.mandate." + last.type());
        assertThat(event.path("source").asText()).isEqualTo("urn:mandate:test");
        assertThat(event.path("subject").asText()).isEqualTo("vm-6");
        assertThat(event.path("data").path("n").asInt()).isEqualTo(6);
        collector.verify(postRequestedFor(urlPathEqualTo(PATH)).withHeader("Content-Type",
                containing("application/cloudevents+json")));
        exporter.close();
    }

    @Test
    void aBatchThatFailsHalfWayIsNotSentTwiceWhenOfferedAgain() {
        ExporterHarness exporter = new ExporterHarness(ledger, state, 10);
        exporter.bind(sink(Set.of()));
        append(5);
        // the collector refuses the fourth record until it recovers
        collector.stubFor(post(urlPathEqualTo(PATH)).withRequestBody(containing("\"mandatesequence\":4,"))
                .atPriority(1).willReturn(aResponse().withStatus(503)));
        assertThat(exporter.round("siem")).contains("503");
        assertThat(exporter.round("siem")).contains("503");

        collector.resetAll();
        collector.stubFor(post(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(202)));
        assertThat(exporter.round("siem")).isNull();
        assertThat(sequences(received())).isEqualTo(range(4, 5)); // 1-3 went out before; none again
        exporter.close();
    }

    @Test
    void aRestartedSinkAndExporterResumeWithoutResending() {
        ExporterHarness first = new ExporterHarness(ledger, state, 100);
        first.bind(sink(Set.of()));
        append(3);
        assertThat(first.round("siem")).isNull();
        first.close();

        append(2);
        ExporterHarness second = new ExporterHarness(ledger, state, 100);
        CamelEvidenceSink again = sink(Set.of());
        assertThat(again.delivered()).isEqualTo(3);
        second.bind(again);
        assertThat(second.round("siem")).isNull();
        assertThat(sequences(received())).isEqualTo(range(1, 5));
        second.close();
    }

    @Test
    void onlyTheConfiguredTypesAreSentAndTheRestAcknowledged() {
        ExporterHarness exporter = new ExporterHarness(ledger, state, 100);
        CamelEvidenceSink sink = sink(Set.of("decision"));
        exporter.bind(sink);
        append(7);
        assertThat(exporter.round("siem")).isNull();
        assertThat(sequences(received())).isEqualTo(List.of(1L, 4L, 7L));
        assertThat(sink.delivered()).isEqualTo(7);
        exporter.close();
    }

    @Test
    void anEndpointTheEmbeddedCamelDoesNotCarryFailsTheBatchWithItsReason() {
        CamelEvidenceSink sink = new CamelEvidenceSink(camel, "nowhere", "jms:queue:evidence", null, Set.of(), state);
        append(1);
        assertThatThrownBy(() -> sink.export(ledger.read(1, 10))).hasMessageContaining("jms");
        assertThat(sink.delivered()).isZero();
        assertThatThrownBy(() -> new CamelEvidenceSink(camel, "bad", "no-scheme", null, Set.of(), state))
                .hasMessage("the camel evidence sink 'bad' needs an endpoint 'uri', was 'no-scheme'");
        assertThat(CloudEvents.CONTENT_TYPE).startsWith("application/cloudevents+json");
    }
}
