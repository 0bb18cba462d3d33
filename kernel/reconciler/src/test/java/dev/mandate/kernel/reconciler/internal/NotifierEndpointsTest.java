package dev.mandate.kernel.reconciler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

import dev.mandate.api.evidence.EvidenceRecord;
import dev.mandate.kernel.ledger.internal.EvidenceLedgerImpl;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;

import jakarta.mail.internet.MimeMessage;

/**
 * CloudEvents through the embedded Camel's mail and Kafka components to real peers in this process: a
 * GreenMail SMTP server and a one-node KRaft Kafka broker (Kafka's own cluster test kit).
 */
class NotifierEndpointsTest {
    private static final String VM = "aws:ec2:instance:eu-west-1:111122223333:i-0abc";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    private EvidenceLedgerImpl ledger;
    private CamelRuntime camel;

    @BeforeEach
    void start() {
        JdbcDataSource database = new JdbcDataSource();
        database.setURL("jdbc:h2:mem:endpoints-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        ledger = new EvidenceLedgerImpl(database, Clock.systemUTC());
        camel = StartedCamel.start("endpoints");
    }

    @AfterEach
    void stop() {
        camel.close();
    }

    private Notifier notifier(String endpoint) {
        return new Notifier(ledger, camel, List.of(endpoint), Set.of("drift.opened", "drift.cleared"),
                "urn:mandate:test", 10);
    }

    @Test
    void findingsGoOutAsMailToTheConfiguredRecipients() throws Exception {
        Notifier notifier = notifier("smtp://localhost:" + smtp.getSmtp().getPort()
                + "?from=mandate@example.org&to=ops@example.org&useHeaderSubject=true");
        assertThat(notifier.check()).isNull();
        EvidenceRecord opened = ledger.append("drift.opened", 4, Map.of("id", "unmanaged:" + VM, "element", VM,
                "severity", "low"));
        ledger.append("connector.run", 4, Map.of("connector", "aws"));
        assertThat(notifier.check()).isNull();

        assertThat(smtp.waitForIncomingEmail(10_000, 1)).isTrue();
        MimeMessage[] mails = smtp.getReceivedMessages();
        assertThat(mails).hasSize(1);
        assertThat(mails[0].getSubject()).isEqualTo("[mandate] dev.mandate.drift.opened " + VM);
        assertThat(mails[0].getAllRecipients()[0].toString()).isEqualTo("ops@example.org");
        assertThat(mails[0].getContentType()).startsWith("application/cloudevents+json");
        JsonNode event = JSON.readTree(GreenMailUtil.getBody(mails[0]));
        assertThat(event.path("id").asText()).isEqualTo(opened.hash());
        assertThat(event.path("type").asText()).isEqualTo("dev.mandate.drift.opened");
        assertThat(event.path("data").path("severity").asText()).isEqualTo("low");
    }

    @Test
    void findingsGoOutToKafkaKeyedByElementInLedgerOrder() throws Exception {
        try (KafkaClusterTestKit kafka = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true)
                .setNumBrokerNodes(1).setNumControllerNodes(1).build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("auto.create.topics.enable", "true").build()) {
            kafka.format();
            kafka.startup();
            kafka.waitForReadyBrokers();
            Notifier notifier = notifier("kafka:mandate-events?brokers=" + kafka.bootstrapServers());
            assertThat(notifier.check()).isNull();
            EvidenceRecord opened = ledger.append("drift.opened", 5, Map.of("id", "missing:" + VM, "element", VM));
            EvidenceRecord cleared = ledger.append("drift.cleared", 6, Map.of("id", "missing:" + VM, "element", VM));
            assertThat(notifier.check()).isNull();

            Properties properties = new Properties();
            properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            properties.put(ConsumerConfig.GROUP_ID_CONFIG, "test");
            properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            List<ConsumerRecord<String, String>> received = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
                    new StringDeserializer())) {
                consumer.subscribe(List.of("mandate-events"));
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (received.size() < 2 && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(500)).forEach(received::add);
                }
            }
            assertThat(received).hasSize(2).allSatisfy(record -> {
                assertThat(record.key()).isEqualTo(VM);
                assertThat(new String(record.headers().lastHeader("Content-Type").value(), StandardCharsets.UTF_8))
                        .startsWith("application/cloudevents+json");
            });
            assertThat(received).extracting(record -> JSON.readTree(record.value()).path("id").asText())
                    .containsExactly(opened.hash(), cleared.hash());
        }
    }
}
