package dev.mandate.itests;

import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.systemTimeout;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.security.PrivilegedExceptionAction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

import javax.inject.Inject;
import javax.security.auth.Subject;

import org.apache.karaf.features.Feature;
import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.ops4j.pax.exam.options.extra.VMOption;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.util.tracker.ServiceTracker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Boots the assembled Mandate distribution (the tar.gz the karaf-distribution module builds, taken by
 * file path so that {@code ./mvnw verify} works on a clean clone) under Pax Exam, one instance per test
 * class, and offers what the tests need inside it: shell commands, feature installs, service waits,
 * HTTP calls against the REST API and polling with a timeout.
 *
 * <p>{@link #config()} runs in the Maven test JVM; the test methods run inside Karaf, so everything a
 * test needs at run time (the HTTP port) travels as a system property of the Karaf JVM.
 */
public abstract class MandateTestSupport {

    /** How long a condition may take to become true before a test fails. */
    protected static final Duration TIMEOUT = Duration.ofSeconds(90);

    private static final Duration POLL_INTERVAL = Duration.ofMillis(250);
    private static final String HTTP_PORT = "mandate.it.http.port";
    private static final Principal[] ADMIN = {new RolePrincipal("admin"), new RolePrincipal("manager"),
            new RolePrincipal("viewer"), new RolePrincipal("systembundles")};

    protected static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    protected BundleContext bundleContext;

    @Inject
    protected FeaturesService featuresService;

    @Inject
    protected SessionFactory sessionFactory;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static final AtomicBoolean REAPER = new AtomicBoolean();

    @Configuration
    public Option[] config() {
        stopContainersWhenTheTestJvmExits();
        File archive = new File(required("mandate.distribution.archive"));
        if (!archive.isFile()) {
            throw new IllegalStateException("the distribution archive '" + archive
                    + "' does not exist: build it first, e.g. ./mvnw -B verify from the repository root");
        }
        File localRepository = new File(required("mandate.it.localRepository"));
        String httpPort = String.valueOf(freePort());
        List<Option> options = new ArrayList<>(List.of(
                karafDistributionConfiguration()
                        .frameworkUrl(archive.toURI().toString())
                        .karafVersion(required("mandate.it.karafVersion"))
                        .name("Mandate")
                        .unpackDirectory(new File(required("mandate.it.unpackDirectory")))
                        .useDeployFolder(false),
                configureConsole().ignoreLocalConsole(),
                logLevel(LogLevel.INFO),
                systemProperty(HTTP_PORT).value(httpPort),
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", httpPort),
                editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", String.valueOf(freePort())),
                editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiRegistryPort",
                        String.valueOf(freePort())),
                editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiServerPort",
                        String.valueOf(freePort())),
                // offline as shipped, plus the Maven local repository (read only) for Pax Exam's own bundles
                editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.defaultRepositories",
                        "${karaf.home.uri}system@id=system.repository@snapshots,"
                                + localRepository.toURI() + "@id=maven.local@snapshots"),
                editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.repositories", ""),
                new VMOption("-Xmx768m"),
                // on a loaded machine the test probe may start well before Pax Exam's invoker does;
                // swissbox waits 10 s for the invoker service by default
                systemProperty("org.ops4j.pax.exam.raw.extender.intern.Parser.DEFAULT_TIMEOUT").value("120000"),
                // and the test JVM waits 180 s by default for the probe of a container that boots every feature:
                // under a load of 20 on two cores that was seen to run out (a passing container boots in 20-40 s idle)
                systemTimeout(360_000)));
        options.addAll(java17LaunchOptions(required("mandate.it.karafVersion")));
        if (Boolean.getBoolean("mandate.it.keep")) {
            options.add(keepRuntimeFolder());
        }
        return options.toArray(Option[]::new);
    }

    /**
     * Pax Exam leaves the Karaf process running when the container never comes up; make sure no
     * instance outlives the test JVM that launched it.
     */
    private static void stopContainersWhenTheTestJvmExits() {
        if (REAPER.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(
                    () -> ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly),
                    "mandate-itest-container-reaper"));
        }
    }

    /**
     * What bin/karaf passes to a Java 9+ JVM and Pax Exam's launcher does not: without the patched
     * locator in java.base, spec bundles (the JAX-RS API among them) cannot find their providers.
     * Paths are relative to the unpacked distribution, the container's working directory.
     */
    private static List<Option> java17LaunchOptions(String karafVersion) {
        List<Option> options = new ArrayList<>();
        for (String option : List.of(
                "--add-reads=java.xml=java.logging",
                "--add-exports=java.base/org.apache.karaf.specs.locator=java.xml,ALL-UNNAMED",
                "--patch-module", "java.base=lib/endorsed/org.apache.karaf.specs.locator-" + karafVersion + ".jar",
                "--patch-module", "java.xml=lib/endorsed/org.apache.karaf.specs.java.xml-" + karafVersion + ".jar",
                "--add-opens", "java.base/java.security=ALL-UNNAMED",
                "--add-opens", "java.base/java.net=ALL-UNNAMED",
                "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "--add-opens", "java.base/java.util=ALL-UNNAMED",
                "--add-opens", "java.naming/javax.naming.spi=ALL-UNNAMED",
                "--add-opens", "java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.file=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.ftp=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.http=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.https=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.jar=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.content.text=ALL-UNNAMED",
                "--add-exports=jdk.xml.dom/org.w3c.dom.html=ALL-UNNAMED",
                "--add-exports=jdk.naming.rmi/com.sun.jndi.url.rmi=ALL-UNNAMED",
                "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
                "--add-exports=java.security.sasl/com.sun.security.sasl=ALL-UNNAMED",
                "-classpath", "lib/jdk9plus/*" + File.pathSeparator + "lib/boot/*")) {
            options.add(new VMOption(option));
        }
        return options;
    }

    // ---------------------------------------------------------------- shell

    /** Runs a Karaf shell command as an administrator and returns what it printed (and returned). */
    protected String executeCommand(String command) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Callable<String> run = () -> {
            try (Session session = sessionFactory.create(System.in, out, out)) {
                Object result = session.execute(command);
                if (result != null) {
                    out.println(result);
                }
                out.flush();
                return bytes.toString(StandardCharsets.UTF_8);
            }
        };
        Subject admin = new Subject();
        admin.getPrincipals().addAll(Arrays.asList(ADMIN));
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<String> result = executor.submit(
                    () -> Subject.doAs(admin, (PrivilegedExceptionAction<String>) run::call));
            return result.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("command '" + command + "' did not finish within " + TIMEOUT
                    + "; printed so far: " + bytes.toString(StandardCharsets.UTF_8), e);
        } catch (Exception e) {
            throw new AssertionError("command '" + command + "' failed: " + e.getMessage()
                    + "; printed: " + bytes.toString(StandardCharsets.UTF_8), e);
        } finally {
            executor.shutdownNow();
        }
    }

    // ------------------------------------------------------------- features

    /** Installs a feature (without refreshing other bundles, which would include this test's probe) and checks it is installed. */
    protected void installAndAssertFeature(String name) throws Exception {
        featuresService.installFeature(name, EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        Feature feature = featuresService.getFeature(name);
        assertNotNull("feature '" + name + "' is not in any repository", feature);
        assertTrue("feature '" + name + "' is not installed after feature:install",
                featuresService.isInstalled(feature));
    }

    /** Whether the named feature is installed (a root requirement or a dependency of one). */
    protected boolean isFeatureInstalled(String name) {
        try {
            Feature feature = featuresService.getFeature(name);
            assertNotNull("feature '" + name + "' is not in any repository", feature);
            return featuresService.isInstalled(feature);
        } catch (Exception e) {
            throw new AssertionError("cannot look up feature '" + name + "': " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------- services

    /** Waits until a service of the given type (and filter, may be null) is registered, and returns it. */
    protected <T> T waitForService(Class<T> type, String filter) throws InvalidSyntaxException, InterruptedException {
        String spec = "(objectClass=" + type.getName() + ")";
        if (filter != null) {
            spec = "(&" + spec + filter + ")";
        }
        ServiceTracker<T, T> tracker = new ServiceTracker<>(bundleContext, FrameworkUtil.createFilter(spec), null);
        tracker.open(true);
        try {
            T service = tracker.waitForService(TIMEOUT.toMillis());
            assertNotNull("no service " + spec + " within " + TIMEOUT, service);
            return service;
        } finally {
            tracker.close();
        }
    }

    // ----------------------------------------------------------------- HTTP

    /** The base URL of this instance's HTTP service, e.g. {@code http://localhost:34567}. */
    protected static String baseUrl() {
        return "http://localhost:" + required(HTTP_PORT);
    }

    protected HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).GET().header("Accept", "application/json"));
    }

    protected HttpResponse<String> postJson(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json"));
    }

    /** A JSON POST with an {@code Authorization} header ({@code null}: none). */
    protected HttpResponse<String> postJson(String path, String body, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream");
        return send(authorization == null ? request : request.header("Authorization", authorization));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling the REST API", e);
        }
    }

    protected static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("response is no JSON: " + response.statusCode() + " " + response.body(), e);
        }
    }

    protected static String contentType(HttpResponse<String> response) {
        return response.headers().firstValue("Content-Type").orElse("");
    }

    // -------------------------------------------------------------- polling

    /**
     * Whether a response came from the resource itself. While features install, the JAX-RS whiteboard
     * rebuilds its application each time a resource or extension joins: until the resource is in, the path
     * is a 404, and a request that meets the rebuild can get a 500 from CXF ("incomingObserver is null").
     * A resource that stays 404 or 5xx still fails the poll after {@link #TIMEOUT}.
     */
    protected static boolean servedByTheResource(HttpResponse<String> response) {
        return response.statusCode() != 404 && response.statusCode() < 500;
    }

    /**
     * Calls {@code attempt} until {@code done} accepts its result and returns that result; fails after
     * {@link #TIMEOUT} with the last result or exception. Exceptions thrown by an attempt count as "not yet".
     */
    protected static <T> T poll(String what, Callable<T> attempt, Predicate<? super T> done) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        Object last = null;
        Throwable lastError = null;
        while (true) {
            try {
                T value = attempt.call();
                if (done.test(value)) {
                    return value;
                }
                last = value;
                lastError = null;
            } catch (Exception | AssertionError e) {
                lastError = e;
            }
            if (System.nanoTime() > deadline) {
                AssertionError failure = new AssertionError(
                        what + " not reached within " + TIMEOUT + "; last seen: " + describe(last, lastError));
                if (lastError != null) {
                    failure.initCause(lastError);
                }
                throw failure;
            }
            LockSupport.parkNanos(POLL_INTERVAL.toNanos());
        }
    }

    private static String describe(Object last, Throwable lastError) {
        if (lastError != null) {
            return lastError.toString();
        }
        if (last instanceof HttpResponse<?> response) {
            return response.statusCode() + " " + response.body();
        }
        return String.valueOf(last);
    }

    // ---------------------------------------------------------------- misc

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property '" + property + "' is not set (run the tests through Maven)");
        }
        return value;
    }

    protected static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free local port", e);
        }
    }
}
