package dev.mandate.tools.tfgate;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The Terraform plan gate for any CI system: {@code java -jar mandate-tf-gate.jar plan.json --server URL}
 * posts the plan to {@code POST /mandate/v1/enforce/terraform}, prints the decision per resource change (or
 * the server's JSON with {@code --json}) and exits {@value #ALLOW} allow, {@value #DENY} deny,
 * {@value #NEEDS_APPROVAL} needs approval, {@value #ERROR} error.
 */
public final class TfGate {

    /** Every change is allowed: apply. */
    public static final int ALLOW = 0;
    /** At least one change is denied: do not apply. */
    public static final int DENY = 1;
    /** No change is denied but at least one needs an approval: apply once approved. */
    public static final int NEEDS_APPROVAL = 2;
    /** No decision: bad usage, unreadable plan, malformed plan, server unreachable or failing. */
    public static final int ERROR = 3;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream out;
    private final PrintStream err;
    private final InputStream stdin;

    TfGate(PrintStream out, PrintStream err, InputStream stdin) {
        this.out = out;
        this.err = err;
        this.stdin = stdin;
    }

    public static void main(String[] args) {
        System.exit(new TfGate(System.out, System.err, System.in).run(args, System.getenv()));
    }

    /** Runs the gate and returns the exit code. Never throws. */
    int run(String[] args, Map<String, String> env) {
        Options options;
        try {
            options = Options.parse(args, env);
        } catch (IllegalArgumentException e) {
            err.println("mandate-tf-gate: " + e.getMessage());
            err.println("run with --help for the options");
            return ERROR;
        }
        if (options.help()) {
            out.print(Options.USAGE);
            return ALLOW;
        }
        byte[] plan;
        try {
            plan = "-".equals(options.plan()) ? stdin.readAllBytes() : Files.readAllBytes(Path.of(options.plan()));
        } catch (NoSuchFileException e) {
            err.println("mandate-tf-gate: the plan file '" + options.plan() + "' does not exist");
            return ERROR;
        } catch (IOException e) {
            err.println("mandate-tf-gate: cannot read the plan '" + options.plan() + "': " + e.getMessage());
            return ERROR;
        }
        HttpResponse<String> response;
        try {
            response = post(options, plan);
        } catch (HttpConnectTimeoutException | ConnectException e) {
            err.println("mandate-tf-gate: cannot reach the mandate server at '" + options.server() + "': "
                    + (e.getMessage() == null ? "connection refused" : e.getMessage()));
            return ERROR;
        } catch (HttpTimeoutException e) {
            err.println("mandate-tf-gate: no answer from '" + options.server() + "' within "
                    + options.timeout().toSeconds() + " s");
            return ERROR;
        } catch (IOException e) {
            err.println("mandate-tf-gate: the call to '" + options.server() + "' failed: " + e);
            return ERROR;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("mandate-tf-gate: interrupted while waiting for '" + options.server() + "'");
            return ERROR;
        }
        return answer(options, response);
    }

    private HttpResponse<String> post(Options options, byte[] plan) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(options.timeout())
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpRequest.Builder request = HttpRequest.newBuilder(options.gate()).timeout(options.timeout())
                .header("Content-Type", "application/json").header("Accept", "application/json, application/problem+json")
                .header("User-Agent", "mandate-tf-gate").POST(HttpRequest.BodyPublishers.ofByteArray(plan));
        if (options.token() != null && !options.token().isBlank()) {
            request.header("Authorization", "Bearer " + options.token().trim());
        }
        options.headers().forEach(request::header);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private int answer(Options options, HttpResponse<String> response) {
        String body = response.body();
        JsonNode json = null;
        try {
            json = body == null || body.isBlank() ? null : JSON.readTree(body);
        } catch (JsonProcessingException e) {
            // reported below as an answer that is not JSON
        }
        if (response.statusCode() / 100 != 2) {
            if (options.json() && json != null) {
                out.println(body);
            }
            err.println("mandate-tf-gate: " + problem(response.statusCode(), json, body));
            return ERROR;
        }
        if (json == null || !json.path("outcome").isTextual()) {
            err.println("mandate-tf-gate: the server's answer is not a gate report: " + head(body));
            return ERROR;
        }
        int code = switch (json.path("outcome").asText()) {
            case "ALLOW" -> ALLOW;
            case "DENY" -> DENY;
            case "REQUIRE_APPROVAL" -> NEEDS_APPROVAL;
            default -> ERROR;
        };
        if (code == ERROR) {
            err.println("mandate-tf-gate: unknown outcome '" + json.path("outcome").asText() + "'");
            return ERROR;
        }
        out.print(options.json() ? body + (body.endsWith("\n") ? "" : "\n") : ReportTable.render(json));
        return code;
    }

    /** One line from an RFC 9457 problem (detail, then each error with its JSON pointer), or the status. */
    static String problem(int status, JsonNode json, String body) {
        if (json == null || !json.isObject()) {
            return "the server answered " + status + (body == null || body.isBlank() ? "" : ": " + head(body));
        }
        StringBuilder line = new StringBuilder("the server answered ").append(status);
        String detail = json.path("detail").asText(json.path("title").asText(""));
        if (!detail.isEmpty()) {
            line.append(": ").append(detail);
        }
        for (JsonNode error : json.path("errors")) {
            String pointer = error.path("pointer").asText("");
            String message = error.path("message").asText(error.path("detail").asText(""));
            if (!pointer.isEmpty() && !detail.contains(pointer)) {
                line.append(String.format(Locale.ROOT, "%n  at %s: %s", pointer, message));
            }
        }
        return line.toString();
    }

    private static String head(String body) {
        String text = body == null ? "" : body.strip();
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
