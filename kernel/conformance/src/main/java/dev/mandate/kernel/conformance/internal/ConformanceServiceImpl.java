package dev.mandate.kernel.conformance.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.mandate.api.connector.ConnectorState;
import dev.mandate.api.evidence.EvidenceLedger;
import dev.mandate.api.evidence.EvidenceQuery;
import dev.mandate.api.evidence.EvidenceSigner;
import dev.mandate.api.evidence.VerificationResult;
import dev.mandate.api.intent.BlueprintInfo;
import dev.mandate.api.intent.EvaluationContext;
import dev.mandate.api.intent.IntentService;
import dev.mandate.api.intent.Team;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.ElementPage;
import dev.mandate.api.model.ElementQuery;
import dev.mandate.api.model.ModelSnapshot;
import dev.mandate.api.model.ModelStore;
import dev.mandate.kernel.conformance.Assessment;
import dev.mandate.kernel.conformance.ConformanceService;
import dev.mandate.kernel.reconciler.ConnectorRun;
import dev.mandate.kernel.reconciler.DriftFinding;
import dev.mandate.kernel.reconciler.DriftKind;
import dev.mandate.kernel.reconciler.DriftService;
import dev.mandate.kernel.reconciler.ReconcilerStatus;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Reads the facts from the running services and scores them ({@link Scoring}). Evidence is counted
 * for the last {@value #WINDOW_DAYS} days (connector runs for the last day): record counts by the
 * ledger, decision facts by a {@link DecisionTally} that reads each decision once; nothing holds
 * the window in memory. The whole chain is verified at most every {@value #VERIFY_EVERY_SECONDS}
 * seconds while it verifies (at once again when it did not). Blueprint coverage is evaluated on up
 * to {@value #SAMPLE} elements.
 */
@Component(service = ConformanceService.class)
public class ConformanceServiceImpl implements ConformanceService {
    static final int WINDOW_DAYS = 30;
    static final int SAMPLE = 5_000;
    static final long VERIFY_EVERY_SECONDS = 300;

    private final ModelStore model;
    private final IntentService intent;
    private final EvidenceLedger ledger;
    private final Clock clock;
    private final DecisionTally decisionTally = new DecisionTally();
    private Verification lastVerification; // guarded by decisionTally

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ReconcilerStatus reconciler;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile DriftService drift;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EvidenceSigner signer;

    @Activate
    public ConformanceServiceImpl(@Reference ModelStore model, @Reference IntentService intent,
            @Reference EvidenceLedger ledger) {
        this(model, intent, ledger, null, null, null, Clock.systemUTC());
    }

    ConformanceServiceImpl(ModelStore model, IntentService intent, EvidenceLedger ledger, ReconcilerStatus reconciler,
            DriftService drift, EvidenceSigner signer, Clock clock) {
        this.model = model;
        this.intent = intent;
        this.ledger = ledger;
        this.reconciler = reconciler;
        this.drift = drift;
        this.signer = signer;
        this.clock = clock;
    }

    @Override
    public Assessment assess() {
        return Scoring.assess(facts(), clock.instant());
    }

    Facts facts() {
        Instant now = clock.instant();
        ModelSnapshot snapshot = model.current();
        int elements = 0;
        int withOwner = 0;
        int withEnvironment = 0;
        int sampled = 0;
        int governed = 0;
        String cursor = null;
        do {
            ElementPage page = snapshot.query(new ElementQuery(null, null, null, null, null, null, cursor, 1000));
            for (Element element : page.items()) {
                elements++;
                if (element.owner() != null || intent.ownership(element).isPresent()) {
                    withOwner++;
                }
                if (element.environment() != null) {
                    withEnvironment++;
                }
                if (sampled < SAMPLE) {
                    sampled++;
                    if (!intent.evaluate(new EvaluationContext(element, null, null, now, snapshot)).applicable().isEmpty()) {
                        governed++;
                    }
                }
            }
            cursor = page.nextCursor();
        } while (cursor != null);

        List<BlueprintInfo> blueprints = intent.blueprints();
        Set<String> teamIds = new HashSet<>();
        for (Team team : intent.teams()) {
            teamIds.add(team.id());
        }
        int attributable = 0;
        int ownedByTeam = 0;
        for (BlueprintInfo blueprint : blueprints) {
            if (present(blueprint.version()) && present(blueprint.owner()) && present(blueprint.contentHash())) {
                attributable++;
            }
            if (teamIds.contains(blueprint.owner())) {
                ownedByTeam++;
            }
        }

        ReconcilerStatus runs = reconciler;
        List<ConnectorRun> connectors = runs == null ? List.of() : runs.runs();
        int healthy = 0;
        int fresh = 0;
        long oldest = -1;
        Set<String> domains = new HashSet<>();
        for (ConnectorRun run : connectors) {
            if (run.health() != null && run.health().state() == ConnectorState.OK) {
                healthy++;
            }
            if (run.domain() != null) {
                domains.add(run.domain().name());
            }
            if (run.lastSuccess() != null) {
                long age = Duration.between(run.lastSuccess(), now).toSeconds();
                oldest = Math.max(oldest, age);
                if (age <= 2 * Math.max(1, run.intervalSeconds())) {
                    fresh++;
                }
            } else {
                oldest = Long.MAX_VALUE;
            }
        }
        if (oldest == Long.MAX_VALUE) {
            oldest = -1;
        }

        DriftService findings = drift;
        boolean driftComputed = findings != null && findings.revision() > 0;
        int openDrift = 0;
        int unmanaged = 0;
        int unauthorized = 0;
        if (findings != null) {
            for (DriftFinding finding : findings.findings(null, null, null)) {
                openDrift++;
                if (finding.kind() == DriftKind.UNMANAGED) {
                    unmanaged++;
                } else if (finding.kind() == DriftKind.UNAUTHORIZED) {
                    unauthorized++;
                }
            }
        }

        Instant windowStart = now.minus(Duration.ofDays(WINDOW_DAYS));
        DecisionTally.Counts decisions = decisionTally.update(ledger, windowStart);
        Verification verification = verification(now);
        return new Facts(snapshot.revision(), elements, withOwner, withEnvironment, sampled, governed, blueprints.size(),
                attributable, ownedByTeam, teamIds.size(), connectors.size(), healthy, fresh, domains, oldest,
                driftComputed, openDrift, unmanaged, unauthorized, decisions.decisions(), decisions.withRadius(),
                decisions.complete(), decisions.ai(), decisions.aiWithAgent(), count(windowStart, "enforcement"),
                count(windowStart, "approval.*"), count(windowStart, "blueprint.*"),
                count(now.minus(Duration.ofDays(1)), "connector.run"), verification.result().valid(),
                verification.result().checked(), verification.result().problem(), verification.at(),
                count(windowStart, "evidence.checkpoint"), signer != null);
    }

    /** Records of {@code type} from {@code from} on, counted by the ledger (in SQL for the kernel's). */
    private int count(Instant from, String type) {
        return (int) Math.min(Integer.MAX_VALUE,
                ledger.count(new EvidenceQuery(from, null, type, null, null, null, null, null, 0, 1)));
    }

    /** A verification of the whole chain and when it ran. */
    private record Verification(VerificationResult result, Instant at) {
    }

    /**
     * The last verification of the whole chain if it is younger than {@value #VERIFY_EVERY_SECONDS}
     * seconds, else a new one: a chain of millions of records takes a while to verify, and an
     * assessment need not repeat that each time it is asked for.
     */
    private Verification verification(Instant now) {
        synchronized (decisionTally) {
            Verification last = lastVerification;
            if (last != null && Duration.between(last.at(), now).toSeconds() < VERIFY_EVERY_SECONDS && last.result().valid()) {
                return last;
            }
            lastVerification = new Verification(ledger.verify(), now);
            return lastVerification;
        }
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
