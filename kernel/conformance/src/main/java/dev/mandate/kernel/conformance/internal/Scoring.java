package dev.mandate.kernel.conformance.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mandate.kernel.conformance.Assessment;
import dev.mandate.kernel.conformance.Assessment.Criterion;
import dev.mandate.kernel.conformance.Assessment.Dimension;
import dev.mandate.kernel.conformance.Assessment.Requirement;

/**
 * Judges {@link Facts}: the Appendix A rows and the Appendix B sub-criteria as {@code docs/conformance.md}
 * defines them. A pure function.
 */
final class Scoring {
    private Scoring() {
    }

    static Assessment assess(Facts f, Instant now) {
        List<Requirement> rows = appendixA(f);
        List<Dimension> dimensions = appendixB(f);
        int total = dimensions.stream().mapToInt(Dimension::score).sum();
        return new Assessment(now, f.revision(), rows.stream().allMatch(Requirement::met), rows, dimensions, total,
                band(total));
    }

    static String band(int total) {
        return total <= 18 ? "Pre-IOM" : total <= 36 ? "Emerging" : total <= 54 ? "Developing" : "Governed";
    }

    /** A share to a score: none 0, below half 1, below 90 % 2, 90 % or more 3; nothing to measure 0. */
    static int shareScore(int part, int whole) {
        if (whole <= 0 || part <= 0) {
            return 0;
        }
        double share = (double) part / whole;
        return share >= 0.9 ? 3 : share >= 0.5 ? 2 : 1;
    }

    /** Fewer is better: none at all 3, up to 1 % of the whole 2, up to 5 % 1, more 0. */
    static int fewScore(int bad, int whole) {
        if (bad == 0) {
            return 3;
        }
        double share = whole <= 0 ? 1 : (double) bad / whole;
        return share <= 0.01 ? 2 : share <= 0.05 ? 1 : 0;
    }

    /** A count to a score: 0 → 0, from {@code one} → 1, from {@code two} → 2, from {@code three} → 3. */
    static int countScore(long count, long one, long two, long three) {
        return count >= three ? 3 : count >= two ? 2 : count >= one ? 1 : 0;
    }

    static Object share(int part, int whole) {
        return whole <= 0 ? null : Math.round(1000.0 * part / whole) / 1000.0;
    }

    private static List<Requirement> appendixA(Facts f) {
        List<Requirement> rows = new ArrayList<>();
        Map<String, Object> facts = facts("elements", f.elements(), "connectors", f.connectors(), "healthyConnectors",
                f.healthy(), "freshConnectors", f.fresh(), "domains", List.copyOf(new java.util.TreeSet<>(f.domains())),
                "oldestSuccessSeconds", f.oldestSuccessSeconds());
        boolean met = f.elements() > 0 && f.connectors() > 0 && f.healthy() == f.connectors() && f.fresh() == f.connectors();
        rows.add(new Requirement("iom-a-1", "Infrastructure State Modeling", "Maintains a continuously reconciled, "
                + "authoritative infrastructure model spanning cloud, network, identity, and on-premises.", met, met
                        ? f.elements() + " elements from " + f.connectors() + " healthy connector(s), all within their interval"
                        : f.connectors() == 0 ? "no state connector is bound" : (f.connectors() - Math.min(f.healthy(), f.fresh()))
                                + " of " + f.connectors() + " connector(s) unhealthy or stale", facts));

        facts = facts("blueprints", f.blueprints(), "attributableBlueprints", f.attributable(), "sampledElements",
                f.sampled(), "governedElements", f.governed(), "governedShare", share(f.governed(), f.sampled()));
        met = f.blueprints() > 0 && f.attributable() == f.blueprints() && f.governed() > 0;
        rows.add(new Requirement("iom-a-2", "Intent & Blueprint Governance", "Derives intent from explicit, versioned, "
                + "attributable blueprints - not from inferred runtime behavior.", met, met
                        ? f.blueprints() + " versioned, attributable blueprint(s) govern " + f.governed() + " of "
                                + f.sampled() + " elements"
                        : f.blueprints() == 0 ? "no blueprint is in force"
                                : f.attributable() < f.blueprints() ? (f.blueprints() - f.attributable())
                                        + " blueprint(s) lack a version, owner or content hash"
                                        : "no element is governed by a blueprint", facts));

        facts = facts("freshConnectors", f.fresh(), "connectors", f.connectors(), "driftComputed", f.driftComputed(),
                "openDriftFindings", f.openDrift(), "unmanaged", f.unmanaged(), "connectorRunsLastDay",
                f.connectorRunRecords());
        met = f.connectors() > 0 && f.fresh() == f.connectors() && f.driftComputed();
        rows.add(new Requirement("iom-a-3", "Continuous Reconciliation", "Continuously reconciles intended, built, and "
                + "running state to prevent drift before it becomes exposure.", met, met
                        ? "every connector reconciled within its interval; " + f.openDrift() + " drift finding(s) open"
                        : !f.driftComputed() ? "drift has not been computed on any revision"
                                : (f.connectors() - f.fresh()) + " connector(s) not reconciled within twice their interval",
                facts));

        facts = facts("elements", f.elements(), "withOwner", f.withOwner(), "ownerShare", share(f.withOwner(), f.elements()),
                "teams", f.teams(), "decisionsWithBlastRadius", f.decisionsWithRadius());
        met = f.elements() > 0 && f.withOwner() == f.elements();
        rows.add(new Requirement("iom-a-4", "Ownership & Accountability", "Encodes ownership, decision rights, and blast "
                + "radius in machine-readable form; accountability is deterministic.", met, met
                        ? "every element has an accountable owner"
                        : (f.elements() - f.withOwner()) + " of " + f.elements() + " element(s) have no owner", facts));

        int changes = f.decisions() + f.unauthorized();
        facts = facts("decisions", f.decisions(), "unauthorizedChanges", f.unauthorized(), "decidedBeforeExecutionShare",
                share(f.decisions(), changes), "enforcementRecords", f.enforcementRecords());
        met = f.decisions() > 0 && f.unauthorized() == 0;
        rows.add(new Requirement("iom-a-5", "Governance at the Point of Execution", "Validates and enforces every change "
                + "against intent before execution; ticket/approval-only governance does not qualify.", met, met
                        ? "every change seen was decided before it ran (" + f.decisions() + " decisions)"
                        : f.decisions() == 0 ? "no change has been decided in the window"
                                : f.unauthorized() + " running change(s) no execution grant covered", facts));

        facts = facts("ledgerVerified", f.ledgerValid(), "records", f.ledgerRecords(), "checkpoints", f.checkpoints(),
                "checkpointKey", f.signerPresent(), "verifiedAt", f.ledgerVerifiedAt() == null ? null : f.ledgerVerifiedAt().toString());
        if (f.ledgerProblem() != null) {
            facts.put("problem", f.ledgerProblem());
        }
        met = f.ledgerValid() && f.ledgerRecords() > 0 && f.signerPresent();
        rows.add(new Requirement("iom-a-6", "Evidence & Auditability", "Produces audit-ready evidence as a byproduct of "
                + "operation; treats observability as evidence, not authority.", met, met
                        ? "the chained ledger of " + f.ledgerRecords() + " records verifies; checkpoints are signed"
                        : !f.ledgerValid() ? "the ledger does not verify: " + f.ledgerProblem()
                                : f.ledgerRecords() == 0 ? "the ledger is empty" : "no node key signs checkpoints", facts));

        facts = facts("aiDecisions", f.aiDecisions(), "aiDecisionsNamingTheAgent", f.aiDecisionsWithAgent());
        met = f.aiDecisionsWithAgent() == f.aiDecisions();
        rows.add(new Requirement("iom-a-7", "AI governance (where present)", "Evaluates AI-proposed actions against "
                + "authoritative intent and enforces constraints before execution.", met, f.aiDecisions() == 0
                        ? "no AI actor has proposed an action; every one would be decided like any other"
                        : met ? "all " + f.aiDecisions() + " AI-proposed action(s) were decided, naming the agent"
                                : (f.aiDecisions() - f.aiDecisionsWithAgent()) + " AI decision(s) do not name the agent",
                facts));
        return rows;
    }

    private static List<Dimension> appendixB(Facts f) {
        List<Dimension> dimensions = new ArrayList<>();
        dimensions.add(dimension("Infrastructure State Modeling",
                new Criterion("connectors healthy", "share of bound connectors with health OK",
                        share(f.healthy(), f.connectors()), shareScore(f.healthy(), f.connectors())),
                new Criterion("domains covered", "connector domains of cloud, network, identity, on-prem",
                        f.domains().size(), countScore(f.domains().size(), 1, 2, 4)),
                new Criterion("model fresh", "seconds since the stalest connector's last success",
                        f.oldestSuccessSeconds() < 0 ? null : f.oldestSuccessSeconds(), f.oldestSuccessSeconds() < 0 ? 0
                                : f.oldestSuccessSeconds() <= 3600 ? 3 : f.oldestSuccessSeconds() <= 86_400 ? 2 : 1),
                new Criterion("context known", "share of elements whose environment is known",
                        share(f.withEnvironment(), f.elements()), shareScore(f.withEnvironment(), f.elements()))));
        dimensions.add(dimension("Intent & Blueprint Governance",
                new Criterion("blueprints in force", "blueprints in force (1, 2, 5)", f.blueprints(),
                        countScore(f.blueprints(), 1, 2, 5)),
                new Criterion("attributable", "share of blueprints with version, owner and content hash",
                        share(f.attributable(), f.blueprints()), shareScore(f.attributable(), f.blueprints())),
                new Criterion("coverage", "share of elements a blueprint applies to", share(f.governed(), f.sampled()),
                        shareScore(f.governed(), f.sampled())),
                new Criterion("changes recorded", "blueprint load/replace/reject/withdraw records (1, blueprints, 2×)",
                        f.blueprintRecords(), countScore(f.blueprintRecords(), 1, Math.max(2, f.blueprints()),
                                Math.max(3, 2L * f.blueprints())))));
        dimensions.add(dimension("Continuous Reconciliation",
                new Criterion("on schedule", "share of connectors whose last success is within twice their interval",
                        share(f.fresh(), f.connectors()), shareScore(f.fresh(), f.connectors())),
                new Criterion("drift computed", "drift computed on a revision", f.driftComputed(),
                        f.driftComputed() ? 3 : 0),
                new Criterion("drift contained", "open drift findings per element (0, ≤1 %, ≤5 %)", f.openDrift(),
                        f.driftComputed() ? fewScore(f.openDrift(), f.elements()) : 0),
                new Criterion("unmanaged contained", "open unmanaged findings per element (0, ≤1 %, ≤5 %)",
                        f.unmanaged(), f.driftComputed() ? fewScore(f.unmanaged(), f.elements()) : 0)));
        dimensions.add(dimension("Ownership & Accountability",
                new Criterion("owned", "share of elements with an accountable owner", share(f.withOwner(), f.elements()),
                        shareScore(f.withOwner(), f.elements())),
                new Criterion("teams declared", "declared teams (1, 2, 5)", f.teams(), countScore(f.teams(), 1, 2, 5)),
                new Criterion("blueprints owned", "share of blueprints owned by a declared team",
                        share(f.ownedByDeclaredTeam(), f.blueprints()), shareScore(f.ownedByDeclaredTeam(), f.blueprints())),
                new Criterion("blast radius on decisions", "share of decisions that carry a blast radius",
                        share(f.decisionsWithRadius(), f.decisions()), shareScore(f.decisionsWithRadius(), f.decisions()))));
        int changes = f.decisions() + f.unauthorized();
        dimensions.add(dimension("Governance at the Point of Execution",
                new Criterion("decided before execution", "decisions / (decisions + unauthorized running changes)",
                        share(f.decisions(), changes), shareScore(f.decisions(), changes)),
                new Criterion("decisions made", "decisions in the window (1, 10, 100)", f.decisions(),
                        countScore(f.decisions(), 1, 10, 100)),
                new Criterion("enforced", "enforcement records in the window (1, 10, 100)", f.enforcementRecords(),
                        countScore(f.enforcementRecords(), 1, 10, 100)),
                new Criterion("no unauthorized change", "open unauthorized findings per element (0, ≤1 %, ≤5 %)",
                        f.unauthorized(), f.driftComputed() ? fewScore(f.unauthorized(), f.elements()) : 0)));
        dimensions.add(dimension("Evidence & Auditability",
                new Criterion("ledger verifies", "the chain verifies", f.ledgerValid(), f.ledgerValid() ? 3 : 0),
                new Criterion("checkpoints signed", "checkpoints in the window (1, 2, 10)", f.checkpoints(),
                        f.signerPresent() ? countScore(f.checkpoints(), 1, 2, 10) : 0),
                new Criterion("decision evidence complete", "share of decisions naming revision and blueprints",
                        share(f.decisionsComplete(), f.decisions()), shareScore(f.decisionsComplete(), f.decisions())),
                new Criterion("operation recorded", "connector runs recorded in the last day (1, 10, 100)",
                        f.connectorRunRecords(), countScore(f.connectorRunRecords(), 1, 10, 100))));
        return dimensions;
    }

    private static Dimension dimension(String name, Criterion... criteria) {
        int score = 0;
        for (Criterion criterion : criteria) {
            score += criterion.score();
        }
        return new Dimension(name, score, List.of(criteria));
    }

    private static Map<String, Object> facts(Object... pairs) {
        Map<String, Object> facts = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                facts.put((String) pairs[i], pairs[i + 1]);
            }
        }
        return facts;
    }
}
