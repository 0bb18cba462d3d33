package dev.mandate.kernel.export.s3.internal;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import dev.mandate.api.evidence.EvidenceRecord;
import dev.mandate.api.evidence.EvidenceSink;
import dev.mandate.kernel.export.format.JsonLines;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Writes each batch the exporter hands it as one JSON Lines object
 * ({@code <prefix><first sequence>-<last sequence>.jsonl}, sequences zero-padded so keys sort in
 * chain order) with {@code x-amz-object-lock-mode} and {@code x-amz-object-lock-retain-until-date},
 * so that not even the account can delete or overwrite it before then. A batch offered again after
 * a failure is written under the same key. Credentials come from the SDK's default chain.
 */
@Component(service = EvidenceSink.class, configurationPid = "dev.mandate.kernel.export.s3",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = S3SinkConfig.class, factory = true)
public class S3ObjectLockSink implements EvidenceSink {
    private final String name;
    private final String bucket;
    private final String prefix;
    private final ObjectLockMode mode;
    private final Duration retention;
    private final S3Client s3;
    private final Clock clock;

    @Activate
    public S3ObjectLockSink(S3SinkConfig config) {
        this(config.name(), config.bucket(), config.prefix(), config.lockMode(), Duration.ofDays(config.retainDays()),
                client(config.region(), config.endpoint(), config.accessKeyId(), config.secretAccessKey()),
                Clock.systemUTC());
    }

    public S3ObjectLockSink(String name, String bucket, String prefix, String lockMode, Duration retention, S3Client s3,
            Clock clock) {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("the evidence s3 sink needs a bucket");
        }
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retainDays must be positive, was " + retention.toDays());
        }
        this.name = name;
        this.bucket = bucket;
        this.prefix = prefix == null ? "" : prefix;
        this.mode = ObjectLockMode.fromValue(lockMode.toUpperCase(Locale.ROOT));
        if (mode == ObjectLockMode.UNKNOWN_TO_SDK_VERSION) {
            throw new IllegalArgumentException("lockMode must be COMPLIANCE or GOVERNANCE, was '" + lockMode + "'");
        }
        this.retention = retention;
        this.s3 = s3;
        this.clock = clock;
    }

    private static S3Client client(String region, String endpoint, String accessKeyId, String secretAccessKey) {
        S3ClientBuilder builder = S3Client.builder().region(Region.of(region))
                .httpClientBuilder(UrlConnectionHttpClient.builder());
        if (accessKeyId != null && !accessKeyId.isBlank()) {
            builder.credentialsProvider(StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(accessKeyId, secretAccessKey == null ? "" : secretAccessKey)));
        }
        if (endpoint != null && !endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint)).forcePathStyle(true);
        }
        return builder.build();
    }

    @Deactivate
    void close() {
        s3.close();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void export(List<EvidenceRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        StringBuilder text = new StringBuilder(records.size() * 600);
        for (EvidenceRecord record : records) {
            text.append(JsonLines.line(record)).append('\n');
        }
        String key = key(records.get(0).sequence(), records.get(records.size() - 1).sequence());
        Instant retainUntil = clock.instant().plus(retention);
        s3.putObject(PutObjectRequest.builder().bucket(bucket).key(key).contentType(JsonLines.MEDIA_TYPE)
                .objectLockMode(mode).objectLockRetainUntilDate(retainUntil).build(),
                RequestBody.fromString(text.toString(), StandardCharsets.UTF_8));
    }

    /** The object key of the batch {@code first} to {@code last}. */
    public String key(long first, long last) {
        return String.format(Locale.ROOT, "%s%020d-%020d.jsonl", prefix, first, last);
    }
}
