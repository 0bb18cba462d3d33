package dev.mandate.kernel.reconciler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

import dev.mandate.api.decision.Action;
import dev.mandate.api.evidence.EvidenceRecord;
import dev.mandate.api.intent.BlueprintInfo;
import dev.mandate.api.intent.Effect;
import dev.mandate.api.intent.Evaluation;
import dev.mandate.api.intent.EvaluationContext;
import dev.mandate.api.intent.Fallback;
import dev.mandate.api.intent.IntentService;
import dev.mandate.api.intent.RuleMatch;
import dev.mandate.api.intent.Team;
import dev.mandate.api.model.ChangeSet;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.Layer;
import dev.mandate.kernel.ledger.internal.EvidenceLedgerImpl;
import dev.mandate.kernel.model.internal.ModelStoreImpl;
import dev.mandate.kernel.reconciler.DriftFinding;
import dev.mandate.kernel.reconciler.DriftKind;
import dev.mandate.kernel.model.testing.LoadedModelStore;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DriftTrackerTest {
    private static final String VM = "aws:ec2:instance:eu-west-1:111122223333:i-0abc";
    private static final String DB = "aws:rds:db-instance:eu-west-1:111122223333:orders-prod";
    private static final String BUCKET = "aws:s3:bucket:eu-west-1:111122223333:logs";
    private static final String AZURE_VM = "azure:compute:virtual-machine:00000000-0000-0000-0000-000000000001:rg:vm1";

    private JdbcDataSource database;
    private ModelStoreImpl model;
    private EvidenceLedgerImpl ledger;
    private DriftTracker tracker;

    @BeforeEach
    void start() {
        database = new JdbcDataSource();
        database.setURL("jdbc:h2:mem:drift-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        model = LoadedModelStore.on(database);
        ledger = new EvidenceLedgerImpl(database, Clock.systemUTC());
        tracker = tracker();
    }

    @AfterEach
    void stop() {
        model.close();
    }

    private DriftTracker tracker() {
        return new DriftTracker(model, ledger, null, Clock.systemUTC(), 20, Set.of("facets"), Duration.ofMinutes(15));
    }

    private static Element element(String id, String owner, Map<String, Object> attributes) {
        return new Element(id, null, null, "prod", "eu-internal", owner, Map.of(), attributes, Map.of());
    }

    private void commit(String source, Layer layer, Element... upserts) {
        model.commit(new ChangeSet(source, layer, List.of(upserts), List.of(), List.of(), List.of()));
    }

    private void remove(String source, Layer layer, String id) {
        model.commit(new ChangeSet(source, layer, List.of(), List.of(id), List.of(), List.of()));
    }

    private List<DriftFinding> all() {
        return tracker.findings(null, null, null);
    }

    private List<EvidenceRecord> evidence(String type) {
        return ledger.read(1, 10_000).stream().filter(record -> record.type().equals(type)).toList();
    }

    @Test
    void aRunningElementNobodyBuiltOrIntendedIsUnmanagedUntilItIsBuilt() {
        commit("aws-prod", Layer.RUNNING, element(VM, "team-web", Map.of("instance_type", "t3.large")));
        assertThat(tracker.check()).isNull();

        assertThat(all()).singleElement().satisfies(finding -> {
            assertThat(finding.id()).isEqualTo("unmanaged:" + VM);
            assertThat(finding.kind()).isEqualTo(DriftKind.UNMANAGED);
            assertThat(finding.severity()).isEqualTo("low");
            assertThat(finding.severitySource()).isEqualTo("default");
            assertThat(finding.owner()).isEqualTo("team-web");
            assertThat(finding.elementKind()).isEqualTo("aws:ec2:instance");
            assertThat(finding.message()).contains("observed by 'aws-prod'");
        });
        assertThat(evidence(DriftTracker.OPENED)).singleElement()
                .satisfies(record -> assertThat(record.payload()).containsEntry("kind", "unmanaged")
                        .containsEntry("element", VM).containsEntry("severity", "low"));

        commit("tfstate-web", Layer.BUILT, element(VM, "team-web", Map.of("instance_type", "t3.large")));
        tracker.check();

        assertThat(all()).isEmpty();
        assertThat(evidence(DriftTracker.CLEARED)).singleElement()
                .satisfies(record -> assertThat(record.payload()).containsEntry("id", "unmanaged:" + VM)
                        .containsEntry("kind", "unmanaged"));
    }

    @Test
    void aBuiltElementNotRunningIsMissingOnlyWhereTheProviderIsObserved() {
        commit("tfstate-azure", Layer.BUILT, element(AZURE_VM, null, Map.of("size", "B2s")));
        commit("tfstate-aws", Layer.BUILT, element(DB, "team-payments", Map.of("engine", "postgres")),
                element(VM, "team-web", Map.of("instance_type", "t3.large")));
        commit("aws-prod", Layer.RUNNING, element(VM, "team-web", Map.of("instance_type", "t3.large")));
        tracker.check();

        // no running source covers azure: its built VM cannot be seen missing
        assertThat(all()).extracting(DriftFinding::id).containsExactly("missing:" + DB);
        DriftFinding missing = all().get(0);
        assertThat(missing.rightLayer()).isEqualTo("BUILT");
        assertThat(missing.severity()).isEqualTo("medium");
        assertThat(missing.message()).isEqualTo("'" + DB + "' is built (by 'tfstate-aws') but not observed running");

        commit("aws-prod", Layer.RUNNING, element(DB, "team-payments", Map.of("engine", "postgres")));
        tracker.check();
        assertThat(tracker.findings(DriftKind.MISSING, null, null)).isEmpty();
        assertThat(evidence(DriftTracker.CLEARED)).singleElement()
                .satisfies(record -> assertThat(record.payload()).containsEntry("kind", "missing"));
        // it came back without a grant: that running change is itself a finding
        assertThat(all()).extracting(DriftFinding::id).containsExactly("unauthorized:" + DB);
    }

    @Test
    void anAttributeThatDiffersBetweenBuiltAndRunningIsDivergedWithPathExpectedAndActual() {
        commit("tfstate-web", Layer.BUILT, element(VM, "team-web", Map.of("instance_type", "t3.micro",
                "tags", Map.of("env", "prod", "cost-centre", "42"), "cpu_count", 2, "facets", Map.of("x", 1))));
        commit("aws-prod", Layer.RUNNING, element(VM, "team-web", Map.of("instance_type", "t3.large",
                "tags", Map.of("env", "prod", "cost-centre", "41"), "cpu_count", 2.0, "launch_time", "today",
                "facets", Map.of("x", 2))));
        tracker.check();

        assertThat(all()).extracting(DriftFinding::path).containsExactlyInAnyOrder("instance_type", "tags.cost-centre");
        DriftFinding type = tracker.findings(DriftKind.DIVERGED, null, null).stream()
                .filter(finding -> finding.path().equals("instance_type")).findFirst().orElseThrow();
        assertThat(type.id()).isEqualTo("diverged:" + VM + "#instance_type");
        assertThat(type.expected()).isEqualTo("t3.micro");
        assertThat(type.actual()).isEqualTo("t3.large");
        assertThat(type.rightLayer()).isEqualTo("BUILT");
        assertThat(type.message()).isEqualTo("'instance_type' of '" + VM + "' is 't3.large' running but 't3.micro' built");
        assertThat(evidence(DriftTracker.OPENED)).anySatisfy(record -> assertThat(record.payload())
                .containsEntry("path", "instance_type").containsEntry("expected", "t3.micro")
                .containsEntry("actual", "t3.large").containsEntry("rightLayer", "BUILT"));

        commit("aws-prod", Layer.RUNNING, element(VM, "team-web", Map.of("instance_type", "t3.micro",
                "tags", Map.of("env", "prod", "cost-centre", "42"), "cpu_count", 2)));
        tracker.check();
        assertThat(tracker.findings(DriftKind.DIVERGED, null, null)).isEmpty();
        assertThat(evidence(DriftTracker.CLEARED)).hasSize(2)
                .allSatisfy(record -> assertThat(record.payload()).containsEntry("kind", "diverged"));
    }

    @Test
    void theFindingsByElementAreTheSameInstanceUntilTheFindingsChange() {
        commit("tfstate-web", Layer.BUILT, element(VM, "team-web", Map.of("instance_type", "t3.micro",
                "tags", Map.of("env", "prod"))));
        commit("aws-prod", Layer.RUNNING, element(VM, "team-web", Map.of("instance_type", "t3.large",
                "tags", Map.of("env", "test"))));
        tracker.check();

        Map<String, List<DriftFinding>> byElement = tracker.findingsByElement();
        assertThat(byElement).containsOnlyKeys(VM);
        assertThat(byElement.get(VM)).extracting(DriftFinding::id).containsExactly("diverged:" + VM + "#instance_type",
                "diverged:" + VM + "#tags.env");
        commit("other", Layer.RUNNING);
        tracker.check();
        assertThat(tracker.findingsByElement()).isSameAs(byElement);

        commit("aws-prod", Layer.RUNNING, element(VM, "team-web", Map.of("instance_type", "t3.micro",
                "tags", Map.of("env", "prod"))));
        tracker.check();
        // the running change back is itself a change no grant covered
        assertThat(tracker.findingsByElement()).isNotSameAs(byElement);
        assertThat(tracker.findingsByElement().get(VM)).extracting(DriftFinding::id).containsExactly("unauthorized:" + VM);
    }

    @Test
    void aRunningChangeWithoutAGrantIsUnauthorizedAndAGrantedOneIsNot() {
        commit("aws-prod", Layer.RUNNING, element(VM, "team-web", Map.of("instance_type", "t3.large")),
                element(DB, "team-payments", Map.of("class", "db.r6g.large")));
        commit("tfstate", Layer.BUILT, element(VM, "team-web", Map.of()), element(DB, "team-payments", Map.of()));
        tracker.check(); // the baseline: what ran before is not a change
        assertThat(tracker.findings(DriftKind.UNAUTHORIZED, null, null)).isEmpty();

        ledger.append("decision", model.current().revision(), Map.of("decisionId", "dec-1", "outcome", "ALLOW",
                "request", Map.of("action", Action.SCALE.wireName(), "target", DB),
                "grant", Map.of("expiresAt", Instant.now().plusSeconds(300).toString())));
        commit("aws-prod", Layer.RUNNING, element(VM, "team-web", Map.of("instance_type", "t3.2xlarge")),
                element(DB, "team-payments", Map.of("class", "db.r6g.xlarge")));
        tracker.check();

        assertThat(tracker.findings(DriftKind.UNAUTHORIZED, null, null)).singleElement().satisfies(finding -> {
            assertThat(finding.elementId()).isEqualTo(VM);
            assertThat(finding.severity()).isEqualTo("high");
            assertThat(finding.message()).isEqualTo("running '" + VM
                    + "' had a update (observed by 'aws-prod') that no execution grant covered");
        });
        assertThat(evidence(DriftTracker.OPENED)).anySatisfy(record -> assertThat(record.payload())
                .containsEntry("kind", "unauthorized").containsKey("change"));
        // after execution: the granted scale was observed as an update of its target
        assertThat(evidence(DriftTracker.VERIFIED)).singleElement().satisfies(record -> assertThat(record.payload())
                .containsEntry("decisionId", "dec-1").containsEntry("target", DB).containsEntry("granted", "scale")
                .containsEntry("observed", "update"));
        assertThat(evidence(DriftTracker.MISMATCH)).isEmpty();

        // reality returns to what it was: cleared
        commit("aws-prod", Layer.RUNNING, element(VM, "team-web", Map.of("instance_type", "t3.large")));
        tracker.check();
        assertThat(tracker.findings(DriftKind.UNAUTHORIZED, null, null)).isEmpty();
        assertThat(evidence(DriftTracker.CLEARED)).singleElement()
                .satisfies(record -> assertThat(record.payload()).containsEntry("kind", "unauthorized"));
    }

    @Test
    void anUngrantedDeleteIsUnauthorizedButANewSourcesFirstRunIsDiscoveryNotChange() {
        commit("aws-prod", Layer.RUNNING, element(VM, "team-web", Map.of("a", 1)));
        tracker.check();
        commit("aws-audit", Layer.RUNNING, element(BUCKET, null, Map.of("b", 1)));
        remove("aws-prod", Layer.RUNNING, VM);
        tracker.check();

        assertThat(tracker.findings(DriftKind.UNAUTHORIZED, null, null)).extracting(DriftFinding::elementId)
                .containsExactly(VM);
        assertThat(tracker.findings(DriftKind.UNAUTHORIZED, null, null).get(0).message()).contains("had a delete");
    }

    @Test
    void theSeverityComesFromTheBlueprintThatGovernsTheElement() {
        tracker.setIntent(new FixedIntent(new RuleMatch("prod-data-store@1.2.0#no-unmanaged-change", Effect.DENY,
                "production data stores change only through terraform", List.of(), "critical")));
        commit("aws-prod", Layer.RUNNING, element(DB, "team-payments", Map.of()));
        tracker.check();

        assertThat(all()).singleElement().satisfies(finding -> {
            assertThat(finding.severity()).isEqualTo("critical");
            assertThat(finding.severitySource()).isEqualTo("prod-data-store@1.2.0#no-unmanaged-change");
        });
    }

    @Test
    void openFindingsAreRestoredFromTheLedgerWithoutBeingOpenedAgain() {
        commit("aws-prod", Layer.RUNNING, element(VM, "team-web", Map.of()), element(DB, "team-payments", Map.of()));
        tracker.check();
        assertThat(all()).hasSize(2);

        DriftTracker restarted = tracker();
        restarted.check();
        assertThat(restarted.findings(null, null, null)).extracting(DriftFinding::id)
                .containsExactly("unmanaged:" + VM, "unmanaged:" + DB);
        assertThat(evidence(DriftTracker.OPENED)).hasSize(2);

        commit("tfstate", Layer.BUILT, element(DB, "team-payments", Map.of()));
        restarted.check();
        assertThat(restarted.findings(null, null, null)).extracting(DriftFinding::id).containsExactly("unmanaged:" + VM);
        assertThat(evidence(DriftTracker.CLEARED)).hasSize(1);
    }

    @Test
    void findingsFilterByKindOwnerAndElementClass() {
        commit("aws-prod", Layer.RUNNING, element(VM, "team-web", Map.of()), element(DB, "team-payments", Map.of()),
                element(BUCKET, null, Map.of()));
        tracker.check();

        assertThat(tracker.findings(DriftKind.UNMANAGED, null, null)).hasSize(3);
        assertThat(tracker.findings(DriftKind.MISSING, null, null)).isEmpty();
        assertThat(tracker.findings(null, "team-web", null)).extracting(DriftFinding::elementId).containsExactly(VM);
        assertThat(tracker.findings(null, "none", null)).extracting(DriftFinding::elementId).containsExactly(BUCKET);
        assertThat(tracker.findings(null, null, "aws:rds")).extracting(DriftFinding::elementId).containsExactly(DB);
        assertThat(tracker.findings(null, null, "aws:ec2:instance")).extracting(DriftFinding::elementId)
                .containsExactly(VM);
        assertThat(tracker.findings(null, null, "aws:ec")).isEmpty();
        assertThat(tracker.revision()).isEqualTo(model.current().revision());
    }

    @Test
    void grantedActionsExplainOnlyTheChangesTheyCanCause() {
        assertThat(DriftTracker.compatible("replace", "create")).isTrue();
        assertThat(DriftTracker.compatible("update", "create")).isFalse();
        assertThat(DriftTracker.compatible("delete", "delete")).isTrue();
        assertThat(DriftTracker.compatible("scale", "update")).isTrue();
        assertThat(DriftTracker.compatible("read", "update")).isFalse();
        assertThat(DriftTracker.compatible("create", "update")).isFalse();
    }

    /** An intent whose every evaluation matches one rule. */
    private static final class FixedIntent implements IntentService {
        private final RuleMatch match;

        FixedIntent(RuleMatch match) {
            this.match = match;
        }

        @Override
        public List<BlueprintInfo> blueprints() {
            return List.of();
        }

        @Override
        public Optional<BlueprintInfo> blueprint(String name) {
            return Optional.empty();
        }

        @Override
        public List<Team> teams() {
            return List.of();
        }

        @Override
        public Optional<Team> team(String id) {
            return Optional.empty();
        }

        @Override
        public Evaluation evaluate(EvaluationContext context) {
            return new Evaluation(List.of(match), List.of(), Fallback.OWNER_APPROVAL, List.of("prod-data-store@1.2.0"));
        }

        @Override
        public long generation() {
            return 1;
        }
    }

    private void grant(String decisionId, Action action, String target, Instant expiresAt) {
        ledger.append("decision", model.current().revision(), Map.of("decisionId", decisionId, "outcome", "ALLOW",
                "request", Map.of("action", action.wireName(), "target", target),
                "grant", Map.of("expiresAt", expiresAt.toString())));
    }

    @Test
    void aGrantWhoseTargetChangedOtherwiseIsAMismatch() {
        commit("aws-prod", Layer.RUNNING, element(VM, "team-web", Map.of("instance_type", "t3.large")));
        tracker.check();
        grant("dec-del", Action.DELETE, VM, Instant.now().plusSeconds(300));
        commit("aws-prod", Layer.RUNNING, element(VM, "team-web", Map.of("instance_type", "t3.xlarge")));
        tracker.check();

        assertThat(evidence(DriftTracker.MISMATCH)).singleElement().satisfies(record -> assertThat(record.payload())
                .containsEntry("decisionId", "dec-del").containsEntry("granted", "delete")
                .containsEntry("observed", "update")
                .containsEntry("message", "the observed update of '" + VM + "' is not the delete that grant of decision"
                        + " 'dec-del' allowed"));
        assertThat(tracker.findings(DriftKind.UNAUTHORIZED, null, null)).extracting(DriftFinding::elementId)
                .containsExactly(VM);
    }

    @Test
    void aGrantWhoseChangeNeverShowsUpIsAMismatchOnceItExpired() {
        DriftTracker strict = new DriftTracker(model, ledger, null, Clock.systemUTC(), 20, Set.of(), Duration.ZERO);
        commit("aws-prod", Layer.RUNNING, element(VM, "team-web", Map.of("instance_type", "t3.large")));
        strict.check();
        grant("dec-live", Action.UPDATE, VM, Instant.now().plusSeconds(600));
        grant("dec-old", Action.UPDATE, VM, Instant.now().minusSeconds(1));
        strict.check();

        assertThat(evidence(DriftTracker.MISMATCH)).singleElement().satisfies(record -> assertThat(record.payload())
                .containsEntry("decisionId", "dec-old")
                .containsEntry("message", "no change of '" + VM + "' was observed before grant of decision 'dec-old'"
                        + " (update) expired"));
        assertThat(evidence(DriftTracker.VERIFIED)).isEmpty();

        // a restart does not verify the settled grant again; the live one is verified by the next change
        DriftTracker restarted = new DriftTracker(model, ledger, null, Clock.systemUTC(), 20, Set.of(), Duration.ZERO);
        restarted.check();
        commit("aws-prod", Layer.RUNNING, element(VM, "team-web", Map.of("instance_type", "t3.xlarge")));
        restarted.check();
        assertThat(evidence(DriftTracker.MISMATCH)).hasSize(1);
        assertThat(evidence(DriftTracker.VERIFIED)).singleElement()
                .satisfies(record -> assertThat(record.payload()).containsEntry("decisionId", "dec-live"));
    }

    @Test
    void expiredGrantsAreForgottenSoTheIndexStaysBoundedAndLiveGrantsStillCover() {
        Instant[] now = {Instant.now()};
        Clock moving = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        Duration slack = Duration.ofMinutes(15);
        DriftTracker bounded = new DriftTracker(model, ledger, null, moving, 20, Set.of(), slack);
        commit("aws-prod", Layer.RUNNING, element(VM, "team-web", Map.of("instance_type", "t3.large")),
                element(DB, "team-payments", Map.of("class", "db.r6g.large")));
        bounded.check();

        // sustained load: every round issues 50 read grants that live 5 minutes; the clock moves 5 minutes a round
        for (int round = 0; round < 40; round++) {
            for (int i = 0; i < 50; i++) {
                grant("dec-" + round + "-" + i, Action.READ, DB, now[0].plus(Duration.ofMinutes(5)));
            }
            bounded.check();
            now[0] = now[0].plus(Duration.ofMinutes(5));
        }
        // in force or within twice the slack after expiry: at most 8 rounds of 50, never the 2,000 issued
        assertThat(bounded.grantsHeld()).isBetween(50, 400);

        // a grant in force still covers its change; the trimmed ones covered nothing anyway
        grant("dec-scale", Action.SCALE, DB, now[0].plus(Duration.ofMinutes(5)));
        commit("aws-prod", Layer.RUNNING, element(DB, "team-payments", Map.of("class", "db.r6g.xlarge")),
                element(VM, "team-web", Map.of("instance_type", "t3.xlarge")));
        bounded.check();
        assertThat(bounded.findings(DriftKind.UNAUTHORIZED, null, null)).extracting(DriftFinding::elementId)
                .containsExactly(VM);
        assertThat(bounded.covered(DB, "update", now[0])).isTrue();
    }

    @Test
    void onItsCamelRouteAChangeReachesAFindingWithinASecond() {
        CamelRuntime camel = new CamelRuntime("drift-" + UUID.randomUUID(), false, 2, Clock.systemUTC());
        try {
            camel.schedule(DriftTracker.ROUTE_ID, "drift", 100, 100, tracker::check);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!camel.hasRoute(DriftTracker.ROUTE_ID) || tracker.revision() != model.current().revision()
                    || camel.routes().get(0).lastRun() == null) {
                assertThat(System.nanoTime()).as("the drift route runs").isLessThan(deadline);
                LockSupport.parkNanos(2_000_000);
            }

            long committed = System.nanoTime();
            commit("aws-prod", Layer.RUNNING, element(VM, "team-web", Map.of()));
            while (tracker.findings(DriftKind.UNMANAGED, null, null).isEmpty()) {
                assertThat(Duration.ofNanos(System.nanoTime() - committed)).as("time to the finding")
                        .isLessThan(Duration.ofSeconds(1));
                LockSupport.parkNanos(1_000_000);
            }
            assertThat(camel.routes()).extracting(route -> route.id()).containsExactly("drift");
        } finally {
            camel.close();
        }
    }
}
