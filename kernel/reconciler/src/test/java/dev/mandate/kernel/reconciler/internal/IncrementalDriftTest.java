package dev.mandate.kernel.reconciler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.mandate.api.model.ChangeSet;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.Layer;
import dev.mandate.api.model.Relation;
import dev.mandate.api.model.RelationType;
import dev.mandate.kernel.intent.internal.IntentRegistry;
import dev.mandate.kernel.ledger.internal.EvidenceLedgerImpl;
import dev.mandate.kernel.model.internal.ModelStoreImpl;
import dev.mandate.kernel.reconciler.DriftFinding;
import dev.mandate.kernel.reconciler.DriftKind;
import dev.mandate.kernel.model.testing.LoadedModelStore;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A drift pass over only what the revisions since the previous pass touched finds what a full pass
 * over the same revision finds: after every change, an incremental tracker and a fresh one (whose
 * first pass is full) agree, while the incremental one never scans everything again.
 */
class IncrementalDriftTest {
    private ModelStoreImpl store;
    private ModelChanges model;
    private IntentRegistry intent;

    @BeforeEach
    void start() {
        JdbcDataSource database = new JdbcDataSource();
        database.setURL("jdbc:h2:mem:incremental-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        store = LoadedModelStore.on(database);
        model = new ModelChanges(store);
        intent = new IntentRegistry((type, payload) -> { });
        IntentLayerTest.load(intent, "teams", IntentLayerTest.TEAMS);
        IntentLayerTest.load(intent, "cde", FlowLogConnectorTest.CDE_RULES);
    }

    @AfterEach
    void stop() {
        store.close();
    }

    private DriftTracker tracker() {
        JdbcDataSource ledger = new JdbcDataSource();
        ledger.setURL("jdbc:h2:mem:incremental-ledger-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        DriftTracker tracker = new DriftTracker(model, new EvidenceLedgerImpl(ledger, Clock.systemUTC()), null, Clock.systemUTC(), 20,
                Set.of(), Duration.ofMinutes(15));
        tracker.setIntent(intent);
        return tracker;
    }

    private static String vm(int i) {
        return "aws:ec2:instance:eu-west-1:111122223333:i-" + i;
    }

    private static Element element(int i, String zone, Map<String, Object> attributes) {
        return new Element(vm(i), null, null, "prod", zone, "team-" + (i % 3), Map.of(), attributes, Map.of());
    }

    private void commit(String source, Layer layer, List<Element> upserts, List<String> removals,
            List<Relation> relations, List<Relation> relationRemovals) {
        model.commit(new ChangeSet(source, layer, upserts, removals, relations, relationRemovals));
    }

    private static List<String> layerFindings(DriftTracker tracker) {
        assertThat(tracker.check()).isNull();
        // unauthorized is about changes between passes: a fresh tracker's first pass is its baseline
        return tracker.findings(null, null, null).stream().filter(finding -> finding.kind() != DriftKind.UNAUTHORIZED)
                .map(DriftFinding::id).sorted().toList();
    }

    private void agree(DriftTracker incremental) {
        assertThat(layerFindings(incremental)).isEqualTo(layerFindings(tracker()));
    }

    @Test
    void afterEachChangeTheIncrementalPassAgreesWithAFullOne() {
        List<Element> running = new ArrayList<>();
        List<Element> built = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            running.add(element(i, i < 5 ? "pci-cde" : "dmz", Map.of("size", "large", "privateIp", "10.0.0." + i)));
            if (i % 4 != 0) {
                built.add(element(i, "dmz", Map.of("size", i % 8 == 1 ? "small" : "large")));
            }
        }
        commit("aws-prod", Layer.RUNNING, running, List.of(), List.of(), List.of());
        commit("tfstate", Layer.BUILT, built, List.of(), List.of(), List.of());
        DriftTracker incremental = tracker();
        agree(incremental);
        assertThat(incremental.fullPasses()).isEqualTo(1);

        // a running attribute diverges, another returns to what was built
        commit("aws-prod", Layer.RUNNING, List.of(element(2, "pci-cde", Map.of("size", "huge")),
                element(9, "dmz", Map.of("size", "small"))), List.of(), List.of(), List.of());
        agree(incremental);
        // an unmanaged element appears, a built one stops running (missing), one is built at last
        commit("aws-prod", Layer.RUNNING, List.of(element(99, "dmz", Map.of())), List.of(vm(3)), List.of(), List.of());
        commit("tfstate", Layer.BUILT, List.of(element(4, "dmz", Map.of("size", "large"))), List.of(), List.of(),
                List.of());
        agree(incremental);
        // an observed flow out of the CDE, and the zone of its destination changes to the CDE (no longer out)
        commit("vpc-flow-logs", Layer.RUNNING, List.of(), List.of(), List.of(new Relation(RelationType.FLOWS_DATA_TO,
                vm(1), vm(20), Map.of("observedBy", "vpc-flow-logs", "bytes", 100))), List.of());
        agree(incremental);
        commit("aws-prod", Layer.RUNNING, List.of(element(20, "pci-cde", Map.of("size", "large"))), List.of(), List.of(),
                List.of());
        agree(incremental);
        commit("vpc-flow-logs", Layer.RUNNING, List.of(), List.of(), List.of(),
                List.of(Relation.of(RelationType.FLOWS_DATA_TO, vm(1), vm(20))));
        agree(incremental);

        assertThat(incremental.fullPasses()).isEqualTo(1);
        assertThat(incremental.findings(null, null, null)).extracting(DriftFinding::kind)
                .contains(DriftKind.UNMANAGED, DriftKind.MISSING, DriftKind.DIVERGED, DriftKind.UNAUTHORIZED);
    }
}
