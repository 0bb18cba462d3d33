package dev.mandate.kernel.decision.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mandate.api.decision.Action;
import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Actor;
import dev.mandate.api.decision.Decision;
import dev.mandate.api.decision.Outcome;
import dev.mandate.api.decision.Reason;
import dev.mandate.api.decision.Remedy;
import dev.mandate.api.intent.Team;
import dev.mandate.api.model.Element;
import dev.mandate.kernel.reconciler.DriftFinding;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/**
 * The decision table (issue #5): each row is one request, a combination of actor kind, action,
 * ownership, waiver, freeze window, approval state and trust context (assurance, blast radius, open
 * drift on the target or its dependents), with the outcome, every reason
 * ({@code <blueprint>@<version>#<constraint>}, {@code team:<id>#<right>}, {@code freeze:…},
 * {@code waiver:…}, {@code mandate#…}) in order, and the kinds of the remedies offered. The situation
 * columns are checked too, so a row cannot claim a combination it does not exercise. Runs the real
 * model store, intent engine, baseline pack and decision point ({@link DecisionWorld}).
 */
class DecisionTableTest {

    private static DecisionWorld world;

    @BeforeAll
    static void buildTheWorld() {
        world = new DecisionWorld("decision-table");
    }

    @AfterAll
    static void tearDown() {
        world.close();
    }

    @ParameterizedTest(name = "{0}: {1} {2} {3} -> {11}")
    @CsvFileSource(resources = "/decision-table/cases.csv", delimiter = '|', numLinesToSkip = 1, maxCharsPerColumn = 4096)
    void decides(String id, String actorAlias, String action, String targetAlias, String justification, String after,
            String ownership, String waiver, String freeze, String approval, String trust, String outcome,
            String reasons, String remedies) {
        Actor actor = world.actor(actorAlias);
        ActionRequest request = new ActionRequest(actor, Action.parse(action), world.target(targetAlias),
                "-".equals(justification) ? null : justification, null, attributes(after), null);

        Decision decision = "none".equals(approval) ? world.decisionPoint.decide(request)
                : world.decisionPoint.decideApproved(request, "ap-1", world.actor(approval.substring("approved-by:".length())));

        String seen = "outcome " + decision.outcome() + ", reasons " + sources(decision) + ", remedies "
                + kinds(decision) + "\n" + decision.reasons() + "\n" + decision.remedies();
        assertThat(decision.outcome()).as(seen).isEqualTo(Outcome.valueOf(outcome));
        assertThat(sources(decision)).as(seen).isEqualTo(words(reasons));
        assertThat(kinds(decision)).as(seen).isEqualTo(words(remedies));
        assertThat(decision.reasons()).as("every reason says what was found").allSatisfy(reason -> assertThat(
                reason.message()).isNotBlank());
        assertThat(decision.remedies()).as("every remedy says what to do").allSatisfy(remedy -> {
            assertThat(remedy.message()).isNotBlank();
            assertThat(remedy.clears()).isNotEmpty();
        });
        situationHolds(request, decision, ownership, waiver, freeze, trust);
    }

    /** The situation columns describe the request and its target as they are. */
    private static void situationHolds(ActionRequest request, Decision decision, String ownership, String waiver,
            String freeze, String trust) {
        String[] ownershipParts = ownership.split("\\+");
        String owner = ownerOf(request);
        String expectedOwnership = owner == null ? "unowned"
                : world.registry.team(owner).map(team -> belongs(request.actor(), team)).orElse(false) ? "own" : "other";
        assertThat(ownershipParts[0]).as("ownership of " + request.target()).isEqualTo(expectedOwnership);
        boolean several = decision.blastRadius() != null && decision.blastRadius().owners().size() > 1;
        assertThat(ownershipParts.length > 1 && "several".equals(ownershipParts[1])).as("several owners in the blast radius")
                .isEqualTo(several);

        boolean waived = decision.reasons().stream().anyMatch(reason -> "waived".equals(reason.effect()));
        assertThat(waived).as("a live waiver set a match aside").isEqualTo("active".equals(waiver));
        if (!waived) {
            String freezeEffect = decision.reasons().stream().filter(reason -> reason.source().startsWith("freeze:"))
                    .map(Reason::effect).findFirst().orElse("none");
            assertThat(freezeEffect.replace("require-approval", "approval")).as("freeze window").isEqualTo(freeze);
        }

        String[] trustParts = trust.split(" ");
        assertThat(String.valueOf(request.actor().assurance())).as("assurance").isEqualTo(trustParts[0]);
        assertThat("r" + (decision.blastRadius() == null ? 0 : decision.blastRadius().count())).as("blast radius")
                .isEqualTo(trustParts[1]);
        assertThat(trustParts.length > 2 ? trustParts[2] : "drift:none").as("open drift").isEqualTo(drift(request,
                decision));
    }

    /** {@code drift:<kinds>} open on the target, {@code drift:dependents} on its dependents only, or {@code drift:none}. */
    private static String drift(ActionRequest request, Decision decision) {
        Map<String, List<DriftFinding>> open = world.drift.findingsByElement();
        List<DriftFinding> onTarget = open.getOrDefault(request.target(), List.of());
        if (!onTarget.isEmpty()) {
            return "drift:" + String.join("+", onTarget.stream().map(f -> f.kind().wireName()).sorted().toList());
        }
        boolean dependents = decision.blastRadius() != null
                && decision.blastRadius().elements().stream().anyMatch(open::containsKey);
        return dependents ? "drift:dependents" : "drift:none";
    }

    private static String ownerOf(ActionRequest request) {
        Element element = world.store.current().element(request.target()).orElse(null);
        if (element == null) {
            Object owner = request.after().get("owner");
            return owner == null ? null : owner.toString();
        }
        return world.registry.ownership(element).map(o -> o.accountable()).orElse(element.owner());
    }

    private static boolean belongs(Actor actor, Team team) {
        return Membership.belongsTo(actor, team);
    }

    private static List<String> sources(Decision decision) {
        return decision.reasons().stream().map(Reason::source).toList();
    }

    private static List<String> kinds(Decision decision) {
        return decision.remedies().stream().map(Remedy::kind).toList();
    }

    private static List<String> words(String cell) {
        return "-".equals(cell) ? List.of() : Arrays.asList(cell.trim().split("\\s+"));
    }

    /** {@code key=value;key=value}; true, false and whole numbers are typed. */
    static Map<String, Object> attributes(String cell) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        if ("-".equals(cell)) {
            return attributes;
        }
        for (String pair : cell.split(";")) {
            String[] kv = pair.split("=", 2);
            String value = kv[1].trim();
            Object typed = switch (value) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                default -> value.matches("-?\\d+") ? (Object) Long.valueOf(value) : value;
            };
            attributes.put(kv[0].trim(), typed);
        }
        return attributes;
    }
}
