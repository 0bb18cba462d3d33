package dev.mandate.itests;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.github.tomakehurst.wiremock.WireMockServer;

/**
 * A local HTTP server playing HCP Terraform for the run task (WireMock, in the Maven test JVM): the plan JSON
 * URL redirects to an archive URL serving the plan, the task result callback takes PATCHes. The test inside
 * Karaf reads what was PATCHed through WireMock's admin API. Used only from {@code config()}, never inside
 * Karaf, where WireMock is not installed.
 */
final class TerraformCloudPeer {

    static final String PLAN_PATH = "/api/v2/plans/plan-6AFmRJW1PFJ7qbAh/json-output";
    static final String ARCHIVE_PATH = "/archivist/v1/object/dmF1bHQ6djE6b3JkZXJz";
    static final String CALLBACK_PATH = "/api/v2/task-results/5ea8d46c-2ceb-42cd-83f2-82e54697bddd/callback";

    private static WireMockServer server;

    private TerraformCloudPeer() {
    }

    /** Starts the peer once per test JVM, serving {@code plan}; returns its base URL. */
    static synchronized String start(Path plan) {
        if (server == null) {
            byte[] body;
            try {
                body = Files.readAllBytes(plan);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            WireMockServer started = new WireMockServer(options().dynamicPort());
            started.start();
            started.stubFor(get(urlEqualTo(PLAN_PATH)).willReturn(aResponse().withStatus(307)
                    .withHeader("Location", started.baseUrl() + ARCHIVE_PATH)));
            started.stubFor(get(urlEqualTo(ARCHIVE_PATH)).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/json").withBody(body)));
            started.stubFor(patch(urlEqualTo(CALLBACK_PATH)).willReturn(aResponse().withStatus(200)));
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "terraform-cloud-peer-stop"));
            server = started;
        }
        return server.baseUrl();
    }
}
