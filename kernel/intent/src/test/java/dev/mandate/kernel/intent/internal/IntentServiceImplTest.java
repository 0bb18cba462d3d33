package dev.mandate.kernel.intent.internal;

import static dev.mandate.kernel.intent.internal.Fixtures.DATA_STORES;
import static dev.mandate.kernel.intent.internal.Fixtures.TEAMS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Hashtable;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.ArgumentCaptor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;

import dev.mandate.kernel.intent.Problem;
import dev.mandate.kernel.ledger.testing.InMemoryLedger;

/** The component as DS builds it: its own executor, the folder poller, the extender and the ledger. */
class IntentServiceImplTest {

    @TempDir
    Path folder;

    private final InMemoryLedger ledger = new InMemoryLedger();
    private IntentServiceImpl service;

    @AfterEach
    void stop() {
        if (service != null) {
            service.deactivate();
        }
    }

    @Test
    void loadsTheFolderOnItsOwnExecutorAndRecordsEvidence() throws IOException {
        Files.writeString(folder.resolve("teams.yaml"), TEAMS);
        Files.writeString(folder.resolve("data.yaml"), DATA_STORES);

        service = new IntentServiceImpl(ledger, context(new Bundle[0]), config(folder.toString(), 1));

        await(() -> service.blueprint("prod-data-store").isPresent());
        assertThat(service.team("team-platform")).isPresent();
        assertThat(service.generation()).isPositive();
        await(() -> recorded("blueprint.loaded prod-data-store"));

        Files.delete(folder.resolve("data.yaml"));
        await(() -> service.blueprints().isEmpty());
        await(() -> recorded("blueprint.withdrawn prod-data-store"));
    }

    @Test
    void readsBundlesThatCarryTheHeaderAndWithdrawsThemWhenTheyStop() throws IOException {
        Path pack = Files.createDirectories(folder.resolve("pack/blueprints"));
        Files.writeString(pack.resolve("teams.yaml"), TEAMS);
        Files.writeString(pack.resolve("data.yaml"), DATA_STORES);
        Bundle bundle = mock(Bundle.class);
        when(bundle.getSymbolicName()).thenReturn("dev.example.pack");
        when(bundle.getState()).thenReturn(Bundle.ACTIVE);
        Hashtable<String, String> headers = new Hashtable<>();
        headers.put(BlueprintExtender.HEADER, "blueprints");
        when(bundle.getHeaders(anyString())).thenReturn(headers);
        when(bundle.findEntries(eq("blueprints"), eq("*.yaml"), eq(false))).thenAnswer(invocation -> Collections
                .enumeration(List.of(entry(pack, "data.yaml"), entry(pack, "teams.yaml"))));

        BundleContext context = context(new Bundle[] {bundle});
        service = new IntentServiceImpl(ledger, context, config("", 1));

        await(() -> service.blueprint("prod-data-store").isPresent());
        assertThat(service.blueprint("prod-data-store").orElseThrow().origin())
                .endsWith("dev.example.pack/blueprints/data.yaml");

        // the bundle stops: the tracker hears it through the listener it registered
        ArgumentCaptor<BundleListener> listener = ArgumentCaptor.forClass(BundleListener.class);
        verify(context).addBundleListener(listener.capture());
        when(bundle.getState()).thenReturn(Bundle.STOPPING);
        listener.getValue().bundleChanged(new BundleEvent(BundleEvent.STOPPING, bundle));
        await(() -> service.blueprints().isEmpty());
        // the withdrawal is recorded just after the documents leave: wait for the record too
        await(() -> recorded("blueprint.withdrawn prod-data-store"));
    }

    @Test
    void servesOwnershipShadowReportsAndPromotionFromTheFolder() throws IOException {
        Files.writeString(folder.resolve("teams.yaml"), TEAMS);
        Files.writeString(folder.resolve("data.yaml"), DATA_STORES);
        Files.writeString(folder.resolve("data-v2.yaml"), DATA_STORES.replace("version: 1.0.0", "version: 1.1.0")
                .replace("spec:\n", "spec:\n  rollout: shadow\n"));
        Files.writeString(folder.resolve("ownership.yaml"), """
                apiVersion: mandate.dev/v1
                kind: Ownership
                metadata: {name: org, version: 1.0.0, owner: team-platform}
                spec:
                  rules:
                    - {id: rds, selector: {kinds: [aws:rds:db-instance]}, accountable: team-platform}
                """);
        service = new IntentServiceImpl(ledger, context(new Bundle[0]), config(folder.toString(), 1));

        await(() -> service.shadowReport("prod-data-store").isPresent());
        await(() -> service.ownership(Fixtures.rds("prod")).isPresent());
        assertThat(service.ownership(Fixtures.rds("prod")).orElseThrow().source()).isEqualTo("ownership:org@1.0.0#rds");
        assertThat(service.shadowReport("prod-data-store").orElseThrow().shadow()).isEqualTo("1.1.0");

        assertThat(service.promote("prod-data-store").version()).isEqualTo("1.1.0");
        assertThat(service.blueprint("prod-data-store").orElseThrow().version()).isEqualTo("1.1.0");
        await(() -> recorded("blueprint.promoted prod-data-store"));
    }

    @Test
    void aPromotionOutlivesARestartOfTheService(@TempDir Path data) throws IOException {
        Files.writeString(folder.resolve("teams.yaml"), TEAMS);
        Files.writeString(folder.resolve("data.yaml"), DATA_STORES);
        Files.writeString(folder.resolve("data-v2.yaml"), DATA_STORES.replace("version: 1.0.0", "version: 1.1.0")
                .replace("spec:\n", "spec:\n  rollout: shadow\n"));
        BundleContext context = context(new Bundle[0]);
        when(context.getDataFile(anyString())).thenAnswer(call -> data.resolve((String) call.getArgument(0)).toFile());
        service = new IntentServiceImpl(ledger, context, config(folder.toString(), 1));
        await(() -> service.shadowReport("prod-data-store").isPresent());
        service.promote("prod-data-store");
        service.deactivate();

        service = new IntentServiceImpl(ledger, context, config(folder.toString(), 1));
        // both files load one after the other: the promoted version is in force once the shadow file is read
        await(() -> service.blueprint("prod-data-store").filter(b -> b.version().equals("1.1.0")).isPresent());

        assertThat(service.detail("prod-data-store").orElseThrow().promoted()).isTrue();
        assertThat(service.shadowReport("prod-data-store")).isEmpty();
    }

    @Test
    void validatesWithoutLoading() throws IOException {
        Files.writeString(folder.resolve("teams.yaml"), TEAMS);
        service = new IntentServiceImpl(ledger, context(new Bundle[0]), config(folder.toString(), 1));
        await(() -> service.team("team-platform").isPresent());

        List<Problem> problems = service.validate("candidate.yaml",
                DATA_STORES.replace("request.action == \"delete\" && actor", "request.action == \"delete\" && actr"));

        assertThat(problems).extracting(Problem::toString)
                .containsExactly("candidate.yaml:9:44: constraint 'no-ai-delete': undeclared reference to 'actr'");
        assertThat(service.blueprints()).isEmpty();
    }

    @Test
    void theFolderDefaultFollowsKarafEtc() {
        String before = System.getProperty("karaf.etc");
        try {
            System.clearProperty("karaf.etc");
            assertThat(IntentServiceImpl.resolve("${karaf.etc}/mandate/blueprints")).isNull();
            System.setProperty("karaf.etc", "/opt/karaf/etc");
            assertThat(IntentServiceImpl.resolve("${karaf.etc}/mandate/blueprints"))
                    .isEqualTo("/opt/karaf/etc/mandate/blueprints");
            assertThat(IntentServiceImpl.resolve(" ")).isNull();
        } finally {
            if (before == null) {
                System.clearProperty("karaf.etc");
            } else {
                System.setProperty("karaf.etc", before);
            }
        }
    }

    private static URL entry(Path folder, String name) throws IOException {
        // what Bundle.findEntries returns: a URL whose path is the entry's path in the bundle
        Path file = folder.resolve(name);
        return new URL("file", "", -1, "/blueprints/" + name, new java.net.URLStreamHandler() {
            @Override
            protected java.net.URLConnection openConnection(URL url) throws IOException {
                return file.toUri().toURL().openConnection();
            }
        });
    }

    private static void await(BooleanSupplier condition) {
        Fixtures.await(condition);
    }

    private static BundleContext context(Bundle[] bundles) {
        BundleContext context = mock(BundleContext.class);
        when(context.getBundles()).thenReturn(bundles);
        return context;
    }

    /** Whether the ledger holds a record of this type naming this blueprint, as {@code "<type> <name>"}. */
    private boolean recorded(String typeAndName) {
        return ledger.records().stream().anyMatch(r -> (r.type() + " " + r.payload().get("name")).equals(typeAndName));
    }

    private static IntentServiceConfig config(String folder, int interval) {
        return new IntentServiceConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return IntentServiceConfig.class;
            }

            @Override
            public String folder() {
                return folder;
            }

            @Override
            public int pollInterval() {
                return interval;
            }
        };
    }
}
