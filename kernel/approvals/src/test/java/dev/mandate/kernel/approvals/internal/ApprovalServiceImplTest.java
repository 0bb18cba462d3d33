package dev.mandate.kernel.approvals.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;

import dev.mandate.api.decision.Action;
import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Actor;
import dev.mandate.api.decision.ActorKind;
import dev.mandate.api.decision.AgentInfo;
import dev.mandate.api.decision.ApprovalConflictException;
import dev.mandate.api.decision.ApprovalRefusedException;
import dev.mandate.api.decision.ApprovalRequest;
import dev.mandate.api.decision.ApprovalStatus;
import dev.mandate.api.decision.Decision;
import dev.mandate.api.decision.DecisionPoint;
import dev.mandate.api.decision.Outcome;
import dev.mandate.api.evidence.EvidenceLedger;
import dev.mandate.api.evidence.EvidenceRecord;
import dev.mandate.api.intent.DecisionRight;
import dev.mandate.api.intent.IntentService;
import dev.mandate.api.intent.Team;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.ModelSnapshot;
import dev.mandate.api.model.ModelStore;
import dev.mandate.kernel.ledger.testing.InMemoryLedger;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The approval queue on a real H2 database; the decision point, intent and ledger are Mockito
 * stand-ins (each is tested for real in its own module and together in the itests).
 */
class ApprovalServiceImplTest {

    private static final String DB = "aws:rds:db-instance:eu-west-1:111122223333:orders-prod";
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    private final DecisionPoint decisionPoint = mock(DecisionPoint.class);
    private final IntentService intent = mock(IntentService.class);
    private final ModelStore model = mock(ModelStore.class);
    private final EvidenceLedger ledger = mock(EvidenceLedger.class);
    private final List<String> evidence = new ArrayList<>();
    private final MutableClock clock = new MutableClock();
    private JdbcApprovalStore store;
    private ApprovalServiceImpl approvals;

    @BeforeEach
    void setUp() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:approvals-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        store = new JdbcApprovalStore(dataSource);
        approvals = new ApprovalServiceImpl(() -> decisionPoint, intent, model, ledger, store, clock, Duration.ofHours(4), 3,
                Executors.newSingleThreadScheduledExecutor());
        when(intent.team("team-payments")).thenReturn(Optional.of(new Team("team-payments", "Payments",
                List.of("grp-payments"), List.of(new DecisionRight("operate", Set.of("restart"), Set.of(), false),
                        new DecisionRight("approve-prod", Set.of("*"), Set.of("prod"), true)),
                List.of("team-platform"), "1.0.0")));
        when(intent.team("team-platform")).thenReturn(Optional.of(new Team("team-platform", "Platform",
                List.of("grp-platform"), List.of(new DecisionRight("approve", Set.of("*"), Set.of(), true)),
                List.of("team-payments"), "1.0.0")));
        ModelSnapshot snapshot = mock(ModelSnapshot.class);
        when(model.current()).thenReturn(snapshot);
        when(snapshot.element(DB)).thenReturn(Optional.of(new Element(DB, "aws:rds:db-instance", "aws", "prod",
                "eu-restricted", "team-payments", Map.of(), Map.of(), Map.of())));
        when(ledger.append(anyString(), anyLong(), anyMap())).thenAnswer(call -> {
            evidence.add(call.getArgument(0));
            return new EvidenceRecord(evidence.size(), call.getArgument(0), T0, 1, Map.of(), "p", "sha256:x");
        });
        when(decisionPoint.decideApproved(any(), anyString(), any())).thenAnswer(call -> decision(Outcome.ALLOW, "grant-1"));
    }

    @Test
    void anOwnersApproverApprovesAndTheRequestIsDecidedAgainWithTheApproval() {
        ApprovalRequest opened = open(human("carol", "team-data"));

        ApprovalRequest approved = approvals.approve(opened.id(), human("alice", "team-payments"), "ok for tonight");

        assertThat(approved.status()).isEqualTo(ApprovalStatus.APPROVED);
        assertThat(approved.decidedBy()).isEqualTo("alice");
        assertThat(approved.outcome().grant()).isEqualTo("grant-1");
        verify(decisionPoint).decideApproved(eq(opened.request()), eq(opened.id()), any());
        assertThat(approvals.get(opened.id())).get().extracting(ApprovalRequest::status).isEqualTo(ApprovalStatus.APPROVED);
        assertThat(evidence).containsExactly("approval.opened", "approval.approved");
    }

    @Test
    void theRequesterCannotApproveTheirOwnChange() {
        ApprovalRequest opened = open(human("alice", "team-payments"));

        assertThatThrownBy(() -> approvals.approve(opened.id(), human("alice", "team-payments"), null))
                .isInstanceOf(ApprovalRefusedException.class).hasMessageContaining("asked for this change");
        verify(decisionPoint, never()).decideApproved(any(), anyString(), any());
        assertThat(evidence).containsExactly("approval.opened", "approval.refused");
    }

    @Test
    void anAiCanNeverApprove() {
        ApprovalRequest opened = open(human("carol", "team-data"));
        Actor agent = new Actor("agent-7", ActorKind.AI, "team-payments", List.of(), new AgentInfo("m", "h"), null);

        assertThatThrownBy(() -> approvals.approve(opened.id(), agent, null)).hasMessageContaining("AI actor can never approve");
    }

    @Test
    void onlyAMemberHoldingAnApprovingRightMayDecide() {
        ApprovalRequest opened = open(human("carol", "team-data"));

        assertThatThrownBy(() -> approvals.approve(opened.id(), human("dave", "team-data"), null))
                .hasMessageContaining("holds no approving right for restart in prod");
        Actor byGroup = new Actor("erin", ActorKind.HUMAN, null, List.of("grp-payments"), null, "mfa");
        assertThat(approvals.reject(opened.id(), byGroup, "not now").status()).isEqualTo(ApprovalStatus.REJECTED);
    }

    @Test
    void aDecidedRequestCannotBeDecidedAgain() {
        ApprovalRequest opened = open(human("carol", "team-data"));
        approvals.reject(opened.id(), human("alice", "team-payments"), "no");

        assertThatThrownBy(() -> approvals.approve(opened.id(), human("alice", "team-payments"), null))
                .hasMessageContaining("is rejected and can no longer be decided");
    }

    @Test
    void anApprovalWhoseDecisionFailsIsUndoneAndCanBeGivenAgain() {
        ApprovalRequest opened = open(human("carol", "team-data"));
        when(decisionPoint.decideApproved(any(), anyString(), any())).thenThrow(new IllegalStateException("model is loading"));

        assertThatThrownBy(() -> approvals.approve(opened.id(), human("alice", "team-payments"), "ok"))
                .hasMessage("model is loading");
        assertThat(approvals.get(opened.id()).orElseThrow().status()).isEqualTo(ApprovalStatus.PENDING);
        assertThat(open(human("carol", "team-data")).id()).as("still the open request").isEqualTo(opened.id());

        org.mockito.Mockito.reset(decisionPoint);
        when(decisionPoint.decideApproved(any(), anyString(), any())).thenAnswer(call -> decision(Outcome.ALLOW, "grant-1"));
        assertThat(approvals.approve(opened.id(), human("alice", "team-payments"), "ok").outcome().grant())
                .isEqualTo("grant-1");
        assertThat(evidence).containsExactly("approval.opened", "approval.repeated", "approval.approved");
    }

    @Test
    void aRejectionWhoseEvidenceCannotBeWrittenLeavesTheRequestOpen() {
        ApprovalRequest opened = open(human("carol", "team-data"));
        when(ledger.append(eq("approval.rejected"), anyLong(), anyMap()))
                .thenThrow(new IllegalStateException("evidence store unavailable"));

        assertThatThrownBy(() -> approvals.reject(opened.id(), human("alice", "team-payments"), "no"))
                .hasMessage("evidence store unavailable");

        assertThat(approvals.get(opened.id()).orElseThrow().status()).isEqualTo(ApprovalStatus.PENDING);
        assertThat(open(human("carol", "team-data")).id()).isEqualTo(opened.id());
        assertThat(evidence).containsExactly("approval.opened", "approval.repeated");
    }

    /**
     * The ledger goes down after the decision with the approval issued the grant (its own record names
     * the approval): the request stays approved with that one grant, the {@code approval.approved}
     * record stays owed in the table, and the sweep writes it (once) when the ledger is back.
     */
    @Test
    void anApprovalWhoseRecordFailsKeepsItsOneGrantAndItsRecordIsWrittenOnceTheLedgerIsBack() {
        InMemoryLedger ledger = onLedger(new InMemoryLedger(clock));
        ApprovalRequest opened = open(human("carol", "team-data"));
        ledger.goDown();

        ApprovalRequest approved = approvals.approve(opened.id(), human("alice", "team-payments"), "ok");

        assertThat(approved.status()).isEqualTo(ApprovalStatus.APPROVED);
        assertThat(approved.outcome().grant()).isEqualTo("grant-1");
        assertThat(approvals.get(opened.id()).orElseThrow().outcome().grant()).isEqualTo("grant-1");
        assertThatThrownBy(() -> approvals.approve(opened.id(), human("bob", "team-payments"), "again"))
                .isInstanceOf(ApprovalConflictException.class);
        verify(decisionPoint).decideApproved(any(), anyString(), any());
        assertThat(types(ledger)).containsExactly("approval.opened");

        clock.now = T0.plus(Duration.ofMinutes(1));
        assertThat(approvals.writeOwedEvidence()).as("the ledger is still down").isZero();
        ledger.comeBack();
        assertThat(approvals.writeOwedEvidence()).as("taken by the failed try: due again later").isZero();
        clock.now = T0.plus(Duration.ofMinutes(2));
        assertThat(approvals.writeOwedEvidence()).isEqualTo(1);
        assertThat(approvals.writeOwedEvidence()).as("written once").isZero();

        assertThat(types(ledger)).containsExactly("approval.opened", "approval.approved");
        EvidenceRecord late = ledger.records().get(1);
        assertThat(late.payload()).containsEntry("approvalId", opened.id()).containsEntry("approver", "alice")
                .containsEntry("grantIssued", true).containsEntry("decisionAfterApproval", "d-2")
                .containsEntry("writtenLate", true);
        assertThat(ledger.verify().valid()).isTrue();
    }

    @Test
    void anApprovalWhoseRecordIsWrittenOwesNothing() {
        InMemoryLedger ledger = onLedger(new InMemoryLedger(clock));
        ApprovalRequest opened = open(human("carol", "team-data"));
        approvals.approve(opened.id(), human("alice", "team-payments"), "ok");

        clock.now = T0.plus(Duration.ofHours(1));
        assertThat(approvals.writeOwedEvidence()).isZero();
        assertThat(types(ledger)).containsExactly("approval.opened", "approval.approved");
    }

    /** The queue of this test (its store) on {@code ledger}. */
    private InMemoryLedger onLedger(InMemoryLedger ledger) {
        approvals = new ApprovalServiceImpl(() -> decisionPoint, intent, model, ledger, store, clock, Duration.ofHours(4),
                3, Executors.newSingleThreadScheduledExecutor());
        return ledger;
    }

    private static List<String> types(InMemoryLedger ledger) {
        return ledger.records().stream().map(EvidenceRecord::type).toList();
    }

    @Test
    void anOverdueRequestEscalatesAlongTheChainThenExpires() {
        ApprovalRequest opened = open(human("carol", "team-data"));

        clock.now = T0.plus(Duration.ofHours(4));
        assertThat(approvals.sweep()).isEqualTo(1);
        ApprovalRequest escalated = approvals.get(opened.id()).orElseThrow();
        assertThat(escalated.status()).isEqualTo(ApprovalStatus.ESCALATED);
        assertThat(escalated.approvers()).containsExactly("team-platform");
        assertThat(escalated.escalationLevel()).isEqualTo(1);

        assertThatThrownBy(() -> approvals.approve(opened.id(), human("alice", "team-payments"), null))
                .as("after escalation the original team no longer decides").isInstanceOf(ApprovalRefusedException.class);
        assertThat(approvals.approve(opened.id(), human("pat", "team-platform"), null).status())
                .isEqualTo(ApprovalStatus.APPROVED);
    }

    /**
     * The owner's chain names two teams, and the first of them names the owner back: the request goes
     * to one team of the owner's chain after the other, then expires; it never comes back to the owner.
     */
    @Test
    void anOverdueRequestWalksTheChainOfTheTeamFirstAskedOneTeamAtATime() {
        when(intent.team("team-payments")).thenReturn(Optional.of(new Team("team-payments", "Payments",
                List.of("grp-payments"), List.of(new DecisionRight("approve-prod", Set.of("*"), Set.of("prod"), true)),
                List.of("team-platform", "team-cto-office"), "1.0.0")));
        when(intent.team("team-cto-office")).thenReturn(Optional.of(new Team("team-cto-office", "CTO office",
                List.of("grp-cto"), List.of(new DecisionRight("approve", Set.of("*"), Set.of(), true)), List.of(),
                "1.0.0")));
        ApprovalRequest opened = open(human("carol", "team-data"));

        clock.now = T0.plus(Duration.ofHours(4));
        approvals.sweep();
        assertThat(approvals.get(opened.id()).orElseThrow().approvers()).containsExactly("team-platform");
        clock.now = T0.plus(Duration.ofHours(8));
        approvals.sweep();
        ApprovalRequest second = approvals.get(opened.id()).orElseThrow();
        assertThat(second.approvers()).containsExactly("team-cto-office");
        assertThat(second.escalationLevel()).isEqualTo(2);
        clock.now = T0.plus(Duration.ofHours(12));
        approvals.sweep();

        assertThat(approvals.get(opened.id()).orElseThrow().status()).isEqualTo(ApprovalStatus.EXPIRED);
        assertThat(evidence).containsExactly("approval.opened", "approval.escalated", "approval.escalated",
                "approval.expired");
    }

    @Test
    void aRequestWhoseChainIsExhaustedExpires() {
        when(intent.team("team-platform")).thenReturn(Optional.of(new Team("team-platform", "Platform", List.of(),
                List.of(), List.of(), "1.0.0")));
        ApprovalRequest opened = open(human("carol", "team-data"));

        clock.now = T0.plus(Duration.ofHours(4));
        approvals.sweep();
        clock.now = T0.plus(Duration.ofHours(8));
        approvals.sweep();

        assertThat(approvals.get(opened.id()).orElseThrow().status()).isEqualTo(ApprovalStatus.EXPIRED);
        assertThat(evidence).containsExactly("approval.opened", "approval.escalated", "approval.expired");
        assertThat(approvals.list(ApprovalStatus.EXPIRED)).hasSize(1);
        assertThat(approvals.list(ApprovalStatus.PENDING)).isEmpty();
    }

    @Test
    void theSameChangeAskedAgainFindsTheOpenRequest() {
        ApprovalRequest first = open(human("carol", "team-data"));
        ApprovalRequest again = open(human("carol", "team-data"));

        assertThat(again.id()).isEqualTo(first.id());
        assertThat(approvals.list(ApprovalStatus.PENDING)).hasSize(1);
        assertThat(evidence).containsExactly("approval.opened", "approval.repeated");
    }

    @Test
    void anotherChangeAnotherActorOrADecidedRequestOpensANewOne() {
        ApprovalRequest first = open(human("carol", "team-data"));
        ApprovalRequest otherActor = open(human("dave", "team-data"));
        ApprovalRequest otherChange = approvals.open(requireApproval(), new ActionRequest(human("carol", "team-data"),
                Action.UPDATE, DB, "resize", null, Map.of("instanceClass", "db.r6g.xlarge"), null));
        approvals.approve(first.id(), human("alice", "team-payments"), "ok");
        ApprovalRequest afterApproval = open(human("carol", "team-data"));

        assertThat(List.of(first.id(), otherActor.id(), otherChange.id(), afterApproval.id())).doesNotHaveDuplicates();
    }

    @Test
    void anExpiredRequestIsNotFoundAgain() {
        when(intent.team("team-platform")).thenReturn(Optional.of(new Team("team-platform", "Platform", List.of(),
                List.of(), List.of(), "1.0.0")));
        ApprovalRequest first = open(human("carol", "team-data"));
        clock.now = T0.plus(Duration.ofHours(4));
        approvals.sweep();
        clock.now = T0.plus(Duration.ofHours(8));
        approvals.sweep();
        assertThat(approvals.get(first.id()).orElseThrow().status()).isEqualTo(ApprovalStatus.EXPIRED);

        assertThat(open(human("carol", "team-data")).id()).isNotEqualTo(first.id());
    }

    /**
     * Asked again when it is overdue but no sweep has run yet, the request escalates first (as the
     * sweep would) and is still the one asked: never a second open request for the same change.
     */
    @Test
    void anOverdueRequestAskedAgainEscalatesFirstAndIsStillTheOne() {
        ApprovalRequest first = open(human("carol", "team-data"));
        clock.now = T0.plus(Duration.ofHours(5));

        ApprovalRequest again = open(human("carol", "team-data"));

        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.status()).isEqualTo(ApprovalStatus.ESCALATED);
        assertThat(approvals.list(null)).hasSize(1);
        assertThat(evidence).containsExactly("approval.opened", "approval.escalated", "approval.repeated");
    }

    @Test
    void aRequestWhoseOpeningCannotBeRecordedIsNotLeftOpen() {
        when(ledger.append(eq("approval.opened"), anyLong(), anyMap()))
                .thenThrow(new IllegalStateException("evidence store unavailable"));

        assertThatThrownBy(() -> open(human("carol", "team-data"))).hasMessage("evidence store unavailable");

        assertThat(approvals.list(null)).as("no request without the record of its opening").isEmpty();
    }

    @Test
    void aRequestOpenedBeforeARestartIsFoundAgainWithoutAskingTheTable() {
        ApprovalRequest first = open(human("carol", "team-data"));
        CountingStore counting = new CountingStore(store);
        approvals = new ApprovalServiceImpl(() -> decisionPoint, intent, model, ledger, counting, clock,
                Duration.ofHours(4), 3, Executors.newSingleThreadScheduledExecutor());

        assertThat(open(human("carol", "team-data")).id()).isEqualTo(first.id());
        assertThat(open(human("carol", "team-data")).id()).isEqualTo(first.id());
        assertThat(counting.lookups).as("the open requests were read once, on first use").isZero();
    }

    @Test
    void anEscalatedRequestIsStillTheOneAskedAgain() {
        ApprovalRequest first = open(human("carol", "team-data"));
        clock.now = T0.plus(Duration.ofHours(4));
        approvals.sweep();

        ApprovalRequest again = open(human("carol", "team-data"));

        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.status()).isEqualTo(ApprovalStatus.ESCALATED);
        assertThat(again.approvers()).containsExactly("team-platform");
    }

    /** The real store, counting the look-ups of an open request by hash. */
    private static final class CountingStore extends ForwardingApprovalStore {
        int lookups;

        CountingStore(ApprovalStore store) {
            super(store);
        }

        @Override
        public Optional<Stored> holderOf(String requestHash) {
            lookups++;
            return super.holderOf(requestHash);
        }
    }

    @Test
    void anApprovalsTableFromBeforeMigrationsIsBroughtUpToDate() throws Exception {
        JdbcDataSource old = new JdbcDataSource();
        old.setURL("jdbc:h2:mem:approvals-old-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        try (var connection = old.getConnection(); var statement = connection.createStatement()) {
            statement.execute("CREATE TABLE mandate_approvals (id VARCHAR(64) NOT NULL, status VARCHAR(16) NOT NULL,"
                    + " created_at TIMESTAMP NOT NULL, expires_at TIMESTAMP NOT NULL, document TEXT NOT NULL,"
                    + " CONSTRAINT pk_mandate_approvals PRIMARY KEY (id))");
        }
        approvals = new ApprovalServiceImpl(() -> decisionPoint, intent, model, ledger, new JdbcApprovalStore(old), clock,
                Duration.ofHours(4), 3, Executors.newSingleThreadScheduledExecutor());

        assertThat(open(human("carol", "team-data")).id()).isEqualTo(open(human("carol", "team-data")).id());
        try (var connection = old.getConnection(); var statement = connection.createStatement();
                var rows = statement.executeQuery("SELECT MAX(version) FROM mandate_approvals_schema_version")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getInt(1)).isEqualTo(6);
        }
    }

    private static Decision requireApproval() {
        return new Decision("d-1", Outcome.REQUIRE_APPROVAL, List.of(), List.of(), null, List.of("team-payments"), 1,
                List.of(), "sha256:e", T0, null, false, null);
    }

    private ApprovalRequest open(Actor requester) {
        ActionRequest request = ActionRequest.of(requester, Action.RESTART, DB, "patch");
        ApprovalRequest opened = approvals.open(new Decision("d-1", Outcome.REQUIRE_APPROVAL, List.of(), List.of(), null,
                List.of("team-payments"), 1, List.of(), "sha256:e", T0, null, false, null), request);
        assertThat(opened.environment()).isEqualTo("prod");
        return opened;
    }

    private static Decision decision(Outcome outcome, String grant) {
        return new Decision("d-2", outcome, List.of(), List.of(), null, List.of(), 2, List.of(), "sha256:f", T0, grant,
                false, null);
    }

    private static Actor human(String id, String team) {
        return new Actor(id, ActorKind.HUMAN, team, List.of(), null, "mfa");
    }

    /** A clock the test moves forward. */
    static final class MutableClock extends Clock {
        Instant now = T0;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
