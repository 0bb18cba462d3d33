package dev.mandate.blueprints.cedar;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Decision;
import dev.mandate.api.decision.Outcome;
import dev.mandate.api.decision.Reason;
import dev.mandate.api.intent.BlueprintInfo;

/**
 * Decides every request of {@code shared/bench/agreement-10k} (10,000 resources, 20,000 requests)
 * with the real model index, intent registry and decision point, and compares each answer with the
 * one Cedar gave ({@code decisions.ndjson}): the outcome, the rule ids behind it, and the blast radius.
 */
class CedarAgreementTest {

    private static final String NO_PERMIT = "no-permit";
    private static final String NO_RIGHT = "mandate#no-decision-right";

    private static CedarEstate estate;
    private static MandateHarness mandate;

    @BeforeAll
    static void readTheEstate() {
        Optional<Path> folder = CedarEstate.findBench(Path.of(""), CedarEstate.AGREEMENT);
        Assumptions.assumeTrue(folder.isPresent(), "agreement estate shared/bench/" + CedarEstate.AGREEMENT
                + " not found above '" + Path.of("").toAbsolutePath() + "': the Cedar agreement is not checked");
        estate = CedarEstate.read(folder.get(), -1);
        mandate = MandateHarness.of(estate);
    }

    @Test
    void thePackHoldsTheFiftyTwoCedarPoliciesWithTheirOutcomes() throws IOException {
        JsonNode policies = new ObjectMapper().readTree(estate.folder().resolve("policies.json").toFile());
        Map<String, String> expected = new TreeMap<>();
        for (JsonNode policy : policies) {
            expected.put(policy.get("id").asText(), switch (policy.get("outcome").asText()) {
                case "permit" -> "allow";
                case "deny" -> "deny";
                case "approval" -> "require-approval";
                default -> throw new IllegalStateException("unknown outcome " + policy.get("outcome"));
            });
        }
        assertThat(expected).hasSize(52);
        BlueprintInfo pack = mandate.registry().blueprints().stream()
                .filter(info -> info.name().equals("cedar-equivalent")).findFirst().orElseThrow();
        assertThat(pack.constraints()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        assertThat(pack.fallback()).isEqualTo(dev.mandate.api.intent.Fallback.DENY);
        assertThat(mandate.registry().teams()).singleElement()
                .satisfies(team -> assertThat(team.decisionRights()).isEmpty());
        // the effect of each constraint, read off the YAML the loader compiled
        String yaml = Files.readString(sourceFolder().resolve("cedar-equivalent.yaml"));
        expected.forEach((id, effect) -> assertThat(yaml).containsPattern(
                "- id: " + java.util.regex.Pattern.quote(id) + "\\n(?:      .*\\n)*?      effect: " + effect + "\\n"));
    }

    @Test
    void theBundleCarriesExactlyTheFilesTheHarnessLoads() throws IOException {
        try (Stream<Path> files = Files.list(sourceFolder())) {
            assertThat(files.map(path -> "blueprints/" + path.getFileName()).sorted().toList())
                    .containsExactlyInAnyOrderElementsOf(MandateHarness.PACK_FILES);
        }
    }

    @Test
    void everyDecisionAgreesWithCedarInOutcomeReasonsAndBlastRadius() {
        List<CedarEstate.CedarDecision> cedar = estate.cedarDecisions();
        List<ActionRequest> requests = estate.requests();
        assertThat(cedar).hasSize(20_000).hasSameSizeAs(requests);

        List<String> disagreements = new ArrayList<>();
        Map<String, Integer> outcomes = new TreeMap<>();
        for (int i = 0; i < requests.size(); i++) {
            CedarEstate.CedarDecision expected = cedar.get(i);
            assertThat(expected.index()).isEqualTo(i);
            Decision decision = mandate.decisionPoint().decide(requests.get(i));
            String outcome = cedarOutcome(decision.outcome());
            outcomes.merge(outcome, 1, Integer::sum);
            Set<String> reasons = cedarReasons(decision);
            Set<String> cedarReasons = new TreeSet<>(expected.reasons());
            boolean radiusAgrees = decision.blastRadius().count() == expected.blastRadius()
                    && !decision.blastRadius().truncated();
            if (!outcome.equals(expected.decision()) || !reasons.equals(cedarReasons) || !radiusAgrees) {
                disagreements.add("request " + i + " (" + estate.verbs().get(i) + " by " + requests.get(i).actor().id()
                        + " on " + requests.get(i).target() + "): cedar " + expected.decision() + " " + cedarReasons
                        + " blast " + expected.blastRadius() + ", mandate " + outcome + " " + reasons + " blast "
                        + decision.blastRadius().count() + " " + decision.reasons());
            }
        }
        assertThat(disagreements).as("%d of %d requests disagree, first ones", disagreements.size(), requests.size())
                .isEmpty();
        assertThat(outcomes).containsExactlyInAnyOrderEntriesOf(
                Map.of("allow", 6_649, "deny", 12_770, "needs_approval", 581));
        assertThat(mandate.recorded()).as("every decision handed to the ledger").isEqualTo(requests.size());
    }

    @Test
    void remediesAreTheSameWhetherOrNotLeversArePruned() {
        // fresh harnesses: the agreement test counts what its own harness recorded
        MandateHarness pruned = MandateHarness.of(estate);
        MandateHarness everyLever = MandateHarness.of(estate).tryingEveryLever();
        List<ActionRequest> requests = estate.requests();
        int withRemedies = 0;
        for (int i = 0; i < requests.size(); i++) {
            ActionRequest request = requests.get(i);
            withRemedies += sameRemedies(pruned.decisionPoint().decide(request),
                    everyLever.decisionPoint().decide(request), "request " + i) ? 1 : 0;
            if (i % 4 == 0) {
                // approved by someone: the missing right then depends on everything, and no lever is left out for it
                dev.mandate.api.decision.Actor approver = requests.get((i + 1) % requests.size()).actor();
                sameRemedies(pruned.decisionPoint().decideApproved(request, "ap-" + i, approver),
                        everyLever.decisionPoint().decideApproved(request, "ap-" + i, approver), "approved request " + i);
            }
        }
        assertThat(withRemedies).as("decisions offering remedies").isGreaterThan(1_000);
    }

    private static boolean sameRemedies(Decision actual, Decision expected, String what) {
        assertThat(actual.outcome()).as(what).isEqualTo(expected.outcome());
        assertThat(actual.reasons()).as(what).isEqualTo(expected.reasons());
        assertThat(actual.remedies()).as(what).isEqualTo(expected.remedies());
        return !expected.remedies().isEmpty();
    }

    @Test
    void aRequestThatCedarApprovesOnlyWithApprovalIsAllowedOnceApproved() {
        // the first needs_approval request, asked again with context.approved = true, is an ALLOW
        List<CedarEstate.CedarDecision> cedar = estate.cedarDecisions();
        int i = 0;
        while (!cedar.get(i).decision().equals("needs_approval")) {
            i++;
        }
        ActionRequest request = estate.requests().get(i);
        Map<String, Object> approved = new java.util.LinkedHashMap<>(request.context());
        approved.put("approved", true);
        Decision decision = mandate.decisionPoint().decide(new ActionRequest(request.actor(), request.action(),
                request.target(), request.justification(), null, null, approved));
        assertThat(decision.outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(decision.grant()).startsWith("standin-");
    }

    private static Path sourceFolder() {
        return Path.of("src/main/resources/blueprints");
    }

    private static String cedarOutcome(Outcome outcome) {
        return switch (outcome) {
            case ALLOW -> "allow";
            case DENY -> "deny";
            case REQUIRE_APPROVAL -> "needs_approval";
        };
    }

    /**
     * The rule ids Cedar would name for this decision: the allow rules of an ALLOW, the
     * require-approval rules of a REQUIRE_APPROVAL, the deny and require-approval rules of a DENY by
     * rules, and {@code no-permit} for a DENY because nothing permits (Cedar names no policy then:
     * its second evaluation, with approval granted, drops the approval forbids Mandate still lists).
     */
    private static Set<String> cedarReasons(Decision decision) {
        Set<String> allow = new TreeSet<>();
        Set<String> deny = new TreeSet<>();
        Set<String> approval = new TreeSet<>();
        boolean noRight = false;
        for (Reason reason : decision.reasons()) {
            if (reason.source().equals(NO_RIGHT)) {
                noRight = true;
                continue;
            }
            String id = reason.source().substring(reason.source().indexOf('#') + 1);
            switch (reason.effect()) {
                case "allow" -> allow.add(id);
                case "deny" -> deny.add(id);
                case "require-approval" -> approval.add(id);
                default -> deny.add(reason.source() + " (" + reason.effect() + ")");
            }
        }
        return switch (decision.outcome()) {
            case ALLOW -> allow;
            case REQUIRE_APPROVAL -> approval;
            case DENY -> {
                if (noRight && deny.isEmpty()) {
                    yield Set.of(NO_PERMIT);
                }
                Set<String> both = new TreeSet<>(deny);
                both.addAll(approval);
                yield both;
            }
        };
    }
}
