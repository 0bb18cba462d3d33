package dev.mandate.kernel.decision.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.mandate.api.decision.Action;
import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Actor;
import dev.mandate.api.decision.ActorKind;
import dev.mandate.api.decision.Decision;
import dev.mandate.api.decision.Outcome;
import dev.mandate.api.enforcement.EnforcementAdapter;
import dev.mandate.api.enforcement.EnforcementResult;
import dev.mandate.api.enforcement.InvalidChangeException;
import dev.mandate.api.intent.DecisionRight;
import dev.mandate.api.intent.Evaluation;
import dev.mandate.api.intent.Fallback;
import dev.mandate.api.intent.Team;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.RelationType;
import dev.mandate.kernel.ledger.testing.InMemoryLedger;

import org.junit.jupiter.api.Test;

class EnforcementPointImplTest {

    private static final String VM = "aws:ec2:instance:eu-west-1:111122223333:i-1";
    private static final String ORPHAN = "aws:ec2:instance:eu-west-1:111122223333:i-orphan";

    private final TestEstate.StoreDouble store = new TestEstate.StoreDouble();
    private final TestEstate.IntentDouble intent = new TestEstate.IntentDouble();
    private final InMemoryLedger ledger = new InMemoryLedger();
    private final EnforcementPointImpl enforcement;

    EnforcementPointImplTest() {
        store.add(new Element(VM, "aws:ec2:instance", "aws", "dev", "eu", "team-a", Map.of(), Map.of(), Map.of()));
        store.add(new Element(ORPHAN, "aws:ec2:instance", "aws", "dev", "eu", null, Map.of(), Map.of(), Map.of()));
        intent.teams.put("team-a", new Team("team-a", "A", List.of(), List.of(new DecisionRight("all", Set.of("*"),
                Set.of(), true)), List.of(), "1.0.0"));
        intent.evaluator = ctx -> new Evaluation(List.of(), List.of(), Fallback.OWNER_APPROVAL, List.of());
        DecisionPointImpl decisionPoint = new DecisionPointImpl(store, intent, ledger, new TestEstate.GrantDouble(), Clock.systemUTC(),
                Set.of(RelationType.DEPENDS_ON), 100);
        enforcement = new EnforcementPointImpl(decisionPoint, ledger, Clock.systemUTC());
    }

    /** A third-party style adapter: one line per change, "action target". */
    static final class LineAdapter implements EnforcementAdapter<String, String> {
        @Override
        public String id() {
            return "lines";
        }

        @Override
        public List<ActionRequest> toRequests(String input) throws InvalidChangeException {
            List<ActionRequest> requests = new ArrayList<>();
            String[] lines = input.split("\n");
            for (int i = 0; i < lines.length; i++) {
                String[] parts = lines[i].trim().split(" ");
                if (parts.length != 2) {
                    throw new InvalidChangeException("/" + i, "expected 'action target'");
                }
                requests.add(ActionRequest.of(new Actor("ci", ActorKind.SYSTEM, "team-a", List.of(), null, null),
                        Action.parse(parts[0]), parts[1], "pipeline"));
            }
            return requests;
        }

        @Override
        public String toResponse(String input, List<Decision> decisions) {
            return String.join(",", decisions.stream().map(d -> d.outcome().name()).toList());
        }
    }

    @Test
    void everyChangeIsDecidedAndTheWorstOutcomeWins() throws InvalidChangeException {
        EnforcementResult<String> result = enforcement.enforce(new LineAdapter(), "restart " + VM + "\nrestart " + ORPHAN);

        assertThat(result.response()).isEqualTo("ALLOW,DENY");
        assertThat(result.outcome()).isEqualTo(Outcome.DENY);
        assertThat(ledger.records()).extracting(r -> r.type()).containsExactly("decision", "decision", "enforcement");
        assertThat(result.evidence()).isEqualTo(ledger.records().get(2).hash());
    }

    @Test
    void aChangeOnAnUnknownElementIsDeniedNotSkipped() throws InvalidChangeException {
        EnforcementResult<String> result = enforcement.enforce(new LineAdapter(),
                "restart aws:ec2:instance:eu-west-1:111122223333:i-ghost");

        assertThat(result.outcome()).isEqualTo(Outcome.DENY);
        assertThat(result.decisions()).singleElement().satisfies(d -> {
            assertThat(d.reasons()).extracting(r -> r.source()).containsExactly(EnforcementPointImpl.UNKNOWN_TARGET);
            assertThat(d.evidence()).isEqualTo(result.evidence());
        });
    }

    @Test
    void aMalformedDocumentDecidesNothing() {
        assertThatThrownBy(() -> enforcement.enforce(new LineAdapter(), "restart " + VM + "\nnonsense"))
                .isInstanceOf(InvalidChangeException.class)
                .satisfies(e -> assertThat(((InvalidChangeException) e).path()).isEqualTo("/1"));
        assertThat(ledger.records()).isEmpty();
    }

    @Test
    void anUnrecordedEnforcementIsNeverAllowed() throws InvalidChangeException {
        ledger.goDown();

        assertThat(enforcement.enforce(new LineAdapter(), "restart " + VM).outcome()).isEqualTo(Outcome.DENY);
    }

    @Test
    void aWhatIfDecidesEveryChangeAsADryRunAndRecordsItSo() throws InvalidChangeException {
        EnforcementResult<String> result = enforcement.enforce(new LineAdapter(), "restart " + VM + "\nupdate " + VM, true);

        assertThat(result.outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(result.decisions()).allSatisfy(decision -> {
            assertThat(decision.dryRun()).isTrue();
            assertThat(decision.grant()).isNull();
        });
        assertThat(ledger.records()).extracting(r -> r.type()).containsExactly("decision.dry-run", "decision.dry-run",
                "enforcement");
        assertThat(ledger.records().get(2).payload()).containsEntry("dryRun", true);
    }
}
