package dev.mandate.enforce.terraform.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Actor;
import dev.mandate.api.decision.ActorKind;
import dev.mandate.api.decision.Decision;
import dev.mandate.api.decision.Outcome;
import dev.mandate.api.enforcement.EnforcementAdapter;
import dev.mandate.api.enforcement.InvalidChangeException;
import dev.mandate.enforce.terraform.TerraformGateReport;
import dev.mandate.enforce.terraform.TerraformPlan;
import dev.mandate.terraform.ids.IdContext;
import dev.mandate.terraform.ids.TerraformResourceIds;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Translates a Terraform plan into one action request per governed resource change (create, update,
 * delete, replace; sub-resources as updates of the element they configure) and the decisions back into
 * a gate report. No-op changes, reads and ungoverned providers are skipped and listed. Thread-safe.
 */
@Component(service = {EnforcementAdapter.class, TerraformPlanAdapter.class},
        configurationPid = "dev.mandate.enforce.terraform", property = "mandate.adapter=terraform")
@Designate(ocd = TerraformPlanAdapterConfig.class)
public class TerraformPlanAdapter implements EnforcementAdapter<TerraformPlan, TerraformGateReport> {

    static final String ID = "terraform";

    private final TerraformResourceIds ids = new TerraformResourceIds();
    private volatile Settings settings;

    @Activate
    public TerraformPlanAdapter(TerraformPlanAdapterConfig config) {
        this.settings = settingsOf(config);
    }

    TerraformPlanAdapter(Settings settings) {
        this.settings = settings;
    }

    @Modified
    void modified(TerraformPlanAdapterConfig config) {
        this.settings = settingsOf(config);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<ActionRequest> toRequests(TerraformPlan input) throws InvalidChangeException {
        List<ActionRequest> requests = new ArrayList<>();
        for (PlannedChange change : new PlanReader(ids, settings, input).read()) {
            if (change.isDecided()) {
                requests.add(change.request());
            }
        }
        return requests;
    }

    @Override
    public TerraformGateReport toResponse(TerraformPlan input, List<Decision> decisions) {
        PlanReader reader = new PlanReader(ids, settings, input);
        List<PlannedChange> changes;
        try {
            changes = reader.read();
        } catch (InvalidChangeException e) {
            // toRequests read the same plan without complaint
            throw new IllegalStateException("the plan changed between reading and answering: " + e.getMessage(), e);
        }
        Decision[] byChange = new Decision[changes.size()];
        int next = 0;
        for (int i = 0; i < changes.size(); i++) {
            if (changes.get(i).isDecided()) {
                if (next >= decisions.size()) {
                    throw new IllegalArgumentException("expected a decision for every planned change, got "
                            + decisions.size());
                }
                byChange[i] = decisions.get(next++);
            }
        }
        List<TerraformGateReport.Change> rows = new ArrayList<>();
        List<TerraformGateReport.Skipped> skipped = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            PlannedChange change = changes.get(i);
            if (change.isSkipped()) {
                skipped.add(new TerraformGateReport.Skipped(change.address(), change.skipReason()));
                continue;
            }
            boolean covered = change.coveredBy() >= 0;
            Decision decision = covered ? byChange[change.coveredBy()] : byChange[i];
            rows.add(new TerraformGateReport.Change(change.address(), change.action(), change.elementId(),
                    change.facet(), change.provisional(), decision == null ? null : decision.outcome(),
                    decision == null ? List.of() : decision.reasons().stream()
                            .map(r -> new TerraformGateReport.Cause(r.source(), r.message())).toList(),
                    decision == null ? List.of() : decision.approvers(), decision == null ? null : decision.grant(),
                    decision == null ? null : decision.decisionId(),
                    covered ? changes.get(change.coveredBy()).address() : null));
        }
        return new TerraformGateReport(combined(decisions), null, reader.terraformVersion(), reader.formatVersion(),
                rows, skipped);
    }

    static Outcome combined(List<Decision> decisions) {
        Outcome outcome = Outcome.ALLOW;
        for (Decision decision : decisions) {
            if (decision.outcome() == Outcome.DENY) {
                return Outcome.DENY;
            }
            if (decision.outcome() == Outcome.REQUIRE_APPROVAL) {
                outcome = Outcome.REQUIRE_APPROVAL;
            }
        }
        return outcome;
    }

    private static Settings settingsOf(TerraformPlanAdapterConfig config) {
        String actor = config.defaultActor() == null || config.defaultActor().isBlank() ? ID : config.defaultActor().trim();
        Set<String> ungoverned = config.ungovernedProviders() == null ? Set.of()
                : Set.copyOf(List.of(config.ungovernedProviders()).stream().map(String::trim)
                        .filter(s -> !s.isEmpty()).toList());
        return new Settings(new Actor(actor, ActorKind.SYSTEM, null, List.of(), null, null),
                new IdContext(config.awsAccount(), config.awsRegion(), config.azureSubscription()), ungoverned);
    }
}
