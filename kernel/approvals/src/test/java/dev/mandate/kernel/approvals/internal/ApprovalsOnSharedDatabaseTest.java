package dev.mandate.kernel.approvals.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import dev.mandate.api.decision.Action;
import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Actor;
import dev.mandate.api.decision.ActorKind;
import dev.mandate.api.decision.ApprovalConflictException;
import dev.mandate.api.decision.ApprovalRequest;
import dev.mandate.api.decision.ApprovalStatus;
import dev.mandate.api.decision.Decision;
import dev.mandate.api.decision.DecisionPoint;
import dev.mandate.api.decision.Outcome;
import dev.mandate.api.evidence.EvidenceLedger;
import dev.mandate.api.evidence.EvidenceRecord;
import dev.mandate.api.evidence.EvidenceUnavailableException;
import dev.mandate.api.intent.DecisionRight;
import dev.mandate.api.intent.IntentService;
import dev.mandate.api.intent.Team;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.ModelSnapshot;
import dev.mandate.api.model.ModelStore;
import dev.mandate.kernel.jdbc.SchemaMigrator;
import dev.mandate.kernel.jdbc.testing.TestDatabase;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two nodes (two approval queues, each with its own index and locks) on ONE database, as several
 * Mandate nodes share the production PostgreSQL: a request is decided once whichever node asks, and a
 * request decided on one node stops being named as open on the other within its refresh interval.
 * The same on H2 (one named in-memory database shared by both stores). The decision point, intent and
 * ledger are Mockito stand-ins shared by both nodes, as the real ones share the database too.
 */
class ApprovalsOnSharedDatabaseTest {

    private static final String DB = "aws:rds:db-instance:eu-west-1:111122223333:orders-prod";
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static EmbeddedPostgres postgres;

    private final DecisionPoint decisionPoint = mock(DecisionPoint.class);
    private final IntentService intent = mock(IntentService.class);
    private final ModelStore model = mock(ModelStore.class);
    private final EvidenceLedger ledger = mock(EvidenceLedger.class);
    private final List<String> evidence = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger grants = new AtomicInteger();
    // record types the ledger refuses the next time they are appended
    private final Set<String> refuseOnce = ConcurrentHashMap.newKeySet();
    private final ApprovalServiceImplTest.MutableClock clock = new ApprovalServiceImplTest.MutableClock();
    private final List<ScheduledExecutorService> executors = new ArrayList<>();

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "on").start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    @AfterEach
    void stopNodes() {
        executors.forEach(ScheduledExecutorService::shutdownNow);
    }

    private DataSource database(String kind) throws Exception {
        if (kind.equals("h2")) {
            return TestDatabase.inMemory("approvals-shared-" + UUID.randomUUID());
        }
        DataSource dataSource = postgres.getPostgresDatabase();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS mandate_approvals");
            statement.execute("DROP TABLE IF EXISTS mandate_approvals_schema_version");
        }
        return dataSource;
    }

    @BeforeEach
    void standIns() {
        when(intent.team("team-payments")).thenReturn(Optional.of(new Team("team-payments", "Payments",
                List.of("grp-payments"), List.of(new DecisionRight("approve-prod", Set.of("*"), Set.of("prod"), true)),
                List.of("team-platform"), "1.0.0")));
        when(intent.team("team-platform")).thenReturn(Optional.of(new Team("team-platform", "Platform",
                List.of("grp-platform"), List.of(new DecisionRight("approve", Set.of("*"), Set.of(), true)),
                List.of(), "1.0.0")));
        ModelSnapshot snapshot = mock(ModelSnapshot.class);
        when(model.current()).thenReturn(snapshot);
        when(snapshot.element(DB)).thenReturn(Optional.of(new Element(DB, "aws:rds:db-instance", "aws", "prod",
                "eu-restricted", "team-payments", Map.of(), Map.of(), Map.of())));
        when(ledger.append(anyString(), anyLong(), anyMap())).thenAnswer(call -> {
            if (refuseOnce.remove(call.<String>getArgument(0))) {
                throw new EvidenceUnavailableException("the ledger's database is down", null);
            }
            evidence.add(call.getArgument(0));
            return new EvidenceRecord(evidence.size(), call.getArgument(0), T0, 1, Map.of(), "p", "sha256:x");
        });
        when(decisionPoint.decideApproved(any(), anyString(), any())).thenAnswer(call -> {
            int grant = grants.incrementAndGet();
            return new Decision("d-" + grant, Outcome.ALLOW, List.of(), List.of(), null, List.of(), 2, List.of(),
                    "sha256:f", T0, "grant-" + grant, false, null);
        });
    }

    private ApprovalServiceImpl node(ApprovalStore store) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        executors.add(executor);
        return new ApprovalServiceImpl(() -> decisionPoint, intent, model, ledger, store, clock, Duration.ofHours(4), 3,
                executor);
    }

    private ApprovalRequest open(ApprovalServiceImpl node) {
        return open(node, human("carol", "team-data"));
    }

    private ApprovalRequest open(ApprovalServiceImpl node, Actor requester) {
        return node.open(new Decision("d-1", Outcome.REQUIRE_APPROVAL, List.of(), List.of(), null,
                List.of("team-payments"), 1, List.of(), "sha256:e", T0, null, false, null),
                ActionRequest.of(requester, Action.RESTART, DB, "patch"));
    }

    private long count(String type) {
        synchronized (evidence) {
            return evidence.stream().filter(type::equals).count();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void aRequestApprovedOnOneNodeCannotBeDecidedOnTheOther(String kind) throws Exception {
        DataSource shared = database(kind);
        ApprovalServiceImpl a = node(new JdbcApprovalStore(shared));
        ApprovalServiceImpl b = node(new JdbcApprovalStore(shared));
        ApprovalRequest opened = open(a);
        assertThat(open(b).id()).as("node b finds the request node a opened").isEqualTo(opened.id());
        assertThat(b.indexedOpen()).contains(opened.id());

        a.approve(opened.id(), human("alice", "team-payments"), "ok");

        assertThatThrownBy(() -> b.approve(opened.id(), human("bob", "team-payments"), "me too"))
                .isInstanceOf(ApprovalConflictException.class)
                .hasMessage("approval request '" + opened.id() + "' is approved and can no longer be decided");
        assertThatThrownBy(() -> b.reject(opened.id(), human("bob", "team-payments"), "no"))
                .isInstanceOf(ApprovalConflictException.class);
        assertThat(grants).hasValue(1);
        assertThat(count("approval.approved")).isEqualTo(1);
        assertThat(count("approval.rejected")).isZero();
        assertThat(b.get(opened.id()).orElseThrow().decidedBy()).isEqualTo("alice");
    }

    /** Node b reads the request while it is pending; node a approves it before b writes: b decides nothing. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void theNodeThatLosesTheRaceDecidesNothing(String kind) throws Exception {
        DataSource shared = database(kind);
        ApprovalServiceImpl a = node(new JdbcApprovalStore(shared));
        ApprovalRequest opened = open(a);
        ApprovalServiceImpl b = node(new InterleavedStore(new JdbcApprovalStore(shared),
                () -> a.approve(opened.id(), human("alice", "team-payments"), "first")));
        assertThat(open(b).id()).isEqualTo(opened.id());

        assertThatThrownBy(() -> b.approve(opened.id(), human("bob", "team-payments"), "second"))
                .isInstanceOf(ApprovalConflictException.class)
                .hasMessage("approval request '" + opened.id()
                        + "' was changed by another node while it was being decided; nothing was decided here");
        assertThat(grants).as("one decision with the approval, one grant").hasValue(1);
        assertThat(count("approval.approved")).isEqualTo(1);
        ApprovalRequest stored = b.get(opened.id()).orElseThrow();
        assertThat(stored.decidedBy()).isEqualTo("alice");
        assertThat(stored.outcome().grant()).isEqualTo("grant-1");
        assertThat(b.indexedOpen()).doesNotContain(opened.id());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void approversOnBothNodesAtOnceYieldOneApprovalAndOneGrant(String kind) throws Exception {
        DataSource shared = database(kind);
        ApprovalServiceImpl a = node(new JdbcApprovalStore(shared));
        ApprovalServiceImpl b = node(new JdbcApprovalStore(shared));
        ApprovalRequest opened = open(a);
        open(b);
        List<Callable<Boolean>> attempts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ApprovalServiceImpl node = i % 2 == 0 ? a : b;
            Actor approver = human("approver-" + i, "team-payments");
            attempts.add(() -> {
                try {
                    node.approve(opened.id(), approver, "at once");
                    return true;
                } catch (ApprovalConflictException lost) {
                    return false;
                }
            });
        }
        assertThat(atOnce(attempts)).containsOnlyOnce(true);
        assertThat(grants).hasValue(1);
        assertThat(count("approval.approved")).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void aRequestDecidedElsewhereStopsBeingNamedAsOpenWithinTheRefreshInterval(String kind) throws Exception {
        DataSource shared = database(kind);
        ApprovalServiceImpl a = node(new JdbcApprovalStore(shared));
        ApprovalServiceImpl b = node(new JdbcApprovalStore(shared));
        ApprovalRequest opened = open(a);
        assertThat(open(b).id()).isEqualTo(opened.id());
        b.refreshEvery(Duration.ofMillis(100));

        a.reject(opened.id(), human("alice", "team-payments"), "not tonight");

        TestDatabase.await(() -> !b.indexedOpen().contains(opened.id()), Duration.ofSeconds(20),
                "node b no longer holds the rejected request as open");
        ApprovalRequest asked = open(b);
        assertThat(asked.id()).as("the same change asked again opens a new request").isNotEqualTo(opened.id());
        assertThat(asked.status()).isEqualTo(ApprovalStatus.PENDING);
        assertThat(b.list(ApprovalStatus.PENDING)).extracting(ApprovalRequest::id).containsExactly(asked.id());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void anEscalationOnOneNodeIsSeenOnTheOtherAndNotRepeated(String kind) throws Exception {
        DataSource shared = database(kind);
        ApprovalServiceImpl a = node(new JdbcApprovalStore(shared));
        ApprovalRequest opened = open(a);
        // node b lists the overdue request, then node a escalates it before b writes
        ApprovalServiceImpl b = node(new InterleavedStore(new JdbcApprovalStore(shared), () -> a.sweep()));
        assertThat(open(b).id()).isEqualTo(opened.id());
        clock.now = T0.plus(Duration.ofHours(4));

        assertThat(b.sweep()).as("node b escalates nothing: node a was first").isZero();

        assertThat(count("approval.escalated")).isEqualTo(1);
        ApprovalRequest escalated = b.get(opened.id()).orElseThrow();
        assertThat(escalated.status()).isEqualTo(ApprovalStatus.ESCALATED);
        assertThat(escalated.approvers()).containsExactly("team-platform");
        assertThat(open(b).approvers()).as("node b's index follows the escalation").containsExactly("team-platform");

        // both nodes sweep at once when it is overdue again (the chain is exhausted): it expires once
        clock.now = T0.plus(Duration.ofHours(8));
        ApprovalServiceImpl c = node(new JdbcApprovalStore(shared));
        assertThat(atOnce(List.<Callable<Integer>>of(a::sweep, c::sweep))).containsExactlyInAnyOrder(0, 1);
        assertThat(count("approval.expired")).isEqualTo(1);
        assertThat(a.get(opened.id()).orElseThrow().status()).isEqualTo(ApprovalStatus.EXPIRED);
    }

    /** Node b finds no request for the change; node a opens it before b inserts: b reads a's request. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void aNodeThatOpensTheSameChangeJustAfterAnotherFindsTheOthersRequest(String kind) throws Exception {
        DataSource shared = database(kind);
        ApprovalServiceImpl a = node(new JdbcApprovalStore(shared));
        assertThat(a.list(null)).as("node a creates the table").isEmpty();
        List<ApprovalRequest> openedByA = new ArrayList<>();
        ApprovalServiceImpl b = node(new ForwardingApprovalStore(new JdbcApprovalStore(shared)) {
            private boolean raced;

            @Override
            public Optional<Stored> holderOf(String requestHash) {
                Optional<Stored> found = super.holderOf(requestHash);
                if (found.isEmpty() && !raced) {
                    raced = true;
                    openedByA.add(ApprovalsOnSharedDatabaseTest.this.open(a));
                }
                return found;
            }
        });

        ApprovalRequest asked = open(b);

        assertThat(asked.id()).isEqualTo(openedByA.get(0).id());
        assertThat(a.list(ApprovalStatus.PENDING)).extracting(ApprovalRequest::id).containsExactly(asked.id());
        assertThat(count("approval.opened")).isEqualTo(1);
        assertThat(count("approval.repeated")).isEqualTo(1);
    }

    /** Eight openers on each of two nodes ask for the same change at the same instant, round after round. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void manyOpenersOnTwoNodesAtOnceOpenOneRequestPerChange(String kind) throws Exception {
        DataSource shared = database(kind);
        ApprovalServiceImpl a = node(new JdbcApprovalStore(shared));
        ApprovalServiceImpl b = node(new JdbcApprovalStore(shared));
        int rounds = 20;
        int openers = 16;
        for (int round = 0; round < rounds; round++) {
            Actor requester = human("requester-" + round, "team-data");
            List<Callable<String>> opening = new ArrayList<>();
            for (int i = 0; i < openers; i++) {
                ApprovalServiceImpl node = i % 2 == 0 ? a : b;
                opening.add(() -> open(node, requester).id());
            }
            assertThat(Set.copyOf(atOnce(opening))).as("round %d: every opener has the same request", round).hasSize(1);
        }
        List<ApprovalRequest> pending = a.list(ApprovalStatus.PENDING);
        assertThat(pending).as("one open request per change").hasSize(rounds);
        assertThat(pending.stream().map(request -> request.request().actor().id()).distinct()).hasSize(rounds);
        assertThat(count("approval.opened")).isEqualTo(rounds);
        assertThat(count("approval.repeated")).isEqualTo((long) rounds * (openers - 1));
    }

    /**
     * The ledger refuses the {@code approval.approved} record once: the approval stands with its one
     * grant, and when both nodes sweep at once the owed record is written by one of them, once.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void anOwedApprovalRecordIsWrittenOnceWhenBothNodesSweep(String kind) throws Exception {
        DataSource shared = database(kind);
        ApprovalServiceImpl a = node(new JdbcApprovalStore(shared));
        ApprovalServiceImpl b = node(new JdbcApprovalStore(shared));
        ApprovalRequest opened = open(a);
        refuseOnce.add("approval.approved");

        ApprovalRequest approved = a.approve(opened.id(), human("alice", "team-payments"), "ok");

        assertThat(approved.outcome().grant()).isEqualTo("grant-1");
        assertThat(count("approval.approved")).isZero();
        clock.now = T0.plus(Duration.ofMinutes(1));
        assertThat(atOnce(List.<Callable<Integer>>of(a::writeOwedEvidence, b::writeOwedEvidence)))
                .containsExactlyInAnyOrder(0, 1);
        assertThat(count("approval.approved")).isEqualTo(1);
        assertThat(a.writeOwedEvidence() + b.writeOwedEvidence()).isZero();
        assertThat(grants).hasValue(1);
    }

    /**
     * A table from before the open key holding two open requests for one change (the race V4 closes):
     * the migration keeps both open and gives the key to the older, which the change asked again finds.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void duplicatesFromBeforeTheOpenKeyStayOpenAndTheOlderHoldsTheKey(String kind) throws Exception {
        DataSource shared = database(kind);
        new SchemaMigrator("mandate_approvals_schema_version", JdbcApprovalStore.class.getClassLoader(),
                "db/migration/approvals", List.of("V1__create_approvals_table.sql", "V2__request_hash.sql",
                        "V3__row_version.sql")).migrate(shared);
        ActionRequest change = ActionRequest.of(human("carol", "team-data"), Action.RESTART, DB, "patch");
        String hash = RequestHash.of(change, List.of("team-payments"));
        ObjectMapper json = JsonMapper.builder().addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
        try (Connection connection = shared.getConnection(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO mandate_approvals (id, status, created_at, expires_at, document, request_hash)"
                        + " VALUES (?, 'PENDING', ?, ?, ?, ?)")) {
            for (String id : List.of("younger", "older")) {
                Instant created = id.equals("older") ? T0 : T0.plusSeconds(60);
                ApprovalRequest request = new ApprovalRequest(id, "d-" + id, change, "prod", List.of("team-payments"),
                        ApprovalStatus.PENDING, 0, created, created.plus(Duration.ofHours(4)), null, null, null, null);
                insert.setString(1, id);
                insert.setTimestamp(2, Timestamp.from(created));
                insert.setTimestamp(3, Timestamp.from(request.expiresAt()));
                insert.setString(4, json.writeValueAsString(request));
                insert.setString(5, hash);
                insert.executeUpdate();
            }
        }
        ApprovalServiceImpl a = node(new JdbcApprovalStore(shared));
        ApprovalServiceImpl b = node(new JdbcApprovalStore(shared));

        assertThat(open(b).id()).isEqualTo("older");
        assertThat(open(a).id()).isEqualTo("older");
        assertThat(a.list(ApprovalStatus.PENDING)).extracting(ApprovalRequest::id)
                .containsExactlyInAnyOrder("older", "younger");
        assertThat(a.approve("younger", human("alice", "team-payments"), "ok").status())
                .as("the younger can still be decided").isEqualTo(ApprovalStatus.APPROVED);
    }

    /** Runs every task on its own thread, all released at the same instant; what they return, in order. */
    private static <T> List<T> atOnce(List<Callable<T>> tasks) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(tasks.size());
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(threads.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            threads.shutdownNow();
        }
    }

    private static Actor human(String id, String team) {
        return new Actor(id, ActorKind.HUMAN, team, List.of(), null, "mfa");
    }

    /**
     * The real store of one node, letting the other node act (once) right after this node has read
     * the request(s) it is about to change, as happens when two nodes act at the same moment.
     */
    private static final class InterleavedStore extends ForwardingApprovalStore {
        private Runnable otherNode;

        InterleavedStore(ApprovalStore store, Runnable otherNode) {
            super(store);
            this.otherNode = otherNode;
        }

        private void letTheOtherNodeAct() {
            Runnable acting = otherNode;
            otherNode = null;
            if (acting != null) {
                acting.run();
            }
        }

        @Override
        public Optional<Stored> find(String id) {
            Optional<Stored> found = super.find(id);
            letTheOtherNodeAct();
            return found;
        }

        @Override
        public List<Stored> overdue(Instant now) {
            List<Stored> found = super.overdue(now);
            letTheOtherNodeAct();
            return found;
        }
    }
}
