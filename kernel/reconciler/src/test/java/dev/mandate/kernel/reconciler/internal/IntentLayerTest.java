package dev.mandate.kernel.reconciler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.mandate.api.model.ChangeSet;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.Layer;
import dev.mandate.api.model.LayerState;
import dev.mandate.kernel.intent.internal.IntentRegistry;
import dev.mandate.kernel.intent.internal.IntentSource;
import dev.mandate.kernel.ledger.internal.EvidenceLedgerImpl;
import dev.mandate.kernel.model.internal.ModelStoreImpl;
import dev.mandate.kernel.reconciler.DriftFinding;
import dev.mandate.kernel.reconciler.DriftKind;
import dev.mandate.kernel.model.testing.LoadedModelStore;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IntentLayerTest {
    private static final String BUCKET = "aws:s3:bucket:eu-west-1:111122223333:orders-archive";
    private static final String VM = "aws:ec2:instance:eu-west-1:111122223333:i-0abc";
    static final String TEAMS = """
            apiVersion: mandate.dev/v1
            kind: Team
            metadata: {name: team-platform, version: 1.0.0, description: Platform engineering}
            spec:
              displayName: Platform
            """;
    static final String EVERYTHING = """
            apiVersion: mandate.dev/v1
            kind: Blueprint
            metadata: {name: baseline, version: 1.0.0, owner: team-platform, description: Every element}
            spec:
              constraints:
                - id: no-ai-delete
                  when: 'request.action == "delete" && actor.kind == "AI"'
                  effect: deny
                  message: no
            """;
    static final String S3_V1 = """
            apiVersion: mandate.dev/v1
            kind: Blueprint
            metadata: {name: aws-s3, version: 1.0.0, owner: team-platform, description: Buckets}
            spec:
              appliesTo: {kinds: [aws:s3:bucket]}
              variations:
                onViolation: deny
                attributes:
                  publicAccessBlock.blockPublicAcls: {equals: true}
                  encryption.sseAlgorithm: {oneOf: ["aws:kms", "AES256"]}
            """;
    static final String S3_V2 = S3_V1.replace("version: 1.0.0", "version: 2.0.0")
            .replace("oneOf: [\"aws:kms\", \"AES256\"]", "oneOf: [\"aws:kms\"]");

    private ModelStoreImpl store;
    private ModelChanges model;
    private IntentRegistry intent;
    private IntentLayer layer;
    private DriftTracker drift;

    @BeforeEach
    void start() {
        JdbcDataSource database = new JdbcDataSource();
        database.setURL("jdbc:h2:mem:intent-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        store = LoadedModelStore.on(database);
        model = new ModelChanges(store);
        intent = new IntentRegistry((type, payload) -> { });
        load(intent, "teams", TEAMS);
        layer = new IntentLayer(model, intent, null);
        drift = new DriftTracker(model, new EvidenceLedgerImpl(database, Clock.systemUTC()), null, Clock.systemUTC(), 20,
                Set.of("facets"), Duration.ofMinutes(15));
        drift.setIntent(intent);
    }

    @AfterEach
    void stop() {
        store.close();
    }

    private void observe(Element... elements) {
        model.commit(new ChangeSet("aws-prod", Layer.RUNNING, List.of(elements), List.of(), List.of(), List.of()));
    }

    private static Element bucket(boolean blockPublicAcls, String sse) {
        return new Element(BUCKET, null, null, "prod", "eu-internal", "team-payments", Map.of("cost-centre", "42"),
                Map.of("publicAccessBlock", Map.of("blockPublicAcls", blockPublicAcls),
                        "encryption", Map.of("sseAlgorithm", sse)), Map.of());
    }

    private static Element vm() {
        return new Element(VM, null, null, "prod", "eu-internal", "team-web", Map.of(), Map.of("instance_type", "t3.large"),
                Map.of());
    }

    private LayerState intended(String id) {
        return store.current().element(id).orElseThrow().layers().get(Layer.INTENDED);
    }

    private List<String> findings() {
        assertThat(drift.check()).isNull();
        // changes made here have no execution grant: unauthorized findings are DriftTrackerTest's subject
        return drift.findings(null, null, null).stream().filter(finding -> finding.kind() != DriftKind.UNAUTHORIZED)
                .map(DriftFinding::id).toList();
    }

    @Test
    void everyObservedElementABlueprintSelectsIsBoundWithItsVariationsAndStopsBeingUnmanaged() {
        observe(bucket(true, "aws:kms"), vm());
        assertThat(findings()).containsExactlyInAnyOrder("unmanaged:" + BUCKET, "unmanaged:" + VM);

        load(intent, "packs", EVERYTHING, S3_V1);
        assertThat(layer.check()).isNull();

        LayerState bucket = intended(BUCKET);
        assertThat(bucket.source()).isEqualTo("intent:aws-s3@1.0.0,baseline@1.0.0");
        assertThat(bucket.attributes()).containsEntry(IntentLayer.BINDING,
                Map.of("blueprints", List.of("aws-s3@1.0.0", "baseline@1.0.0")));
        assertThat(((Map<?, ?>) bucket.attributes().get(IntentLayer.VARIATIONS)).keySet().stream().map(String::valueOf).toList())
                .containsExactlyInAnyOrder("encryption.sseAlgorithm", "publicAccessBlock.blockPublicAcls");
        assertThat(intended(VM).source()).isEqualTo("intent:baseline@1.0.0");
        assertThat(intended(VM).attributes()).doesNotContainKey(IntentLayer.VARIATIONS);
        // binding never rewrites what the observation says about the element
        Element observed = store.current().element(BUCKET).orElseThrow();
        assertThat(observed.owner()).isEqualTo("team-payments");
        assertThat(observed.labels()).containsEntry("cost-centre", "42");
        assertThat(observed.attributes()).containsKey("publicAccessBlock");

        assertThat(findings()).isEmpty();
        long revision = store.current().revision();
        assertThat(layer.check()).isNull();
        assertThat(store.current().revision()).isEqualTo(revision); // nothing new to bind: no revision
    }

    @Test
    void aRunningValueOutsideTheVariationsIsDivergedWithIntendedRightAndClearsWhenItReturns() {
        load(intent, "packs", EVERYTHING, S3_V1);
        observe(bucket(false, "aws:kms"), vm());
        layer.check();

        assertThat(findings()).containsExactly("diverged:" + BUCKET + "#publicAccessBlock.blockPublicAcls");
        DriftFinding finding = drift.findings(DriftKind.DIVERGED, null, null).get(0);
        assertThat(finding.rightLayer()).isEqualTo("INTENDED");
        assertThat(finding.expected()).isEqualTo(true);
        assertThat(finding.actual()).isEqualTo(false);
        assertThat(finding.message()).contains("aws-s3@1.0.0 allows true");

        observe(bucket(true, "AES256"));
        layer.check();
        assertThat(findings()).isEmpty();

        // replacing the blueprint re-binds: AES256 is no longer allowed by 2.0.0
        load(intent, "packs", EVERYTHING, S3_V2);
        layer.check();
        assertThat(intended(BUCKET).source()).isEqualTo("intent:aws-s3@2.0.0,baseline@1.0.0");
        assertThat(findings()).containsExactly("diverged:" + BUCKET + "#encryption.sseAlgorithm");
        assertThat(drift.findings(DriftKind.DIVERGED, null, null).get(0).message())
                .contains("aws-s3@2.0.0 allows one of [aws:kms]");
    }

    @Test
    void withdrawingTheBlueprintsWithdrawsTheBindingAndAnElementNoSourceReportsLosesIt() {
        load(intent, "packs", EVERYTHING, S3_V1);
        observe(bucket(true, "aws:kms"), vm());
        layer.check();
        assertThat(findings()).isEmpty();

        model.commit(new ChangeSet("aws-prod", Layer.RUNNING, List.of(), List.of(VM), List.of(), List.of()));
        // only the binding is left: that claims nothing must run, so nothing is missing
        assertThat(store.current().element(VM).orElseThrow().layers()).containsOnlyKeys(Layer.INTENDED);
        assertThat(findings()).isEmpty();
        layer.check();
        assertThat(store.current().element(VM)).isEmpty();

        intent.withdraw("file:/test/packs");
        layer.check();
        assertThat(store.current().element(BUCKET).orElseThrow().layers()).containsOnlyKeys(Layer.RUNNING);
        assertThat(findings()).containsExactly("unmanaged:" + BUCKET);
    }

    @Test
    void onlyTheElementsANewRevisionTouchedAreLookedAtAgain() {
        load(intent, "packs", EVERYTHING, S3_V1);
        observe(vm());
        layer.check();
        long before = store.current().revision();
        observe(bucket(true, "aws:kms"));

        assertThat(model.touched(before, store.current().revision())).containsExactly(BUCKET);
        assertThat(model.touched(before - 5, store.current().revision())).isNull();
        layer.check();
        assertThat(intended(BUCKET).source()).isEqualTo("intent:aws-s3@1.0.0,baseline@1.0.0");
    }

    /** Loads (or replaces) a source of YAML documents into the registry; fails the test when it does not load. */
    static void load(IntentRegistry registry, String key, String... documents) {
        List<IntentSource.File> files = new java.util.ArrayList<>();
        for (int i = 0; i < documents.length; i++) {
            files.add(new IntentSource.File(key + "-" + i + ".yaml", "file:/test/" + key + "-" + i + ".yaml",
                    documents[i]));
        }
        IntentRegistry.LoadResult result = registry.load(new IntentSource("file:/test/" + key, files));
        if (result.outcome() != IntentRegistry.Outcome.LOADED) {
            throw new AssertionError("intent '" + key + "' did not load: " + result.problems());
        }
    }
}
