package dev.mandate.enforce.terraform.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mandate.api.decision.Actor;
import dev.mandate.api.enforcement.EnforcementPoint;
import dev.mandate.api.enforcement.EnforcementResult;
import dev.mandate.api.enforcement.InvalidChangeException;
import dev.mandate.enforce.terraform.TerraformGateReport;
import dev.mandate.enforce.terraform.TerraformPlan;
import dev.mandate.terraform.ids.IdContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Does one run task's work after Terraform has been answered: downloads the plan JSON with the run's access
 * token, decides it through the enforcement point (evidence recorded there), and PATCHes the task result to
 * the callback URL, retrying with a doubling pause when Terraform does not take it. Whatever goes wrong, the
 * result sent is {@code failed} with why: a run is never left passing by silence.
 */
final class RunTaskWorker {

    static final String JSON_API = "application/vnd.api+json";
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    private static final int MAX_REDIRECTS = 5;

    private static final Logger LOG = LoggerFactory.getLogger(RunTaskWorker.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final EnforcementPoint enforcementPoint;
    private final TerraformPlanAdapter adapter;
    private final Executor executor;
    private final Duration timeout;
    private final int attempts;
    private final Duration firstPause;

    RunTaskWorker(HttpClient http, EnforcementPoint enforcementPoint, TerraformPlanAdapter adapter, Executor executor,
            Duration timeout, int attempts, Duration firstPause) {
        this.http = http;
        this.enforcementPoint = enforcementPoint;
        this.adapter = adapter;
        this.executor = executor;
        this.timeout = timeout;
        this.attempts = Math.max(1, attempts);
        this.firstPause = firstPause;
    }

    /** Queues the work; returns at once. */
    void submit(RunTaskRequest request, Actor actor, IdContext context) {
        executor.execute(() -> callback(request, decide(request, actor, context), 1));
    }

    /** The task result for the run: the decided plan, or failed with why it could not be decided. */
    Map<String, Object> decide(RunTaskRequest request, Actor actor, IdContext context) {
        if (request.planJsonUrl() == null) {
            return TaskResult.failed("mandate decides plans: attach this run task at the post-plan or pre-apply "
                    + "stage, not '" + request.stage() + "'");
        }
        byte[] plan;
        try {
            HttpResponse<byte[]> response = download(request);
            if (response.statusCode() != 200) {
                return TaskResult.failed("mandate could not download the plan of " + request.describe() + ": terraform "
                        + "answered " + response.statusCode());
            }
            plan = response.body();
        } catch (IOException | IllegalArgumentException e) {
            return TaskResult.failed("mandate could not download the plan of " + request.describe() + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return TaskResult.failed("mandate stopped before deciding " + request.describe());
        }
        try {
            TerraformPlan parsed = TerraformPlan.parse(new ByteArrayInputStream(plan)).withActor(actor)
                    .withContext(context).withJustification(justification(request));
            EnforcementResult<TerraformGateReport> result = enforcementPoint.enforce(adapter, parsed);
            return TaskResult.of(result.response().withEnforcement(result.outcome(), result.evidence()));
        } catch (InvalidChangeException e) {
            return TaskResult.failed("the terraform plan is malformed at " + e.path() + ": " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("run task: cannot decide {}", request.describe(), e);
            return TaskResult.failed("mandate could not decide " + request.describe() + ": " + e.getMessage());
        }
    }

    /**
     * GETs the plan JSON with the run's token, then follows Terraform's redirect to its archive (a signed URL)
     * without the token: the token goes to the checked plan URL only, never to where a redirect points.
     */
    private HttpResponse<byte[]> download(RunTaskRequest request) throws IOException, InterruptedException {
        URI location = URI.create(request.planJsonUrl());
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(location).timeout(timeout)
                .header("Authorization", "Bearer " + request.accessToken()).header("Accept", "application/json")
                .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        for (int redirects = 0; REDIRECTS.contains(response.statusCode()); redirects++) {
            String next = response.headers().firstValue("Location").orElse(null);
            if (next == null || redirects >= MAX_REDIRECTS) {
                return response;
            }
            location = location.resolve(next);
            String scheme = location.getScheme();
            if (!"https".equalsIgnoreCase(scheme) && !("http".equalsIgnoreCase(scheme)
                    && "http".equalsIgnoreCase(URI.create(request.planJsonUrl()).getScheme()))) {
                throw new IOException("terraform redirected the plan download to '" + location + "', which is not https");
            }
            response = http.send(HttpRequest.newBuilder(location).timeout(timeout).header("Accept", "application/json")
                    .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        }
        return response;
    }

    private void callback(RunTaskRequest request, Map<String, Object> result, int attempt) {
        int status;
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(request.callbackUrl()))
                    .timeout(timeout).header("Authorization", "Bearer " + request.accessToken())
                    .header("Content-Type", JSON_API).header("Accept", JSON_API)
                    .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(result))).build(),
                    HttpResponse.BodyHandlers.ofString());
            status = response.statusCode();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the task result cannot be written: " + e.getMessage(), e);
        } catch (IOException | IllegalArgumentException e) {
            LOG.debug("run task: callback for {} failed", request.describe(), e);
            status = -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (status / 100 == 2) {
            return;
        }
        if (status / 100 == 4 && status != 429) {
            LOG.warn("run task: terraform refused the result for {} with {}", request.describe(), status);
            return;
        }
        if (attempt >= attempts) {
            LOG.warn("run task: gave up sending the result for {} after {} attempts (last status {})",
                    request.describe(), attempt, status);
            return;
        }
        long pause = firstPause.toMillis() << (attempt - 1);
        CompletableFuture.delayedExecutor(pause, TimeUnit.MILLISECONDS, executor)
                .execute(() -> callback(request, result, attempt + 1));
    }

    private static String justification(RunTaskRequest request) {
        StringBuilder text = new StringBuilder("terraform ").append(request.describe());
        if (request.runCreatedBy() != null) {
            text.append(" by ").append(request.runCreatedBy());
        }
        if (request.runMessage() != null) {
            text.append(": ").append(request.runMessage());
        }
        return text.toString();
    }
}
