package dev.mandate.benchmarks.enforcement;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import dev.mandate.benchmarks.ScratchFolder;
import dev.mandate.api.decision.DecisionPoint;
import dev.mandate.api.evidence.EvidenceLedger;
import dev.mandate.api.model.RelationType;
import dev.mandate.blueprints.cedar.MandateHarness.IndexModelStore;
import dev.mandate.enforce.kubernetes.internal.AdmissionReviewAdapter;
import dev.mandate.enforce.kubernetes.internal.AdmissionReviewAdapterConfig;
import dev.mandate.enforce.kubernetes.internal.AdmissionWebhookResource;
import dev.mandate.kernel.decision.internal.DecisionPointImpl;
import dev.mandate.kernel.decision.internal.EnforcementPointImpl;
import dev.mandate.kernel.grants.internal.BenchmarkGrants;
import dev.mandate.kernel.intent.internal.IntentRegistry;
import dev.mandate.kernel.intent.internal.IntentSource;
import dev.mandate.kernel.ledger.internal.EvidenceLedgerImpl;
import dev.mandate.kernel.model.internal.ModelIndex;

import javax.ws.rs.core.Response;

/**
 * One admission review in-process, end to end as the webhook serves it minus HTTP: the AdmissionReview bytes
 * parsed, mapped to an action request, decided by the real decision point (baseline and kubernetes-baseline
 * packs loaded through the normal loader), the grant of an ALLOW signed (real Ed25519 issuer), the enforcement
 * recorded in the real evidence ledger (H2 file with WRITE_DELAY=0 as the distribution ships it, or H2 in
 * memory), and the answer built. The ten shared AdmissionReview samples are sent round robin.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class AdmissionReviewBenchmark {

    /** Where the ledger lives: {@code file} (durable, as shipped) or {@code memory}. */
    @Param({"file", "memory"})
    public String ledger;

    /** The shared admission samples. */
    @Param({"../shared/fixtures/k8s-admission"})
    public String samples;

    private static final List<String> BASELINE = List.of("blueprints/team-platform.yaml", "blueprints/ownership.yaml",
            "blueprints/ai-limits.yaml", "blueprints/data-protection.yaml", "blueprints/dependents.yaml");
    private static final List<String> KUBERNETES = List.of("blueprints/pod-security-baseline.yaml",
            "blueprints/pod-security-restricted.yaml", "blueprints/controllers.yaml");

    byte[][] reviews;
    AdmissionWebhookResource webhook;
    Path scratch;
    int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        reviews = reviews(Path.of(samples));
        scratch = ScratchFolder.create("mandate-admission-bench");
        IntentRegistry registry = new IntentRegistry((type, payload) -> { });
        load(registry, "dev.mandate.blueprints.baseline", BASELINE);
        load(registry, "dev.mandate.blueprints.kubernetes", KUBERNETES);
        EvidenceLedger evidence = new EvidenceLedgerImpl(dataSource(), java.time.Clock.systemUTC());
        DecisionPoint decisions = new DecisionPointImpl(new IndexModelStore(ModelIndex.EMPTY.toBuilder().build(1)),
                registry, evidence, BenchmarkGrants.issuer(scratch.resolve("keys")),
                java.time.Clock.systemUTC(), java.util.EnumSet.of(RelationType.DEPENDS_ON, RelationType.CONTAINS),
                10_000);
        webhook = new AdmissionWebhookResource(new EnforcementPointImpl(decisions, evidence),
                new AdmissionReviewAdapter(config()));
        for (byte[] review : reviews) {
            Response answer = webhook.review(new ByteArrayInputStream(review));
            if (answer.getStatus() != 200) {
                throw new IllegalStateException("a sample review was not answered 200: " + answer.getEntity());
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        ScratchFolder.delete(scratch);
    }

    /** The latency distribution (p50, p99 …) of one review. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Object review() {
        byte[] review = reviews[next];
        next = next + 1 == reviews.length ? 0 : next + 1;
        return webhook.review(new ByteArrayInputStream(review)).getEntity();
    }

    private DataSource dataSource() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("file".equals(ledger)
                ? "jdbc:h2:file:" + scratch.resolve("ledger").toAbsolutePath() + ";WRITE_DELAY=0;DB_CLOSE_DELAY=-1"
                : "jdbc:h2:mem:admission-bench;DB_CLOSE_DELAY=-1");
        // DB_CLOSE_DELAY=-1: the database stays open between connections, as under the distribution's pool
        h2.setUser("sa");
        h2.setPassword("");
        try (Connection probe = h2.getConnection()) {
            probe.isValid(1);
        } catch (SQLException e) {
            throw new IllegalStateException("the ledger database does not open: " + e.getMessage(), e);
        }
        return h2;
    }

    private static byte[][] reviews(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new IllegalStateException("samples folder '" + folder.toAbsolutePath() + "' not found (-p samples=…)");
        }
        List<byte[]> reviews = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                String text = Files.readString(file);
                if (!text.contains("\"AdmissionReview\"")) {
                    text = "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":" + text + "}";
                }
                reviews.add(text.getBytes(StandardCharsets.UTF_8));
            }
        }
        return reviews.toArray(byte[][]::new);
    }

    private static void load(IntentRegistry registry, String bundle, List<String> names) {
        List<IntentSource.File> files = new ArrayList<>();
        for (String name : names) {
            try (InputStream in = AdmissionReviewBenchmark.class.getClassLoader().getResourceAsStream(name)) {
                if (in == null) {
                    throw new IllegalStateException("pack file '" + name + "' is not on the class path");
                }
                files.add(new IntentSource.File(name, "bundle:" + bundle + "/" + name,
                        new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        IntentRegistry.LoadResult result = registry.load(new IntentSource("bundle:" + bundle, files));
        if (result.outcome() != IntentRegistry.Outcome.LOADED) {
            throw new IllegalStateException(bundle + " did not load: " + result.problems());
        }
    }

    private static AdmissionReviewAdapterConfig config() {
        return new AdmissionReviewAdapterConfig() {
            @Override
            public Class<? extends java.lang.annotation.Annotation> annotationType() {
                return AdmissionReviewAdapterConfig.class;
            }

            @Override
            public String cluster() {
                return "prod-eu";
            }

            @Override
            public String[] namespaces() {
                return new String[] {"default: environment=prod, trustZone=eu-internal, podSecurity=restricted, "
                    + "owner=team-platform"};
            }

            @Override
            public String defaultEnvironment() {
                return "staging";
            }

            @Override
            public String defaultTrustZone() {
                return "eu-internal";
            }

            @Override
            public String defaultPodSecurity() {
                return "baseline";
            }

            @Override
            public String failurePolicy() {
                return "fail-closed";
            }

            @Override
            public String[] exemptNamespaces() {
                return new String[] {"kube-system"};
            }

            @Override
            public String[] systemUsers() {
                return new String[] {"system:node:*", "system:kube-scheduler"};
            }

            @Override
            public String[] aiUsers() {
                return new String[0];
            }
        };
    }
}
