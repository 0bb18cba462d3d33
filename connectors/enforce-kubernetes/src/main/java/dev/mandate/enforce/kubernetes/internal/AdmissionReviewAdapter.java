package dev.mandate.enforce.kubernetes.internal;

import java.util.ArrayList;
import java.util.List;

import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Decision;
import dev.mandate.api.decision.Outcome;
import dev.mandate.api.decision.Reason;
import dev.mandate.api.enforcement.EnforcementAdapter;
import dev.mandate.api.enforcement.InvalidChangeException;
import dev.mandate.enforce.kubernetes.AdmissionReview;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Translates an AdmissionReview v1 into the one action request it proposes (none for CONNECT, status
 * updates and exempt namespaces) and the decision back into an AdmissionReview v1 answer: the uid echoed,
 * {@code allowed} only for ALLOW, the reasons in {@code status.message}, obligations and approval
 * explanations as {@code warnings}. An admission cannot wait, so REQUIRE_APPROVAL is refused with the
 * approval request named. Thread-safe.
 */
@Component(service = {EnforcementAdapter.class, AdmissionReviewAdapter.class},
        configurationPid = "dev.mandate.enforce.kubernetes", property = "mandate.adapter=kubernetes")
@Designate(ocd = AdmissionReviewAdapterConfig.class)
public class AdmissionReviewAdapter implements EnforcementAdapter<AdmissionReview, AdmissionReview> {

    static final String ID = "kubernetes";
    static final int FORBIDDEN = 403;
    static final int INTERNAL_ERROR = 500;

    private volatile Settings settings;

    @Activate
    public AdmissionReviewAdapter(AdmissionReviewAdapterConfig config) {
        this.settings = settingsOf(config);
    }

    AdmissionReviewAdapter(Settings settings) {
        this.settings = settings;
    }

    @Modified
    void modified(AdmissionReviewAdapterConfig config) {
        this.settings = settingsOf(config);
    }

    @Override
    public String id() {
        return ID;
    }

    /** What the review asks: the action request to decide, or why none is needed. */
    Admission read(AdmissionReview review) throws InvalidChangeException {
        return new AdmissionMapper(settings).read(review);
    }

    @Override
    public List<ActionRequest> toRequests(AdmissionReview input) throws InvalidChangeException {
        Admission admission = read(input);
        return admission.decided() ? List.of(admission.request()) : List.of();
    }

    @Override
    public AdmissionReview toResponse(AdmissionReview input, List<Decision> decisions) {
        String uid = input.uid();
        if (decisions.isEmpty()) {
            return AdmissionReview.answer(uid, true, null, null, List.of());
        }
        List<String> warnings = new ArrayList<>();
        Outcome outcome = Outcome.ALLOW;
        List<String> messages = new ArrayList<>();
        for (Decision decision : decisions) {
            for (String obligation : decision.obligations()) {
                warnings.add("mandate obligation: " + obligation);
            }
            if (decision.outcome() == Outcome.DENY) {
                outcome = Outcome.DENY;
                messages.add("mandate denied this change: " + reasons(decision, "deny"));
            } else if (decision.outcome() == Outcome.REQUIRE_APPROVAL) {
                if (outcome != Outcome.DENY) {
                    outcome = Outcome.REQUIRE_APPROVAL;
                }
                String approvers = decision.approvers().isEmpty() ? "the owner" : String.join(", ",
                        decision.approvers());
                String approval = decision.approvalId() == null ? "" : " (approval request " + decision.approvalId()
                        + ")";
                messages.add("mandate requires approval by " + approvers + approval + ": "
                        + reasons(decision, "require-approval"));
                warnings.add("an admission request cannot wait for an approval, so this change was refused; "
                        + approvers + " can approve it" + (decision.approvalId() == null ? ""
                                : " as approval request " + decision.approvalId()));
            }
        }
        if (outcome == Outcome.ALLOW) {
            return AdmissionReview.answer(uid, true, null, null, warnings);
        }
        return AdmissionReview.answer(uid, false, FORBIDDEN, String.join("; ", messages), warnings);
    }

    /** The answer when the change is admitted without a decision (CONNECT, status, exempt namespace). */
    AdmissionReview admittedWithoutDecision(AdmissionReview review) {
        return AdmissionReview.answer(review.uid(), true, null, null, List.of());
    }

    /**
     * The answer when deciding failed after the review was read: refused (fail-closed, the default) or
     * admitted with a warning (fail-open).
     */
    AdmissionReview failure(AdmissionReview review, String problem) {
        String text = "mandate could not decide this change: " + problem;
        if (settings.failOpen()) {
            return AdmissionReview.answer(review.uid(), true, null, null, List.of(text
                    + " (admitted: the webhook fails open)"));
        }
        return AdmissionReview.answer(review.uid(), false, INTERNAL_ERROR, text + " (refused: the webhook fails "
                + "closed)", List.of());
    }

    Settings settings() {
        return settings;
    }

    /** {@code source: message} of the reasons with this effect (all reasons when none has it), joined. */
    static String reasons(Decision decision, String effect) {
        List<Reason> chosen = decision.reasons().stream().filter(r -> effect.equals(r.effect())).toList();
        if (chosen.isEmpty()) {
            chosen = decision.reasons();
        }
        if (chosen.isEmpty()) {
            return "no reason was given";
        }
        List<String> parts = new ArrayList<>(chosen.size());
        for (Reason reason : chosen) {
            parts.add(reason.source() + ": " + reason.message());
        }
        return String.join("; ", parts);
    }

    private static Settings settingsOf(AdmissionReviewAdapterConfig config) {
        return Settings.of(config.cluster(), config.namespaces(), config.defaultEnvironment(),
                config.defaultTrustZone(), config.defaultPodSecurity(), config.failurePolicy(),
                config.exemptNamespaces(), config.systemUsers(), config.aiUsers());
    }
}
