package dev.mandate.enforce.terraform.internal;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mandate.api.decision.Actor;
import dev.mandate.api.enforcement.EnforcementPoint;
import dev.mandate.api.enforcement.RestExtensions;
import dev.mandate.api.evidence.EvidenceLedger;
import dev.mandate.terraform.ids.IdContext;

import javax.ws.rs.Consumes;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtensionSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /mandate/v1/enforce/terraform/run-task}: the HCP Terraform / Terraform Enterprise run task
 * protocol. Checks the request's {@code X-TFC-Task-Signature} (HMAC-SHA512 of the body with the configured
 * key; 401 when it does not hold), answers 200 at once, then downloads the plan, decides it and PATCHes the
 * {@code task-results} to the callback URL on its own thread. Who asks comes from the configuration or the
 * run task URL's query ({@code actor}, {@code kind}, {@code team}, {@code group}, {@code awsAccount} …),
 * default {@code tfc:<organization>/<workspace>}. The run's access token is only ever sent to the configured
 * Terraform hosts ({@link TerraformHosts}): a request naming another host is refused with 403, recorded as
 * {@value #REFUSED} evidence, and nothing is downloaded or called back.
 */
@Component(service = RunTaskResource.class, configurationPid = "dev.mandate.enforce.terraform.runtask")
@Designate(ocd = RunTaskConfig.class)
@JaxrsResource
@JaxrsExtensionSelect({RestExtensions.JSON_PROVIDER, RestExtensions.PROBLEM_MAPPER})
@Path("mandate/v1/enforce/terraform/run-task")
public class RunTaskResource {

    static final String SIGNATURE = "X-TFC-Task-Signature";
    /** The evidence type of a run task request refused because it names a host that is not Terraform's. */
    static final String REFUSED = "run-task.refused";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(RunTaskResource.class);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile EvidenceLedger ledger;

    private final byte[] key;
    private final RunTaskConfig config;
    private final RunTaskWorker worker;
    private final ExecutorService executor;
    private final TerraformHosts hosts;

    @Activate
    public RunTaskResource(@Reference EnforcementPoint enforcementPoint, @Reference TerraformPlanAdapter adapter,
            RunTaskConfig config) {
        this(enforcementPoint, adapter, config, new ThreadPoolExecutor(1, 2, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(256), r -> new Thread(r, "mandate-terraform-run-task")),
                // redirects are followed by the worker, which never sends the token on
                HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                        .connectTimeout(Duration.ofSeconds(Math.max(1, config.timeoutSeconds()))).build(),
                Duration.ofSeconds(1));
    }

    RunTaskResource(EnforcementPoint enforcementPoint, TerraformPlanAdapter adapter, RunTaskConfig config,
            ExecutorService executor, HttpClient http, Duration firstRetryPause) {
        this.key = config.hmacKey() == null ? new byte[0] : config.hmacKey().getBytes(StandardCharsets.UTF_8);
        this.config = config;
        this.hosts = TerraformHosts.of(config.hosts(), config.allowHttp());
        this.executor = executor;
        this.worker = new RunTaskWorker(http, enforcementPoint, adapter, executor,
                Duration.ofSeconds(Math.max(1, config.timeoutSeconds())), config.callbackAttempts(), firstRetryPause);
    }

    @Deactivate
    void deactivate() {
        executor.shutdownNow();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, TerraformGateResource.PROBLEM_JSON})
    @SuppressWarnings("checkstyle:ParameterNumber")
    public Response trigger(byte[] body, @HeaderParam(SIGNATURE) String signature,
            @QueryParam("actor") String actor, @QueryParam("kind") String kind, @QueryParam("team") String team,
            @QueryParam("group") List<String> groups, @QueryParam("awsAccount") String awsAccount,
            @QueryParam("awsRegion") String awsRegion, @QueryParam("azureSubscription") String azureSubscription) {
        if (key.length == 0) {
            return problem(503, "Service Unavailable", "run-task-not-configured", "the run task has no hmac key: set "
                    + "hmacKey in dev.mandate.enforce.terraform.runtask to the key given to terraform");
        }
        if (!signed(body, signature)) {
            return problem(401, "Unauthorized", "bad-run-task-signature", signature == null || signature.isBlank()
                    ? "the run task request is not signed (header " + SIGNATURE + ")"
                    : "the run task request's signature does not hold");
        }
        RunTaskRequest request;
        Actor asking;
        try {
            JsonNode payload = JSON.readTree(body);
            request = RunTaskRequest.of(payload);
            asking = actor(request, actor, kind, team, groups);
        } catch (IOException e) {
            return problem(400, "Bad Request", "invalid-run-task-request", "the run task request is not valid json");
        } catch (IllegalArgumentException e) {
            return problem(400, "Bad Request", "invalid-run-task-request", e.getMessage());
        }
        if (!request.isVerification()) {
            List<String> refusals = refusals(request);
            if (!refusals.isEmpty()) {
                refuse(request, asking, refusals);
                return problem(403, "Forbidden", "run-task-host-not-allowed", "the run task request was refused and "
                        + "its access token not used: " + String.join("; ", refusals));
            }
            try {
                worker.submit(request, asking, new IdContext(awsAccount, awsRegion, azureSubscription));
            } catch (RejectedExecutionException e) {
                // terraform retries a run task that does not answer 200
                return problem(503, "Service Unavailable", "run-task-busy", "mandate is deciding too many runs at once; "
                        + "terraform will retry");
            }
        }
        return Response.ok().build();
    }

    /** Why the request's URLs may not receive the run's token; empty when they all may. */
    private List<String> refusals(RunTaskRequest request) {
        List<String> refusals = new ArrayList<>();
        hosts.refusal("task_result_callback_url", request.callbackUrl()).ifPresent(refusals::add);
        if (request.planJsonUrl() != null) {
            hosts.refusal("plan_json_api_url", request.planJsonUrl()).ifPresent(refusals::add);
        }
        return refusals;
    }

    /** Records the refused request (never its token) as evidence, or at least in the log without a ledger. */
    private void refuse(RunTaskRequest request, Actor asking, List<String> refusals) {
        LOG.warn("run task: refused {}: {}", request.describe(), refusals);
        EvidenceLedger current = ledger;
        if (current == null) {
            return;
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("adapter", "terraform-run-task");
        payload.put("actor", asking.id());
        putPresent(payload, "run", request.runId());
        putPresent(payload, "organization", request.organization());
        putPresent(payload, "workspace", request.workspace());
        putPresent(payload, "stage", request.stage());
        putPresent(payload, "callbackUrl", request.callbackUrl());
        putPresent(payload, "planJsonUrl", request.planJsonUrl());
        payload.put("reasons", refusals);
        payload.put("allowedHosts", List.copyOf(hosts.hosts()));
        try {
            current.append(REFUSED, 0, payload);
        } catch (RuntimeException e) {
            LOG.error("run task: the refusal of {} could not be recorded", request.describe(), e);
        }
    }

    private static void putPresent(Map<String, Object> payload, String key, String value) {
        if (value != null) {
            payload.put(key, value);
        }
    }

    /** The ledger outside OSGi (unit tests). */
    void setLedger(EvidenceLedger ledger) {
        this.ledger = ledger;
    }

    /** Whether {@code signature} is the hex HMAC-SHA512 of {@code body} under the configured key. */
    boolean signed(byte[] body, String signature) {
        if (signature == null || signature.isBlank()) {
            return false;
        }
        byte[] expected = hmac(key, body);
        byte[] given;
        try {
            given = HexFormat.of().parseHex(signature.trim().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(expected, given);
    }

    static byte[] hmac(byte[] key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA512");
            mac.init(new SecretKeySpec(key, "HmacSHA512"));
            return mac.doFinal(body == null ? new byte[0] : body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA512 is not available: " + e.getMessage(), e);
        }
    }

    private Actor actor(RunTaskRequest request, String actor, String kind, String team, List<String> groups) {
        String id = first(actor, config.actor());
        if (id == null) {
            id = "tfc:" + request.organization() + "/" + request.workspace();
        }
        return TerraformGateResource.actor(id, first(kind, config.kind()), first(team, config.team()), groups, null,
                null, null);
    }

    private static String first(String given, String configured) {
        if (given != null && !given.isBlank()) {
            return given;
        }
        return configured == null || configured.isBlank() ? null : configured;
    }

    private static Response problem(int status, String title, String type, String detail) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "https://mandate.dev/problems/" + type);
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        return Response.status(status).type(TerraformGateResource.PROBLEM_JSON).entity(problem).build();
    }
}
