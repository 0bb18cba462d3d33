package dev.mandate.kernel.reconciler.internal;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

import dev.mandate.api.evidence.EvidenceRecord;
import dev.mandate.kernel.ledger.internal.EvidenceLedgerImpl;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/** CloudEvents through the embedded Camel's http and log endpoints to a local webhook (WireMock). */
class NotifierTest {
    private static final String HOOK = "/hooks/mandate";
    private static final String VM = "aws:ec2:instance:eu-west-1:111122223333:i-0abc";

    @RegisterExtension
    static WireMockExtension webhook = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private EvidenceLedgerImpl ledger;
    private CamelRuntime camel;

    @BeforeEach
    void start() {
        JdbcDataSource database = new JdbcDataSource();
        database.setURL("jdbc:h2:mem:notify-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        ledger = new EvidenceLedgerImpl(database, Clock.systemUTC());
        camel = new CamelRuntime("notify-" + UUID.randomUUID(), false, 2, Clock.systemUTC());
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!camel.started()) {
            assertThat(System.nanoTime()).as("camel started").isLessThan(deadline);
            LockSupport.parkNanos(2_000_000);
        }
    }

    @AfterEach
    void stop() {
        camel.close();
    }

    private Notifier notifier(String... endpoints) {
        return new Notifier(ledger, camel, List.of(endpoints), Set.of("drift.opened", "drift.cleared",
                "approval.opened"), "urn:mandate:test", 2);
    }

    @Test
    void findingsAndApprovalsGoOutAsStructuredCloudEventsInLedgerOrder() throws Exception {
        webhook.stubFor(post(urlPathEqualTo(HOOK)).willReturn(aResponse().withStatus(202)));
        ledger.append("connector.run", 1, Map.of("connector", "before the notifier started"));
        Notifier notifier = notifier(webhook.baseUrl() + HOOK, "log:dev.mandate.notifications?level=INFO");
        assertThat(notifier.check()).isNull(); // starts at the head: history is not replayed

        EvidenceRecord opened = ledger.append("drift.opened", 7, Map.of("id", "unmanaged:" + VM, "kind", "unmanaged",
                "element", VM, "severity", "low"));
        ledger.append("connector.run", 7, Map.of("connector", "aws-prod"));
        ledger.append("approval.opened", 7, Map.of("approvalId", "ap-1", "target", VM, "approvers", List.of("team-web")));
        ledger.append("drift.cleared", 8, Map.of("id", "unmanaged:" + VM, "kind", "unmanaged", "element", VM));
        assertThat(notifier.check()).isNull();

        List<LoggedRequest> requests = webhook.findAll(postRequestedFor(urlPathEqualTo(HOOK)));
        assertThat(requests).hasSize(3).allSatisfy(request -> assertThat(request.getHeader("Content-Type"))
                .startsWith("application/cloudevents+json"));
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> events = requests.stream().map(request -> {
            try {
                return json.readTree(request.getBodyAsString());
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }).toList();
        assertThat(events).extracting(event -> event.path("type").asText()).containsExactly(
                "dev.mandate.drift.opened", "dev.mandate.approval.opened", "dev.mandate.drift.cleared");
        JsonNode first = events.get(0);
        assertThat(first.path("specversion").asText()).isEqualTo("1.0");
        assertThat(first.path("id").asText()).isEqualTo(opened.hash());
        assertThat(first.path("source").asText()).isEqualTo("urn:mandate:test");
        assertThat(first.path("subject").asText()).isEqualTo(VM);
        assertThat(first.path("time").asText()).isEqualTo(opened.timestamp().toString());
        assertThat(first.path("datacontenttype").asText()).isEqualTo("application/json");
        assertThat(first.path("data").path("severity").asText()).isEqualTo("low");
        assertThat(first.path("mandatesequence").asLong()).isEqualTo(opened.sequence());
        assertThat(events.get(1).path("subject").asText()).isEqualTo(VM);

        assertThat(notifier.check()).isNull();
        webhook.verify(3, postRequestedFor(urlPathEqualTo(HOOK))); // nothing twice
    }

    @Test
    void aWebhookThatFailsGetsTheSameEventAgainAndNothingIsLost() throws Exception {
        webhook.stubFor(post(urlPathEqualTo(HOOK)).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(500)).willSetStateTo("up"));
        webhook.stubFor(post(urlPathEqualTo(HOOK)).inScenario("flaky").whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(200)));
        Notifier notifier = notifier(webhook.baseUrl() + HOOK);
        notifier.check();
        ledger.append("drift.opened", 3, Map.of("id", "missing:" + VM, "element", VM));
        ledger.append("drift.opened", 3, Map.of("id", "diverged:" + VM + "#size", "element", VM));

        assertThat(notifier.check()).startsWith("notifications waiting for '" + webhook.baseUrl() + HOOK + "': ")
                .contains("500");
        assertThat(notifier.check()).isNull();

        List<LoggedRequest> requests = webhook.findAll(postRequestedFor(urlPathEqualTo(HOOK)));
        assertThat(requests).hasSize(3);
        assertThat(requests.get(0).getBodyAsString()).isEqualTo(requests.get(1).getBodyAsString())
                .contains("missing:" + VM);
        assertThat(requests.get(2).getBodyAsString()).contains("diverged:" + VM + "#size");
        webhook.verify(postRequestedFor(urlPathEqualTo(HOOK)).withHeader("Content-Type",
                equalTo(Notifier.CONTENT_TYPE)));
    }
}
