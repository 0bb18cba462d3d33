package dev.mandate.kernel.reconciler.internal;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;

import dev.mandate.api.model.Relation;
import dev.mandate.kernel.model.internal.ModelStoreImpl;
import dev.mandate.kernel.model.testing.LoadedModelStore;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * VPC flow logs from an S3 bucket played by WireMock with S3's response shapes (ListObjectsV2 XML in
 * pages with a continuation token, quoted MD5 ETags, {@code x-amz-*} headers, gzip objects as AWS
 * delivers them, S3's XML AccessDenied), the records being the shared fixtures, read in place.
 */
class S3FlowSourceTest {
    private static final Path FIXTURES = Path.of("/work/shared/fixtures/aws/vpc-flow-logs");
    private static final String BUCKET = "flow-log-bucket";
    private static final String PREFIX = "AWSLogs/123456789010/vpcflowlogs/";
    private static final String DAY = PREFIX + "eu-west-1/2026/11/26/";
    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    @RegisterExtension
    static WireMockExtension s3 = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path state;

    private ModelStoreImpl model;

    @BeforeEach
    void start() {
        JdbcDataSource database = new JdbcDataSource();
        database.setURL("jdbc:h2:mem:s3flows-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        model = LoadedModelStore.on(database);
        FlowLogFixtures.flowLogEstate(model);
    }

    @AfterEach
    void stop() {
        model.close();
    }

    private Supplier<S3Client> client() {
        return () -> S3Client.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.EU_WEST_1)
                .endpointOverride(java.net.URI.create(s3.baseUrl())).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAIOSFODNN7EXAMPLE",
                        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"))).build();
    }

    private S3FlowSource source() {
        return new S3FlowSource(BUCKET, PREFIX, client(), state.resolve("flows.json"), Duration.ofDays(7),
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static String etag(byte[] content) throws Exception {
        return "\"" + HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(content)) + "\"";
    }

    private static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(content);
        }
        return out.toByteArray();
    }

    /** An object of the bucket: key, content, when it was last modified. */
    private record S3Object(String key, byte[] content, Instant modified) {
    }

    private static String contents(S3Object object) throws Exception {
        return "<Contents><Key>" + object.key() + "</Key><LastModified>" + object.modified() + "</LastModified><ETag>"
                + etag(object.content()).replace("\"", "&quot;") + "</ETag><Size>" + object.content().length
                + "</Size><StorageClass>STANDARD</StorageClass></Contents>";
    }

    /** Serves the objects as two ListObjectsV2 pages (split after the first) and each object's GetObject. */
    private static void serve(List<S3Object> objects) throws Exception {
        String head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/"
                + "2006-03-01/\"><Name>" + BUCKET + "</Name><Prefix>" + PREFIX + "</Prefix>";
        String token = "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=";
        StringBuilder rest = new StringBuilder();
        for (S3Object object : objects.subList(1, objects.size())) {
            rest.append(contents(object));
        }
        s3.stubFor(get(urlPathMatching("/" + BUCKET + "/?")).withQueryParam("list-type", equalTo("2"))
                .withQueryParam("prefix", equalTo(PREFIX)).withQueryParam("continuation-token", absent())
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/xml")
                        .withHeader("x-amz-request-id", "4442587FB7D0A2F9").withBody(head + "<KeyCount>1</KeyCount>"
                                + "<MaxKeys>1</MaxKeys><IsTruncated>true</IsTruncated><NextContinuationToken>" + token
                                + "</NextContinuationToken>" + contents(objects.get(0)) + "</ListBucketResult>")));
        s3.stubFor(get(urlPathMatching("/" + BUCKET + "/?")).withQueryParam("list-type", equalTo("2"))
                .withQueryParam("continuation-token", equalTo(token))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/xml")
                        .withHeader("x-amz-request-id", "4442587FB7D0A2FA").withBody(head + "<KeyCount>"
                                + (objects.size() - 1) + "</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false"
                                + "</IsTruncated><ContinuationToken>" + token + "</ContinuationToken>" + rest
                                + "</ListBucketResult>")));
        for (S3Object object : objects) {
            s3.stubFor(get(urlPathEqualTo("/" + BUCKET + "/" + object.key())).willReturn(aResponse().withStatus(200)
                    .withHeader("ETag", etag(object.content())).withHeader("Content-Length",
                            String.valueOf(object.content().length))
                    .withHeader("Content-Type", "application/octet-stream")
                    .withHeader("Last-Modified", "Thu, 26 Nov 2026 10:05:12 GMT")
                    .withHeader("x-amz-request-id", "4442587FB7D0A2FB").withBody(object.content())));
        }
    }

    private static List<Relation> collect(FlowLogConnector connector) throws IOException {
        List<Relation> relations = FlowLogFixtures.relations(connector);
        relations.sort(Comparator.comparing(Relation::from).thenComparing(Relation::to));
        return relations;
    }

    private static String key(String flowLog, String time, String suffix) {
        return DAY + "123456789010_vpcflowlogs_eu-west-1_" + flowLog + "_" + time + "_fe123456" + suffix;
    }

    private List<S3Object> bucket() throws Exception {
        Instant recent = NOW.minus(Duration.ofHours(2));
        return List.of(
                new S3Object(key("fl-1234abcd", "20261126T1000Z", ".log.gz"),
                        gzip(Files.readAllBytes(FIXTURES.resolve("flowlogs_v2_default_format.log"))), recent),
                new S3Object(key("fl-2345bcde", "20261126T1005Z", ".log.gz"),
                        gzip(Files.readAllBytes(FIXTURES.resolve("flowlogs_v3_custom_tcp_flags.log"))), recent),
                new S3Object(key("fl-3456cdef", "20261126T1010Z", ".log"),
                        Files.readAllBytes(FIXTURES.resolve("flowlogs_v3_custom_transit_gateway.log")), recent),
                new S3Object(key("fl-4567defa", "20261126T1015Z", ".log.gz"),
                        gzip(Files.readAllBytes(FIXTURES.resolve("flowlogs_v5_custom_traffic_path.log"))), recent),
                new S3Object(key("fl-5678efab", "20261126T1020Z", ".parquet"), new byte[] {'P', 'A', 'R', '1'},
                        recent),
                new S3Object(PREFIX + "eu-west-1/2026/11/01/123456789010_vpcflowlogs_eu-west-1_fl-1234abcd_"
                        + "20261101T0000Z_fe000000.log.gz", gzip(Files.readAllBytes(FIXTURES.resolve(
                                "flowlogs_v2_default_format.log"))), NOW.minus(Duration.ofDays(25))));
    }

    @Test
    void plainAndGzipObjectsFromS3GiveTheFlowsTheSameFilesGiveFromAFolder() throws Exception {
        serve(bucket());
        S3FlowSource source = source();
        List<Relation> fromS3 = collect(new FlowLogConnector(model, "vpc-flow-logs", 60, source));
        List<Relation> fromFolder = collect(new FlowLogConnector(model, "vpc-flow-logs", 60, FIXTURES));

        assertThat(fromS3).isNotEmpty().isEqualTo(fromFolder);
        assertThat(source.downloads()).isEqualTo(4); // parquet skipped, the object older than 7 days not read
        assertThat(source.skipped()).isEqualTo(1);
        s3.verify(0, getRequestedFor(urlPathEqualTo("/" + BUCKET + "/" + bucket().get(4).key())));
        s3.verify(0, getRequestedFor(urlPathEqualTo("/" + BUCKET + "/" + bucket().get(5).key())));
        s3.verify(getRequestedFor(urlPathEqualTo("/" + BUCKET + "/" + bucket().get(0).key()))
                .withHeader("Authorization", matching("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/.*"))
                .withHeader("If-Match", equalTo(etag(bucket().get(0).content()))));
    }

    @Test
    void whatWasReadIsRememberedAcrossARestartAndNotDownloadedAgain() throws Exception {
        List<S3Object> objects = bucket();
        serve(objects.subList(0, 2));
        S3FlowSource first = source();
        List<Relation> before = collect(new FlowLogConnector(model, "vpc-flow-logs", 60, first));
        collect(new FlowLogConnector(model, "vpc-flow-logs", 60, first));
        assertThat(first.downloads()).isEqualTo(2);
        first.close();

        s3.resetAll();
        serve(objects.subList(0, 4)); // two objects delivered while Mandate was down
        S3FlowSource restarted = source();
        List<Relation> after = collect(new FlowLogConnector(model, "vpc-flow-logs", 60, restarted));
        assertThat(restarted.downloads()).isEqualTo(2); // only the new ones
        s3.verify(0, getRequestedFor(urlPathEqualTo("/" + BUCKET + "/" + objects.get(0).key())));
        s3.verify(0, getRequestedFor(urlPathEqualTo("/" + BUCKET + "/" + objects.get(1).key())));
        assertThat(before).isNotEmpty();
        assertThat(after).isEqualTo(collect(new FlowLogConnector(model, "vpc-flow-logs", 60, FIXTURES)));
    }

    @Test
    void anObjectThatLeavesTheBucketLeavesTheFlows() throws Exception {
        List<S3Object> objects = bucket();
        serve(objects.subList(0, 2));
        S3FlowSource source = source();
        FlowLogConnector connector = new FlowLogConnector(model, "vpc-flow-logs", 60, source);
        int both = collect(connector).size();
        s3.resetAll();
        serve(objects.subList(1, 2));
        assertThat(collect(connector).size()).isLessThan(both);
        assertThat(Files.readString(state.resolve("flows.json"))).doesNotContain("fl-1234abcd")
                .contains("fl-2345bcde");
    }

    @Test
    void accessDeniedFailsTheCollectionWithTheServicesReason() throws Exception {
        s3.stubFor(get(urlPathMatching("/" + BUCKET + "/?")).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/xml").withHeader("x-amz-request-id", "656c76696e672d7468")
                .withBody("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code><Message>Access "
                        + "Denied</Message><RequestId>656c76696e672d7468</RequestId><HostId>Uuag1LuByRx9e6j5Onimru9pO4"
                        + "ZVKnJ2Qz7/C1NPcfTWAtRPfTaOFg==</HostId></Error>")));
        FlowLogConnector connector = new FlowLogConnector(model, "vpc-flow-logs", 60, source());
        assertThatThrownBy(() -> collect(connector)).isInstanceOf(IOException.class)
                .hasMessageStartingWith("flow logs in 's3://" + BUCKET + "/" + PREFIX + "' cannot be read: ")
                .hasMessageContaining("Access Denied").hasMessageContaining("403");
        assertThat(connector.status().message()).contains("Access Denied");
    }

    @Test
    void theLocationSaysBucketAndPrefix() {
        assertThat(S3FlowSource.parse("s3://logs/AWSLogs/1/vpcflowlogs/")).containsExactly("logs",
                "AWSLogs/1/vpcflowlogs/");
        assertThat(S3FlowSource.parse("s3://logs")).containsExactly("logs", "");
        assertThat(S3FlowSource.parse("/var/flowlogs")).isNull();
        assertThatThrownBy(() -> S3FlowSource.parse("s3:///x")).hasMessage("flow log location 's3:///x' names no bucket");
    }
}
