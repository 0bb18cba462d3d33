package dev.mandate.kernel.export.internal;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.mandate.api.evidence.EvidenceLedger;
import dev.mandate.api.evidence.EvidenceRecord;
import dev.mandate.api.evidence.VerificationResult;
import dev.mandate.kernel.export.s3.internal.S3ObjectLockSink;
import dev.mandate.kernel.ledger.verify.ChainRecord;
import dev.mandate.kernel.ledger.verify.Jcs;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 sink against WireMock playing S3's PutObject (a mock: no S3 runs here), driven by the
 * kernel's exporter: every object carries the Object Lock headers and a checksum, and while S3
 * answers 503 nothing is acknowledged, so every record arrives once it is back.
 */
class S3ObjectLockSinkTest {
    private static final Instant NOW = Instant.parse("2026-11-26T08:00:00Z");

    @TempDir
    Path state;

    private final WireMockServer s3Mock = new WireMockServer(options().dynamicPort());
    private S3Client client;

    @BeforeEach
    void start() {
        s3Mock.start();
        client = S3Client.builder().region(Region.EU_WEST_1).endpointOverride(URI.create(s3Mock.baseUrl()))
                .forcePathStyle(true).httpClientBuilder(UrlConnectionHttpClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAEXAMPLE", "secret")))
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
        s3Mock.stop();
    }

    /** The records of a real chain. */
    private static List<EvidenceRecord> chain(int count) {
        List<EvidenceRecord> records = new ArrayList<>();
        String previous = ChainRecord.GENESIS;
        for (int i = 1; i <= count; i++) {
            Map<String, Object> payload = Map.of("decisionId", "d-" + i, "outcome", "ALLOW");
            String hash = new ChainRecord(i, "decision", ChainRecord.timestamp(NOW), 3, Jcs.write(payload), previous, "")
                    .computeHash();
            records.add(new EvidenceRecord(i, "decision", NOW, 3, payload, previous, hash));
            previous = hash;
        }
        return records;
    }

    private static EvidenceLedger ledgerOf(List<EvidenceRecord> records) {
        return new EvidenceLedger() {
            @Override
            public EvidenceRecord append(String type, long modelRevision, Map<String, Object> payload) {
                throw new IllegalStateException("the exporter only reads");
            }

            @Override
            public List<EvidenceRecord> read(long from, int limit) {
                return records.stream().filter(r -> r.sequence() >= from).limit(limit).toList();
            }

            @Override
            public Optional<EvidenceRecord> head() {
                return records.isEmpty() ? Optional.empty() : Optional.of(records.get(records.size() - 1));
            }

            @Override
            public VerificationResult verify() {
                return new VerificationResult(true, records.size(), 0, null);
            }
        };
    }

    @Test
    void whileS3IsDownNothingIsAcknowledgedAndAfterwardsEveryRecordIsStoredUnderObjectLock() {
        List<EvidenceRecord> records = chain(25);
        S3ObjectLockSink sink = new S3ObjectLockSink("s3", "evidence-bucket", "mandate/evidence/", "COMPLIANCE",
                Duration.ofDays(2555), client, Clock.fixed(NOW, ZoneOffset.UTC));
        EvidenceExporter exporter = new EvidenceExporter(ledgerOf(records), state, 10,
                Executors.newSingleThreadScheduledExecutor());
        exporter.bindSink(sink);

        s3Mock.stubFor(put(urlPathMatching("/evidence-bucket/.*")).willReturn(aResponse().withStatus(503)
                .withHeader("Content-Type", "application/xml")
                .withBody("<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>")));
        exporter.exportAll();
        assertThat(exporter.states()).singleElement().satisfies(s -> {
            assertThat(s.acknowledged()).isZero();
            assertThat(s.lastError()).isNotNull();
        });

        s3Mock.resetAll();
        s3Mock.stubFor(put(urlPathMatching("/evidence-bucket/.*")).willReturn(aResponse().withStatus(200)
                .withHeader("ETag", "\"6805f2cfc46c0f04559748bb039d69ae\"")));
        exporter.exportAll();
        exporter.deactivate();

        assertThat(exporter.states()).singleElement().satisfies(s -> assertThat(s.acknowledged()).isEqualTo(25));
        List<LoggedRequest> puts = s3Mock.findAll(putRequestedFor(urlPathMatching("/evidence-bucket/.*")));
        assertThat(puts).extracting(LoggedRequest::getUrl).containsExactly(
                "/evidence-bucket/" + sink.key(1, 10), "/evidence-bucket/" + sink.key(11, 20),
                "/evidence-bucket/" + sink.key(21, 25));
        List<ChainRecord> stored = new ArrayList<>();
        for (LoggedRequest request : puts) {
            assertThat(request.getHeader("x-amz-object-lock-mode")).isEqualTo("COMPLIANCE");
            assertThat(Instant.parse(request.getHeader("x-amz-object-lock-retain-until-date")))
                    .isEqualTo(NOW.plus(Duration.ofDays(2555)));
            // S3 refuses an Object Lock PutObject without Content-MD5 or an x-amz checksum
            assertThat(request.getAllHeaderKeys()).anyMatch(h -> h.equalsIgnoreCase("content-md5")
                    || h.toLowerCase(java.util.Locale.ROOT).startsWith("x-amz-checksum")
                    || h.equalsIgnoreCase("x-amz-sdk-checksum-algorithm") || h.equalsIgnoreCase("x-amz-trailer"));
            for (String line : new String(request.getBody(), StandardCharsets.UTF_8).split("\r?\n")) {
                int start = line.indexOf("{\"hash\"");
                if (start >= 0) {
                    stored.add(ChainRecord.fromJsonLine(line.substring(start)));
                }
            }
        }
        assertThat(stored).extracting(ChainRecord::sequence).containsExactlyElementsOf(
                records.stream().map(EvidenceRecord::sequence).toList());
        assertThat(stored).allSatisfy(r -> assertThat(r.computeHash()).isEqualTo(r.hash()));
    }
}
