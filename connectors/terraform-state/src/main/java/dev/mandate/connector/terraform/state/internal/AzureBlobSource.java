package dev.mandate.connector.terraform.state.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Supplier;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobClientBuilder;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.DownloadRetryOptions;
import com.azure.storage.common.StorageSharedKeyCredential;

/**
 * A Terraform state in an Azure blob container (the {@code azurerm} backend), read with the Azure
 * Storage Blob client over the JDK's HTTP client (no Netty). Each read gets the blob's properties
 * for its ETag and downloads it ({@code If-Match} on that ETag) only when it changed since the last
 * read. Authorisation is a SAS token or the account key from the configuration, else none (a public
 * container). The client is built on the first read, on the reconciler's thread. Thread-safe.
 */
final class AzureBlobSource implements StateSource {
    private final String url;
    private final Supplier<BlobClient> factory;
    private BlobClient client; // guarded by this
    private String etag; // guarded by this
    private byte[] content; // guarded by this

    AzureBlobSource(String url, Supplier<BlobClient> factory) {
        this.url = url;
        this.factory = factory;
    }

    /** A client for the blob at {@code url}, with a SAS token or an account key when given. */
    static Supplier<BlobClient> client(String url, String sasToken, String accountKey) {
        return () -> {
            BlobClientBuilder builder = new BlobClientBuilder().endpoint(url)
                    .httpClient(new JdkHttpClientBuilder().build());
            if (sasToken != null && !sasToken.isBlank()) {
                builder.sasToken(sasToken.trim());
            } else if (accountKey != null && !accountKey.isBlank()) {
                BlobClient plain = new BlobClientBuilder().endpoint(url)
                        .httpClient(new JdkHttpClientBuilder().build()).buildClient();
                builder.credential(new StorageSharedKeyCredential(plain.getAccountName(), accountKey.trim()));
            }
            return builder.buildClient();
        };
    }

    @Override
    public String location() {
        return url;
    }

    @Override
    public synchronized InputStream open() throws IOException {
        try {
            if (client == null) {
                client = factory.get();
            }
            BlobProperties properties = client.getProperties();
            if (properties.getBlobSize() > S3ObjectSource.MAX_BYTES) {
                throw new IOException("azure blob '" + url + "' is " + properties.getBlobSize()
                        + " bytes, more than the limit of 256 MiB");
            }
            if (content == null || properties.getETag() == null || !properties.getETag().equals(etag)) {
                BlobRequestConditions conditions = new BlobRequestConditions();
                if (properties.getETag() != null) {
                    conditions.setIfMatch(properties.getETag());
                }
                var response = client.downloadContentWithResponse(new DownloadRetryOptions().setMaxRetryRequests(2),
                        conditions, null, Context.NONE);
                content = response.getValue().toBytes();
                String read = response.getDeserializedHeaders().getETag();
                etag = read != null ? read : properties.getETag();
            }
            return new ByteArrayInputStream(content);
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new java.io.InterruptedIOException("read of '" + url + "' interrupted");
            }
            throw new IOException("azure blob '" + url + "' cannot be read: " + S3ObjectSource.firstLine(e.getMessage()),
                    e);
        }
    }

    /** The ETag of the copy read last ({@code null} before the first read). */
    synchronized String etag() {
        return etag;
    }
}
