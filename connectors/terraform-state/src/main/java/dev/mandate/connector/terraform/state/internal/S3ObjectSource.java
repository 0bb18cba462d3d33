package dev.mandate.connector.terraform.state.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.function.Supplier;

import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * A Terraform state in an S3 bucket (the {@code s3} backend), read with the AWS SDK v2 S3 client over
 * the JDK's URL connection (no Apache, Netty or CRT client). Each read asks HeadObject for the ETag
 * and downloads the object (GetObject with {@code If-Match} on that ETag) only when it changed since
 * the last read; otherwise the copy of that read is parsed again. Credentials come from the SDK's
 * default chain (environment, system properties, profile, container or instance role). The client
 * is built on the first read, on the reconciler's thread, never during activation. Thread-safe.
 */
final class S3ObjectSource implements StateSource, AutoCloseable {
    /** The largest state read into memory. */
    static final long MAX_BYTES = 256L * 1024 * 1024;

    private final String bucket;
    private final String key;
    private final Supplier<S3Client> factory;
    private S3Client client; // guarded by this
    private String etag; // guarded by this
    private byte[] content; // guarded by this

    S3ObjectSource(String bucket, String key, Supplier<S3Client> factory) {
        this.bucket = bucket;
        this.key = key;
        this.factory = factory;
    }

    /** A client for {@code region}, or for an S3-compatible {@code endpoint} (path-style when asked). */
    static Supplier<S3Client> client(String region, String endpoint, boolean pathStyle) {
        return () -> {
            var builder = S3Client.builder()
                    .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(10))
                            .socketTimeout(Duration.ofSeconds(60)).build())
                    .region(Region.of(region))
                    .forcePathStyle(pathStyle);
            if (endpoint != null && !endpoint.isBlank()) {
                builder.endpointOverride(URI.create(endpoint));
            }
            return builder.build();
        };
    }

    @Override
    public String location() {
        return "s3://" + bucket + "/" + key;
    }

    @Override
    public synchronized InputStream open() throws IOException {
        try {
            if (client == null) {
                client = factory.get();
            }
            HeadObjectResponse head = client.headObject(HeadObjectRequest.builder().bucket(bucket).key(key).build());
            if (head.contentLength() != null && head.contentLength() > MAX_BYTES) {
                throw new IOException("s3 object '" + location() + "' is " + head.contentLength()
                        + " bytes, more than the limit of 256 MiB");
            }
            if (content == null || head.eTag() == null || !head.eTag().equals(etag)) {
                GetObjectRequest.Builder get = GetObjectRequest.builder().bucket(bucket).key(key);
                if (head.eTag() != null) {
                    get.ifMatch(head.eTag()); // the version HeadObject saw, or a failed read (and a retry next run)
                }
                ResponseBytes<GetObjectResponse> object = client.getObjectAsBytes(get.build());
                content = object.asByteArray();
                etag = object.response().eTag() != null ? object.response().eTag() : head.eTag();
            }
            return new ByteArrayInputStream(content);
        } catch (AbortedException e) {
            throw new InterruptedIOException("read of '" + location() + "' interrupted");
        } catch (SdkException e) {
            throw new IOException("s3 object '" + location() + "' cannot be read: " + firstLine(e.getMessage()), e);
        }
    }

    /** The ETag of the copy read last ({@code null} before the first read). */
    synchronized String etag() {
        return etag;
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
            client = null;
        }
    }

    static String firstLine(String message) {
        if (message == null) {
            return "no reason given";
        }
        int end = message.indexOf('\n');
        return (end < 0 ? message : message.substring(0, end)).trim();
    }
}
