package dev.mandate.connector.terraform.state.internal;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.headRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import dev.mandate.api.connector.ConnectorState;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

/**
 * Terraform state from an S3 bucket and an Azure blob container, read through the real AWS and Azure
 * SDK clients from a local WireMock server that replays the services' response shapes (S3
 * HeadObject/GetObject with a quoted MD5 ETag and x-amz headers, S3's XML errors; Azure Get Blob
 * Properties/Get Blob with x-ms headers and its XML errors) around the real tfstate samples.
 */
class RemoteStateTest {
    private static final Path FIXTURES = Path.of("/work/shared/fixtures/terraform-state");
    private static final String S3_PATH = "/tf-states/network/terraform.tfstate";
    private static final String BLOB_PATH = "/nwtfstate/tfstate/prod.terraform.tfstate";
    private static final String SAS = "sv=2024-11-04&ss=b&srt=o&sp=r&se=2030-01-01T00:00:00Z&sig=c2lnbmF0dXJl";

    @RegisterExtension
    static WireMockExtension cloud = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @BeforeAll
    static void credentials() {
        // the SDK's default chain reads these first; nothing here reaches AWS
        System.setProperty("aws.accessKeyId", "AKIAIOSFODNN7EXAMPLE");
        System.setProperty("aws.secretAccessKey", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    }

    @AfterAll
    static void forget() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    private static byte[] fixture(String name) throws IOException {
        return Files.readAllBytes(FIXTURES.resolve(name));
    }

    private static String etag(byte[] content) throws Exception {
        return "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content)) + "\"";
    }

    private static ResponseDefinitionBuilder s3Object(byte[] content, String etag, boolean body) {
        ResponseDefinitionBuilder response = aResponse().withStatus(200)
                .withHeader("x-amz-id-2", "vlR7PnpV2Ce81l0PRw6jlUpck7Jo5ZsQjryTjKlc5aLWGVHPZLj5NeC6qMa0emYBDXOo6QBU0Wo=")
                .withHeader("x-amz-request-id", "0A49CE4060975EAC")
                .withHeader("Date", "Thu, 26 Nov 2026 07:30:00 GMT")
                .withHeader("Last-Modified", "Wed, 25 Nov 2026 18:02:11 GMT")
                .withHeader("ETag", etag)
                .withHeader("x-amz-server-side-encryption", "AES256")
                .withHeader("Accept-Ranges", "bytes")
                .withHeader("Content-Type", "application/json")
                .withHeader("Server", "AmazonS3");
        response.withHeader("Content-Length", String.valueOf(content.length));
        return body ? response.withBody(content) : response;
    }

    private void serveS3(byte[] content) throws Exception {
        String etag = etag(content);
        cloud.stubFor(head(urlPathEqualTo(S3_PATH)).willReturn(s3Object(content, etag, false)));
        cloud.stubFor(get(urlPathEqualTo(S3_PATH)).withHeader("If-Match", equalTo(etag))
                .willReturn(s3Object(content, etag, true)));
    }

    private TerraformStateConnector s3Connector() {
        return new TerraformStateConnector(TestConfig.of("s3://tf-states/network/terraform.tfstate")
                .with("", "111122223333", "eu-west-1", "team-network").s3(cloud.baseUrl()), key -> null);
    }

    @Test
    void aStateInS3IsReadLikeTheLocalFileAndDownloadedAgainOnlyWhenItsEtagChanges() throws Exception {
        byte[] vpc = fixture("driftctl_aws_vpc.tfstate");
        serveS3(vpc);
        TerraformStateConnector connector = s3Connector();
        assertThat(connector.id()).isEqualTo("tfstate-terraform");

        TerraformStateConnectorTest.Recorded first = new TerraformStateConnectorTest.Recorded();
        connector.collect(first);
        TerraformStateConnectorTest.Recorded local = new TerraformStateConnectorTest.Recorded();
        new TerraformStateConnector(TestConfig.of(FIXTURES.resolve("driftctl_aws_vpc.tfstate").toString())
                .with("", "111122223333", "eu-west-1", "team-network"), key -> null).collect(local);
        assertThat(first.elements).isNotEmpty().isEqualTo(local.elements);
        assertThat(connector.status().state()).isEqualTo(ConnectorState.OK);
        assertThat(connector.status().message()).contains("s3://tf-states/network/terraform.tfstate");
        cloud.verify(getRequestedFor(urlPathEqualTo(S3_PATH))
                .withHeader("Authorization", matching("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/\\d{8}/eu-west-1/s3/aws4_request.*")));

        TerraformStateConnectorTest.Recorded again = new TerraformStateConnectorTest.Recorded();
        connector.collect(again);
        assertThat(again.elements).isEqualTo(first.elements);
        cloud.verify(2, headRequestedFor(urlPathEqualTo(S3_PATH)));
        cloud.verify(1, getRequestedFor(urlPathEqualTo(S3_PATH)));

        byte[] subnets = fixture("driftctl_aws_subnet.tfstate");
        serveS3(subnets);
        TerraformStateConnectorTest.Recorded changed = new TerraformStateConnectorTest.Recorded();
        connector.collect(changed);
        cloud.verify(2, getRequestedFor(urlPathEqualTo(S3_PATH)));
        assertThat(changed.elements.keySet()).isNotEqualTo(first.elements.keySet())
                .allMatch(id -> id.startsWith("aws:ec2:subnet:") || id.startsWith("aws:"));
    }

    @Test
    void anS3ErrorFailsTheCollectionWithTheServicesReason() {
        cloud.stubFor(head(urlPathEqualTo(S3_PATH)).willReturn(aResponse().withStatus(403)
                .withHeader("x-amz-request-id", "7B1F2A3C4D5E6F70")));
        cloud.stubFor(get(urlPathEqualTo(S3_PATH)).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/xml").withBody("""
                        <?xml version="1.0" encoding="UTF-8"?>
                        <Error><Code>AccessDenied</Code><Message>Access Denied</Message>\
                        <RequestId>7B1F2A3C4D5E6F70</RequestId><HostId>host</HostId></Error>""")));
        TerraformStateConnector connector = s3Connector();

        assertThatThrownBy(() -> connector.collect(new TerraformStateConnectorTest.Recorded()))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("terraform state 's3://tf-states/network/terraform.tfstate' cannot be read: "
                        + "s3 object 's3://tf-states/network/terraform.tfstate' cannot be read: ")
                .hasMessageContaining("403");
        assertThat(connector.status().state()).isEqualTo(ConnectorState.ERROR);
    }

    private static ResponseDefinitionBuilder blob(byte[] content, String etag, boolean body) {
        ResponseDefinitionBuilder response = aResponse().withStatus(200)
                .withHeader("Last-Modified", "Wed, 25 Nov 2026 18:02:11 GMT")
                .withHeader("ETag", etag)
                .withHeader("Content-Type", "application/json")
                .withHeader("Content-MD5", java.util.Base64.getEncoder().encodeToString(md5(content)))
                .withHeader("x-ms-request-id", "2a0b1c3d-301e-0055-4f6a-3e1f2b000000")
                .withHeader("x-ms-version", "2025-01-05")
                .withHeader("x-ms-creation-time", "Mon, 02 Nov 2026 09:14:03 GMT")
                .withHeader("x-ms-blob-type", "BlockBlob")
                .withHeader("x-ms-lease-status", "unlocked")
                .withHeader("x-ms-lease-state", "available")
                .withHeader("x-ms-server-encrypted", "true")
                .withHeader("Accept-Ranges", "bytes")
                .withHeader("Date", "Thu, 26 Nov 2026 07:30:00 GMT");
        response.withHeader("Content-Length", String.valueOf(content.length));
        return body ? response.withBody(content) : response;
    }

    private static byte[] md5(byte[] content) {
        try {
            return MessageDigest.getInstance("MD5").digest(content);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private TerraformStateConnector azureConnector() {
        return new TerraformStateConnector(TestConfig.of(cloud.baseUrl().replace("127.0.0.1", "localhost") + BLOB_PATH)
                .with("tfstate-azure-prod", "", "", "team-network").sas(SAS), key -> null);
    }

    @Test
    void aStateInAnAzureBlobContainerIsReadWithItsSasAndDownloadedAgainOnlyWhenItsEtagChanges() throws Exception {
        byte[] nsg = fixture("driftctl_azurerm_nsg.tfstate");
        String etag = "\"0x8DD0C3A1B2C3D4E\"";
        cloud.stubFor(head(urlPathEqualTo(BLOB_PATH)).willReturn(blob(nsg, etag, false)));
        cloud.stubFor(get(urlPathEqualTo(BLOB_PATH)).withHeader("If-Match", matching("\"?0x8DD0C3A1B2C3D4E\"?"))
                .willReturn(blob(nsg, etag, true)));
        TerraformStateConnector connector = azureConnector();

        TerraformStateConnectorTest.Recorded first = new TerraformStateConnectorTest.Recorded();
        connector.collect(first);
        TerraformStateConnectorTest.Recorded local = new TerraformStateConnectorTest.Recorded();
        new TerraformStateConnector(TestConfig.of(FIXTURES.resolve("driftctl_azurerm_nsg.tfstate").toString())
                .with("x", "", "", "team-network"), key -> null).collect(local);
        assertThat(first.elements).isNotEmpty().isEqualTo(local.elements);
        assertThat(first.elements.keySet()).allMatch(id -> id.startsWith("azure:"));
        cloud.verify(getRequestedFor(urlPathEqualTo(BLOB_PATH)).withQueryParam("sig", equalTo("c2lnbmF0dXJl"))
                .withHeader("x-ms-version", matching("\\d{4}-\\d{2}-\\d{2}")));

        connector.collect(new TerraformStateConnectorTest.Recorded());
        cloud.verify(2, headRequestedFor(urlPathEqualTo(BLOB_PATH)));
        cloud.verify(1, getRequestedFor(urlPathEqualTo(BLOB_PATH)));
    }

    @Test
    void aMissingBlobFailsTheCollectionAndTheConnectorReportsWhy() {
        cloud.stubFor(head(urlPathEqualTo(BLOB_PATH)).willReturn(aResponse().withStatus(404)
                .withHeader("x-ms-error-code", "BlobNotFound").withHeader("x-ms-version", "2025-01-05")));
        TerraformStateConnector connector = azureConnector();

        assertThatThrownBy(() -> connector.collect(new TerraformStateConnectorTest.Recorded()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("cannot be read: azure blob '")
                .hasMessageContaining("BlobNotFound");
        assertThat(connector.status().state()).isEqualTo(ConnectorState.ERROR);
    }

    @Test
    void aRemotePathThatNamesNoObjectIsRefusedAtActivation() {
        assertThatThrownBy(() -> new TerraformStateConnector(TestConfig.of("s3://only-a-bucket"), key -> null))
                .hasMessage("path 's3://only-a-bucket' is not s3://<bucket>/<key>");
        assertThatThrownBy(() -> new TerraformStateConnector(TestConfig.of("https://acct.blob.core.windows.net/c"),
                key -> null)).hasMessage("path 'https://acct.blob.core.windows.net/c' is not "
                        + "https://<account>.blob.core.windows.net/<container>/<blob>");
    }
}
