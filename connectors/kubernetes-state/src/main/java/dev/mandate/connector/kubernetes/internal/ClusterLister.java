package dev.mandate.connector.kubernetes.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Lists one resource of the API server page by page ({@code limit} and {@code continue}), handing each list
 * page to the caller. Any answer but 200 ends the listing with an exception: a collection is complete or
 * it failed.
 */
final class ClusterLister {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final URI apiServer;
    private final Supplier<String> token;
    private final int pageSize;
    private final Duration timeout;

    ClusterLister(HttpClient http, URI apiServer, Supplier<String> token, int pageSize, Duration timeout) {
        this.http = http;
        this.apiServer = apiServer;
        this.token = token;
        this.pageSize = pageSize;
        this.timeout = timeout;
    }

    /** Lists {@code resource} completely; {@code page} receives each list object (with its {@code kind}). */
    void list(ResourceType resource, Consumer<JsonNode> page) throws IOException, InterruptedException {
        String next = null;
        do {
            String url = apiServer.toString().replaceAll("/+$", "") + resource.path() + "?limit=" + pageSize
                    + (next == null ? "" : "&continue=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                    .header("Accept", "application/json").GET();
            String bearer = token.get();
            if (bearer != null) {
                request.header("Authorization", "Bearer " + bearer);
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("listing " + resource + " answered " + response.statusCode() + reason(response));
            }
            JsonNode list = JSON.readTree(response.body());
            if (!list.path("items").isArray()) {
                throw new IOException("listing " + resource + " did not answer a list");
            }
            page.accept(list);
            next = list.path("metadata").path("continue").asText("");
            if (next.isEmpty()) {
                next = null;
            }
        } while (next != null);
    }

    private static String reason(HttpResponse<String> response) {
        try {
            String message = JSON.readTree(response.body()).path("message").asText("");
            return message.isEmpty() ? "" : ": " + message;
        } catch (IOException e) {
            return "";
        }
    }
}
