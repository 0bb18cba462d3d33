package dev.mandate.kernel.decision.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.mandate.api.decision.Action;
import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Actor;
import dev.mandate.api.decision.ActorKind;
import dev.mandate.api.decision.AgentInfo;
import dev.mandate.api.decision.ApprovalRequest;
import dev.mandate.api.decision.Decision;
import dev.mandate.api.decision.Outcome;
import dev.mandate.api.decision.UnknownTargetException;
import dev.mandate.api.evidence.EvidenceRecord;
import dev.mandate.api.grant.GrantedChange;
import dev.mandate.api.intent.DecisionRight;
import dev.mandate.api.intent.Effect;
import dev.mandate.api.intent.ElementOwnership;
import dev.mandate.api.intent.Evaluation;
import dev.mandate.api.intent.Fallback;
import dev.mandate.api.intent.Notice;
import dev.mandate.api.intent.RuleMatch;
import dev.mandate.api.intent.TargetDrift;
import dev.mandate.api.intent.Team;
import dev.mandate.api.model.BlastRadius;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.RelationType;
import dev.mandate.kernel.ledger.testing.InMemoryLedger;
import dev.mandate.kernel.reconciler.DriftKind;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DecisionPointImplTest {

    private static final String DB = "aws:rds:db-instance:eu-west-1:111122223333:orders-prod";
    private static final String ORPHAN = "aws:ec2:instance:eu-west-1:111122223333:i-0orphan";
    private static final String BP = "baseline-ai-limits@1.0.0";

    private final TestEstate.StoreDouble store = new TestEstate.StoreDouble();
    private final TestEstate.IntentDouble intent = new TestEstate.IntentDouble();
    private final InMemoryLedger ledger = new InMemoryLedger();
    private final TestEstate.GrantDouble grants = new TestEstate.GrantDouble();
    private DecisionPointImpl decisionPoint;

    @BeforeEach
    void setUp() {
        store.add(element(DB, "team-payments", "prod")).add(element(ORPHAN, null, "prod"));
        store.radii.put(DB, new BlastRadius(3, 2, List.of("team-logistics", "team-payments"), List.of("prod"),
                List.of("eu-restricted"), List.of("a", "b", "c"), false));
        intent.teams.put("team-payments", new Team("team-payments", "Payments", List.of("grp-payments"),
                List.of(new DecisionRight("operate", Set.of("update", "restart"), Set.of(), false)), List.of(), "1.0.0"));
        intent.evaluator = ctx -> new Evaluation(List.of(), List.of(), Fallback.OWNER_APPROVAL, List.of(BP));
        decisionPoint = new DecisionPointImpl(store, intent, ledger, grants,
                Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC),
                Set.of(RelationType.DEPENDS_ON, RelationType.CONTAINS), 1000);
        // these tests count the evaluations a decision makes; remedies (which evaluate again) have their own tests
        decisionPoint.explainDecisions(false);
    }

    @Test
    void aDenyRuleWinsAndTheDecisionIsRecordedBeforeItIsReturned() {
        intent.evaluator = ctx -> new Evaluation(List.of(new RuleMatch(BP + "#no-ai-prod-delete", Effect.DENY,
                "AI agents may not delete production data stores", List.of(), "critical")), List.of(),
                Fallback.OWNER_APPROVAL, List.of(BP));

        Decision decision = decisionPoint.decide(ActionRequest.of(ai(), Action.DELETE, DB, "cleanup"));

        assertThat(decision.outcome()).isEqualTo(Outcome.DENY);
        assertThat(decision.reasons()).first().extracting(r -> r.source()).isEqualTo(BP + "#no-ai-prod-delete");
        assertThat(decision.modelRevision()).isEqualTo(42);
        assertThat(decision.blastRadius().count()).isEqualTo(3);
        assertThat(ledger.records()).hasSize(1);
        assertThat(decision.evidence()).isEqualTo(ledger.records().get(0).hash());
        assertThat(ledger.records().get(0).payload()).containsEntry("outcome", "DENY").containsEntry("decisionId",
                decision.decisionId());
    }

    @Test
    void theConstraintsSeeTheOpenDriftOnTheTargetAndInItsBlastRadius() {
        TestEstate.DriftDouble drift = new TestEstate.DriftDouble()
                .open(DriftKind.UNAUTHORIZED, DB, null).open(DriftKind.DIVERGED, DB, "instanceClass")
                .open(DriftKind.MISSING, "b", null);
        decisionPoint.setDrift(drift);

        decisionPoint.decide(ActionRequest.of(human("alice", "team-payments"), Action.RESTART, DB, "patch"));

        assertThat(intent.seen).singleElement().satisfies(ctx -> {
            assertThat(ctx.drift().revision()).isEqualTo(drift.revision());
            assertThat(ctx.drift().findings()).extracting(TargetDrift.Finding::id, TargetDrift.Finding::kind)
                    .containsExactly(tuple("unauthorized:" + DB, "unauthorized"),
                            tuple("diverged:" + DB + "#instanceClass", "diverged"));
            assertThat(ctx.drift().inBlastRadius()).isEqualTo(1);
        });
        assertThat(ledger.records().get(0).payload()).containsEntry("drift", Map.of("revision", drift.revision(),
                "findings", List.of(
                        Map.of("id", "unauthorized:" + DB, "kind", "unauthorized", "severity", "high"),
                        Map.of("id", "diverged:" + DB + "#instanceClass", "kind", "diverged", "severity", "medium")),
                "inBlastRadius", 1));
    }

    @Test
    void aCleanTargetSharesOneDriftAnswerAndTheEvidenceNamesTheDriftRevision() {
        TestEstate.DriftDouble drift = new TestEstate.DriftDouble().open(DriftKind.UNMANAGED, ORPHAN, null);
        decisionPoint.setDrift(drift);

        decisionPoint.decide(ActionRequest.of(human("alice", "team-payments"), Action.RESTART, DB, "patch"));
        decisionPoint.decide(ActionRequest.of(human("alice", "team-payments"), Action.UPDATE, DB, "resize"));

        assertThat(intent.seen).hasSize(2);
        assertThat(intent.seen.get(0).drift().isClean()).isTrue();
        assertThat(intent.seen.get(1).drift()).isSameAs(intent.seen.get(0).drift());
        assertThat(ledger.records().get(1).payload()).containsEntry("drift", Map.of("revision", drift.revision(),
                "findings", List.of(), "inBlastRadius", 0));
    }

    @Test
    void driftFindingsThatCannotBeReadDenyTheRequest() {
        TestEstate.DriftDouble drift = new TestEstate.DriftDouble();
        drift.failing = true;
        decisionPoint.setDrift(drift);

        Decision decision = decisionPoint.decide(ActionRequest.of(human("alice", "team-payments"), Action.RESTART, DB,
                "patch"));

        assertThat(decision.outcome()).isEqualTo(Outcome.DENY);
        assertThat(decision.reasons()).singleElement().satisfies(reason -> {
            assertThat(reason.source()).isEqualTo(DecisionPointImpl.DRIFT_UNAVAILABLE);
            assertThat(reason.message()).isEqualTo("the drift findings cannot be read, so the target's trust cannot "
                    + "be established: the drift findings are being rebuilt");
        });
        assertThat(intent.seen).isEmpty();
        assertThat(ledger.records()).singleElement().satisfies(record -> assertThat(record.payload())
                .containsEntry("outcome", "DENY"));
        assertThat(grants.issued).isEmpty();
    }

    @Test
    void theRemediesOfADecisionAreInItsEvidence() {
        decisionPoint.explainDecisions(true);

        Decision decision = decisionPoint.decide(ActionRequest.of(human("lars", "team-logistics"), Action.RESTART, DB,
                "patch"));

        assertThat(decision.outcome()).isEqualTo(Outcome.REQUIRE_APPROVAL);
        assertThat(decision.remedies()).isNotEmpty();
        Object recorded = ledger.records().get(0).payload().get("remedies");
        assertThat(recorded).isEqualTo(DecisionRecord.remedies(decision.remedies()));
        assertThat(recorded).asList().first().isEqualTo(Map.of("kind", "request-approval",
                "message", decision.remedies().get(0).message(), "clears", List.of("mandate#no-decision-right"),
                "parameters", Map.of("approvers", List.of("team-payments")), "sufficient", true));
    }

    @Test
    void anAllowRecordsNoRemedies() {
        decisionPoint.explainDecisions(true);

        decisionPoint.decide(ActionRequest.of(human("alice", "team-payments"), Action.RESTART, DB, "patch"));

        assertThat(ledger.records().get(0).payload()).doesNotContainKey("remedies");
    }

    @Test
    void theConstraintsSeeTheTargetAndItsBlastRadius() {
        decisionPoint.decide(ActionRequest.of(human("alice", "team-payments"), Action.RESTART, DB, "patch"));

        assertThat(intent.seen).singleElement().satisfies(ctx -> {
            assertThat(ctx.target().id()).isEqualTo(DB);
            assertThat(ctx.blastRadius().owners()).containsExactly("team-logistics", "team-payments");
            assertThat(ctx.now()).isEqualTo(Instant.parse("2026-11-26T10:00:00Z"));
        });
    }

    @Test
    void anOwnerWithTheRightIsAllowed() {
        Decision decision = decisionPoint.decide(ActionRequest.of(human("alice", "team-payments"), Action.RESTART, DB, "patch"));

        assertThat(decision.outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(decision.reasons()).extracting(r -> r.source()).containsExactly("team:team-payments#operate");
    }

    @Test
    void anAllowCarriesAGrantForExactlyThatChange() {
        Decision decision = decisionPoint.decide(ActionRequest.of(human("alice", "team-payments"), Action.RESTART, DB, "patch"));

        assertThat(decision.grant()).isEqualTo("grant-" + decision.decisionId());
        assertThat(grants.issued).singleElement().satisfies(grant -> {
            assertThat(grant.actor()).isEqualTo("alice");
            assertThat(grant.changes()).containsExactly(new GrantedChange("restart", DB));
            assertThat(grant.modelRevision()).isEqualTo(42);
        });
        assertThat(ledger.records().get(0).payload()).containsKey("grant");
    }

    @Test
    void aDryRunIsRecordedAsAWhatIfAndIssuesNoGrant() {
        Decision decision = decisionPoint.decide(ActionRequest.of(human("alice", "team-payments"), Action.RESTART, DB, "x"), true);

        assertThat(decision.outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(decision.dryRun()).isTrue();
        assertThat(decision.grant()).isNull();
        assertThat(grants.issued).isEmpty();
        assertThat(ledger.records()).singleElement().satisfies(r -> assertThat(r.type()).isEqualTo("decision.dry-run"));
    }

    @Test
    void onlyAnAllowCarriesAGrant() {
        assertThat(decisionPoint.decide(ActionRequest.of(human("carol", "team-data"), Action.RESTART, DB, "x")).grant())
                .isNull();
        assertThat(grants.issued).isEmpty();
    }

    @Test
    void theOwnersApprovalTurnsTheFallbackIntoAnAllowWithAGrant() {
        ActionRequest request = ActionRequest.of(human("carol", "team-data"), Action.RESTART, DB, "x");

        Decision decision = decisionPoint.decideApproved(request, "ap-1", human("alice", "team-payments"));

        assertThat(decision.outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(decision.reasons()).first().satisfies(r -> {
            assertThat(r.source()).isEqualTo("approval:ap-1");
            assertThat(r.message()).contains("'alice'");
        });
        assertThat(decision.grant()).isNotNull();
        assertThat(ledger.records().get(0).payload()).containsKey("approval");
    }

    @Test
    void anApprovalSatisfiesRequireApprovalButNeverADeny() {
        intent.evaluator = ctx -> new Evaluation(List.of(
                new RuleMatch(BP + "#dependents", Effect.REQUIRE_APPROVAL, "3 depend on it", List.of(), "high"),
                new RuleMatch(BP + "#freeze", Effect.DENY, "change freeze", List.of(), "high")), List.of(),
                Fallback.OWNER_APPROVAL, List.of(BP));

        Decision decision = decisionPoint.decideApproved(
                ActionRequest.of(human("alice", "team-payments"), Action.RESTART, DB, "x"), "ap-1", human("bob", null));

        assertThat(decision.outcome()).isEqualTo(Outcome.DENY);
    }

    @Test
    void anApprovalCannotStandInForAMissingOwnerOrADenyFallback() {
        assertThat(decisionPoint.decideApproved(ActionRequest.of(human("carol", "team-data"), Action.RESTART, ORPHAN,
                "x"), "ap-1", human("bob", null)).outcome()).isEqualTo(Outcome.DENY);
        intent.evaluator = ctx -> new Evaluation(List.of(), List.of(), Fallback.DENY, List.of("strict@1.0.0"));
        assertThat(decisionPoint.decideApproved(ActionRequest.of(human("carol", "team-data"), Action.RESTART, DB,
                "x"), "ap-1", human("bob", null)).outcome()).isEqualTo(Outcome.DENY);
    }

    @Test
    void aRequireApprovalOpensAnApprovalRequestUnlessItIsADryRun() {
        TestEstate.ApprovalQueueDouble queue = new TestEstate.ApprovalQueueDouble();
        decisionPoint.setApprovals(queue);

        Decision decision = decisionPoint.decide(ActionRequest.of(human("carol", "team-data"), Action.RESTART, DB, "x"));
        Decision whatIf = decisionPoint.decide(ActionRequest.of(human("carol", "team-data"), Action.RESTART, DB, "x"), true);

        assertThat(decision.approvalId()).isEqualTo("approval-for-" + decision.decisionId());
        assertThat(queue.opened).hasSize(1);
        assertThat(whatIf.approvalId()).isNull();
    }

    @Test
    void aRequireApprovalAndTheApprovalsRecordAreMadeDurableByOneGroupCommit() {
        InMemoryLedger grouped = new InMemoryLedger();
        grouped.holdAsyncAppends();
        DecisionPointImpl point = new DecisionPointImpl(store, intent, grouped, grants,
                Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC),
                Set.of(RelationType.DEPENDS_ON, RelationType.CONTAINS), 1000);
        point.explainDecisions(false);
        List<Decision> queued = new ArrayList<>();
        point.setApprovals(new TestEstate.ApprovalQueueDouble() {
            @Override
            public ApprovalRequest open(Decision decision, ActionRequest request) {
                queued.add(decision);
                grouped.append("approval.opened", decision.modelRevision(), Map.of("decisionId", decision.decisionId()));
                return super.open(decision, request);
            }
        });

        Decision decision = point.decide(ActionRequest.of(human("carol", "team-data"), Action.RESTART, DB, "x"));

        assertThat(decision.outcome()).isEqualTo(Outcome.REQUIRE_APPROVAL);
        assertThat(grouped.commits()).singleElement().satisfies(commit -> assertThat(commit)
                .extracting(EvidenceRecord::type)
                .containsExactly(DecisionRecord.TYPE, "approval.opened"));
        assertThat(decision.evidence()).isEqualTo(grouped.commits().get(0).get(0).hash());
        assertThat(decision.approvalId()).isEqualTo("approval-for-" + decision.decisionId());
        // the approval is opened before the decision's record is chained: it links by decision id
        assertThat(queued).singleElement().satisfies(d -> assertThat(d.evidence()).isNull());

        grouped.goDown();
        Decision unrecorded = point.decide(ActionRequest.of(human("carol", "team-data"), Action.RESTART, DB, "x"));
        assertThat(unrecorded.outcome()).isEqualTo(Outcome.DENY);
        assertThat(unrecorded.approvalId()).isNull();
        assertThat(unrecorded.reasons()).extracting(r -> r.source()).containsExactly(DecisionPointImpl.EVIDENCE_UNAVAILABLE);
    }

    @Test
    void aCreateTakesTheElementsOwnFactsFromTheAdaptersProposal() {
        String id = "aws:lambda:function:eu-west-1:111122223333:fn";
        ActionRequest create = new ActionRequest(human("alice", "team-payments"), Action.CREATE, id, "new", null,
                Map.of("environment", Map.of("variables", Map.of("A", "1"))),
                Map.of("proposed", Map.of("owner", "team-payments", "environment", "dev")));

        decisionPoint.decide(create);

        assertThat(intent.seen).singleElement().satisfies(ctx -> {
            assertThat(ctx.target().environment()).isEqualTo("dev");
            assertThat(ctx.target().owner()).isEqualTo("team-payments");
        });
    }

    @Test
    void theOrganisationsOwnershipRuleWinsOverTheConnectorsOwner() {
        intent.ownership = element -> element.id().equals(DB)
                ? Optional.of(new ElementOwnership("team-data", List.of(), List.of(), "ownership:org@1.0.0#dbs"))
                : Optional.empty();
        intent.teams.put("team-data", new Team("team-data", "Data", List.of(),
                List.of(new DecisionRight("operate", Set.of("restart"), Set.of(), false)), List.of(), "1.0.0"));

        Decision byRuleOwner = decisionPoint.decide(ActionRequest.of(human("carol", "team-data"), Action.RESTART, DB, "x"));
        Decision byConnectorOwner = decisionPoint.decide(ActionRequest.of(human("alice", "team-payments"), Action.RESTART, DB, "x"));

        assertThat(byRuleOwner.outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(byConnectorOwner.outcome()).isEqualTo(Outcome.REQUIRE_APPROVAL);
        assertThat(byConnectorOwner.approvers()).containsExactly("team-data");
        assertThat(intent.seen.get(0).target().owner()).isEqualTo("team-data");
    }

    @Test
    void waivedAndWarnMatchesAreShownButDoNotDecide() {
        RuleMatch waivedDeny = new RuleMatch(BP + "#no-ai-prod-delete", Effect.DENY, "no", List.of(), "critical");
        intent.evaluator = ctx -> new Evaluation(List.of(), List.of(), Fallback.OWNER_APPROVAL, List.of(BP), List.of(
                new Notice(Notice.Kind.WAIVED, "waiver:db-migration@1.0.0", waivedDeny, "waived until 2026-12-01 by cto"),
                new Notice(Notice.Kind.WARN, BP + "#tags", waivedDeny, "tag it"),
                new Notice(Notice.Kind.AUDIT, BP + "#quiet", waivedDeny, "only recorded")));

        Decision decision = decisionPoint.decide(ActionRequest.of(human("alice", "team-payments"), Action.RESTART, DB, "x"));

        assertThat(decision.outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(decision.reasons()).extracting(r -> r.effect()).containsExactly("allow", "waived", "warn");
        assertThat(decision.obligations()).containsExactly("warning: tag it");
        assertThat(ledger.records().get(0).payload().get("notices")).asList().hasSize(3);
    }

    @Test
    void membershipByIdentityGroupCounts() {
        Actor bob = new Actor("bob", ActorKind.HUMAN, null, List.of("grp-payments"), null, "mfa");

        assertThat(decisionPoint.decide(ActionRequest.of(bob, Action.UPDATE, DB, "resize")).outcome())
                .isEqualTo(Outcome.ALLOW);
    }

    @Test
    void anotherTeamFallsBackToTheOwnersApproval() {
        Decision decision = decisionPoint.decide(ActionRequest.of(human("carol", "team-data"), Action.RESTART, DB, "x"));

        assertThat(decision.outcome()).isEqualTo(Outcome.REQUIRE_APPROVAL);
        assertThat(decision.approvers()).containsExactly("team-payments");
        assertThat(decision.reasons()).first().satisfies(r -> assertThat(r.message()).contains("'team-payments' must approve"));
    }

    @Test
    void anActionOutsideTheOwnersRightsAlsoNeedsApproval() {
        Decision decision = decisionPoint.decide(ActionRequest.of(human("alice", "team-payments"), Action.DELETE, DB, "x"));

        assertThat(decision.outcome()).isEqualTo(Outcome.REQUIRE_APPROVAL);
    }

    @Test
    void requireApprovalTurnsAPermitIntoRequireApproval() {
        intent.evaluator = ctx -> new Evaluation(List.of(new RuleMatch(BP + "#dependents", Effect.REQUIRE_APPROVAL,
                "3 elements depend on it", List.of("notify dependents"), "high")), List.of(), Fallback.OWNER_APPROVAL,
                List.of(BP));

        Decision decision = decisionPoint.decide(ActionRequest.of(human("alice", "team-payments"), Action.RESTART, DB, "x"));

        assertThat(decision.outcome()).isEqualTo(Outcome.REQUIRE_APPROVAL);
        assertThat(decision.obligations()).containsExactly("notify dependents");
        assertThat(decision.reasons()).extracting(r -> r.source())
                .containsExactly(BP + "#dependents", "team:team-payments#operate");
    }

    @Test
    void anAllowRulePermitsWithoutADecisionRight() {
        intent.evaluator = ctx -> new Evaluation(List.of(new RuleMatch("ops@1.0.0#restart-any", Effect.ALLOW,
                "restarts are always fine", List.of(), "low")), List.of(), Fallback.OWNER_APPROVAL, List.of());

        assertThat(decisionPoint.decide(ActionRequest.of(human("carol", "team-data"), Action.RESTART, DB, "x")).outcome())
                .isEqualTo(Outcome.ALLOW);
    }

    @Test
    void noOwnerAndNoPermitIsDenied() {
        Decision decision = decisionPoint.decide(ActionRequest.of(human("carol", "team-data"), Action.RESTART, ORPHAN, "x"));

        assertThat(decision.outcome()).isEqualTo(Outcome.DENY);
        assertThat(decision.reasons()).first().satisfies(r -> {
            assertThat(r.source()).isEqualTo(EffectCombiner.NO_RIGHT);
            assertThat(r.message()).contains("no accountable owner");
        });
    }

    @Test
    void fallbackDenyOfAnApplicableBlueprintDenies() {
        intent.evaluator = ctx -> new Evaluation(List.of(), List.of(), Fallback.DENY, List.of("cedar-equivalent@1.0.0"));

        Decision decision = decisionPoint.decide(ActionRequest.of(human("carol", "team-data"), Action.RESTART, DB, "x"));

        assertThat(decision.outcome()).isEqualTo(Outcome.DENY);
        assertThat(decision.reasons()).first().satisfies(r -> assertThat(r.message()).contains("cedar-equivalent@1.0.0"));
    }

    @Test
    void anAiWithoutAgentIdentityIsDeniedWhateverTheRules() {
        Actor anonymousAgent = new Actor("agent-7", ActorKind.AI, "team-payments", List.of(), new AgentInfo("gpt", null), null);

        Decision decision = decisionPoint.decide(ActionRequest.of(anonymousAgent, Action.RESTART, DB, "x"));

        assertThat(decision.outcome()).isEqualTo(Outcome.DENY);
        assertThat(decision.reasons()).extracting(r -> r.source()).containsExactly(DecisionPointImpl.AI_IDENTITY);
        assertThat(intent.seen).isEmpty();
    }

    @Test
    void aConstraintThatErrorsFailsClosed() {
        intent.evaluator = ctx -> new Evaluation(List.of(), List.of(BP + "#x: no such key: 'size'"),
                Fallback.OWNER_APPROVAL, List.of(BP));

        Decision decision = decisionPoint.decide(ActionRequest.of(human("alice", "team-payments"), Action.RESTART, DB, "x"));

        assertThat(decision.outcome()).isEqualTo(Outcome.DENY);
        assertThat(decision.reasons()).first().satisfies(r -> assertThat(r.message()).contains("no such key: 'size'"));
    }

    @Test
    void anUnavailableModelFailsClosedAndIsRecorded() {
        store.unavailable = true;

        Decision decision = decisionPoint.decide(ActionRequest.of(human("alice", "team-payments"), Action.RESTART, DB, "x"));

        assertThat(decision.outcome()).isEqualTo(Outcome.DENY);
        assertThat(decision.reasons()).extracting(r -> r.source()).containsExactly(DecisionPointImpl.MODEL_UNAVAILABLE);
        assertThat(ledger.records()).hasSize(1);
    }

    @Test
    void anUnavailableLedgerNeverYieldsAnAllow() {
        ledger.goDown();

        Decision decision = decisionPoint.decide(ActionRequest.of(human("alice", "team-payments"), Action.RESTART, DB, "x"));

        assertThat(decision.outcome()).isEqualTo(Outcome.DENY);
        assertThat(decision.evidence()).isNull();
        assertThat(decision.reasons()).singleElement().satisfies(r -> assertThat(r.message()).contains("evidence store unavailable"));
    }

    @Test
    void anUnknownTargetIsRefusedAndNothingIsRecorded() {
        assertThatThrownBy(() -> decisionPoint.decide(ActionRequest.of(human("alice", "team-payments"), Action.DELETE,
                "aws:rds:db-instance:eu-west-1:111122223333:nope", "x"))).isInstanceOf(UnknownTargetException.class);
        assertThat(ledger.records()).isEmpty();
    }

    @Test
    void aCreateIsDecidedOnTheProposedElement() {
        String id = "aws:s3:bucket:eu-west-1:111122223333:new-bucket";
        ActionRequest create = new ActionRequest(human("alice", "team-payments"), Action.CREATE, id, "new",
                null, Map.of("owner", "team-payments", "environment", "dev", "encrypted", true), null);

        decisionPoint.decide(create);

        assertThat(intent.seen).singleElement().satisfies(ctx -> {
            assertThat(ctx.target().kind()).isEqualTo("aws:s3:bucket");
            assertThat(ctx.target().owner()).isEqualTo("team-payments");
            assertThat(ctx.target().attributes()).containsEntry("encrypted", true);
            assertThat(ctx.blastRadius().count()).isZero();
        });
    }

    @Test
    void incompleteRequestsAreRejectedWithWhatIsMissing() {
        assertThatThrownBy(() -> decisionPoint.decide(ActionRequest.of(null, Action.DELETE, DB, "x")))
                .hasMessage("actor is missing");
        assertThatThrownBy(() -> decisionPoint.decide(ActionRequest.of(human("a", null), null, DB, "x")))
                .hasMessage("action is missing");
        assertThatThrownBy(() -> decisionPoint.decide(ActionRequest.of(human("a", null), Action.DELETE, "db1", "x")))
                .hasMessageContaining("malformed element id 'db1'");
        assertThat(ledger.records()).isEmpty();
    }

    private static Element element(String id, String owner, String env) {
        return new Element(id, id.substring(0, id.indexOf(':', id.indexOf(':', id.indexOf(':') + 1) + 1)), "aws", env,
                "eu-restricted", owner, Map.of(), Map.of(), Map.of());
    }

    private static Actor human(String id, String team) {
        return new Actor(id, ActorKind.HUMAN, team, List.of(), null, "mfa");
    }

    private static Actor ai() {
        return new Actor("agent-7", ActorKind.AI, null, List.of(), new AgentInfo("x", "ab"), null);
    }

    @Test
    void aFailureWhileLookingForRemediesLeavesTheRecordedDecisionStanding() {
        decisionPoint.explainDecisions(true);
        int[] calls = {0};
        intent.evaluator = ctx -> {
            if (calls[0]++ > 0) {
                throw new IllegalStateException("the engine broke while probing");
            }
            return new Evaluation(List.of(), List.of(), Fallback.OWNER_APPROVAL, List.of(BP));
        };

        Decision decision = decisionPoint.decide(ActionRequest.of(human("carol", "team-data"), Action.RESTART, DB, "x"));

        assertThat(decision.outcome()).isEqualTo(Outcome.REQUIRE_APPROVAL);
        assertThat(decision.evidence()).isNotNull();
        assertThat(decision.remedies()).isEmpty();
        assertThat(calls[0]).isGreaterThan(1);
    }
}
