package dev.mandate.kernel.rest.internal;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.ws.rs.core.Application;

import dev.mandate.kernel.auth.internal.ApiTokens;
import dev.mandate.kernel.auth.internal.CallerAuthenticatorImpl;
import dev.mandate.kernel.auth.internal.JaasAuthenticator;

import org.apache.cxf.jaxrs.servlet.CXFNonSpringJaxrsServlet;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;

/**
 * The REST resources served over real HTTP for tests: Apache CXF (the JAX-RS runtime under Karaf's
 * whiteboard) in Jetty 9.4 (the servlet container of Karaf 4.4's Pax Web), with the API's JSON
 * provider, problem mapper and authentication filter. Authentication runs Karaf's own JAAS
 * properties login module on {@code rest/users.properties}.
 */
final class RestServer implements AutoCloseable {

    static final String REALM = "mandate-test";

    private final Server jetty;
    private final URI base;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    RestServer(Object... resources) throws Exception {
        Set<Object> singletons = new java.util.LinkedHashSet<>(List.of(new JsonProvider(), new ProblemMapper(),
                new ApproverAuthentication(new CallerAuthenticatorImpl(new JaasAuthenticator(REALM, realm(),
                        List.of("mandate-ai"), List.of("mandate-system")), null, ApiTokens.NONE, List.of("mandate-ai"),
                        List.of("mandate-system")))));
        singletons.addAll(List.of(resources));
        jetty = new Server(new InetSocketAddress("127.0.0.1", 0));
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder(new CXFNonSpringJaxrsServlet(new Application() {
            @Override
            public Set<Object> getSingletons() {
                return singletons;
            }
        })), "/*");
        jetty.setHandler(context);
        jetty.start();
        base = URI.create("http://127.0.0.1:" + ((ServerConnector) jetty.getConnectors()[0]).getLocalPort() + "/");
    }

    /** The JAAS realm of the tests: Karaf's PropertiesLoginModule over the test users file. */
    static Configuration realm() throws URISyntaxException {
        URL users = RestServer.class.getClassLoader().getResource("rest/users.properties");
        String file = Path.of(users.toURI()).toString();
        AppConfigurationEntry entry = new AppConfigurationEntry(
                "org.apache.karaf.jaas.modules.properties.PropertiesLoginModule",
                AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, Map.of("users", file));
        return new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                return REALM.equals(name) ? new AppConfigurationEntry[] {entry} : null;
            }
        };
    }

    HttpResponse<String> post(String path, String json) throws Exception {
        return send(request(path).POST(HttpRequest.BodyPublishers.ofString(json)).header("Content-Type",
                "application/json"));
    }

    HttpResponse<String> post(String path, String json, String user, String password) throws Exception {
        return send(request(path).POST(HttpRequest.BodyPublishers.ofString(json)).header("Content-Type",
                "application/json").header("Authorization", basic(user, password)));
    }

    HttpResponse<String> get(String path) throws Exception {
        return send(request(path).GET());
    }

    HttpResponse<String> get(String path, String user, String password) throws Exception {
        return send(request(path).GET().header("Authorization", basic(user, password)));
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).header("Accept",
                "application/json");
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws Exception {
        jetty.stop();
    }
}
