package dev.mandate.kernel.decision.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Outcome;
import dev.mandate.api.decision.Reason;
import dev.mandate.api.intent.DecisionRight;
import dev.mandate.api.intent.Effect;
import dev.mandate.api.intent.Evaluation;
import dev.mandate.api.intent.Fallback;
import dev.mandate.api.intent.Notice;
import dev.mandate.api.intent.RuleMatch;
import dev.mandate.api.intent.Team;
import dev.mandate.api.model.Element;

/**
 * Combines decision rights and matching constraints into a verdict, as DESIGN.md "How effects
 * combine" says: a permit comes from a decision right of an owning team the actor belongs to or
 * from an allow rule; any deny wins; require-approval turns a permit into REQUIRE_APPROVAL; with
 * no permit the fallback applies (owner approval, or deny without owner or with {@code fallback: deny}).
 * Pure and deterministic: the same inputs give the same verdict with reasons in the same order.
 */
final class EffectCombiner {

    static final String NO_RIGHT = "mandate#no-decision-right";

    private final Function<String, Optional<Team>> teams;

    EffectCombiner(Function<String, Optional<Team>> teams) {
        this.teams = teams;
    }

    /** An approval given by a holder of the decision right: it satisfies require-approval, never a deny. */
    record Approval(String id, String approver) {
        Reason reason() {
            return new Reason("approval:" + id, "allow", "approved by '" + approver + "'");
        }
    }

    Verdict combine(ActionRequest request, Element target, Evaluation evaluation) {
        return combine(request, target, evaluation, null);
    }

    Verdict combine(ActionRequest request, Element target, Evaluation evaluation, Approval approval) {
        List<Reason> denies = new ArrayList<>();
        List<Reason> approvals = new ArrayList<>();
        List<Reason> permits = new ArrayList<>();
        Set<String> obligations = new LinkedHashSet<>();

        for (RuleMatch match : evaluation.matches()) {
            Reason reason = new Reason(match.source(), match.effect().toString(), match.message());
            switch (match.effect()) {
                case DENY -> denies.add(reason);
                case REQUIRE_APPROVAL -> approvals.add(reason);
                case ALLOW -> permits.add(reason);
                default -> throw new IllegalStateException("unhandled effect " + match.effect());
            }
            obligations.addAll(match.obligations());
        }
        for (Notice notice : evaluation.notices()) {
            obligations.addAll(notice.obligations());
        }
        Optional<Team> owner = target.hasOwner() ? teams.apply(target.owner()) : Optional.empty();
        owner.flatMap(team -> rightOf(team, request, target)).ifPresent(permits::add);

        List<String> approvers = owner.map(team -> List.of(team.id()))
                .orElse(target.hasOwner() ? List.of(target.owner()) : List.of());
        List<String> obligationList = List.copyOf(obligations);
        Verdict verdict = decisive(request, target, evaluation, approval, denies, approvals, permits, obligationList,
                approvers);
        return verdict.withNotices(shown(evaluation.notices()), evaluation.notices());
    }

    /** Waived and warn-mode matches are shown after the decisive reasons; audit-mode ones are only recorded. */
    private static List<Reason> shown(List<Notice> notices) {
        List<Reason> shown = new ArrayList<>();
        for (Notice notice : notices) {
            if (notice.kind() != Notice.Kind.AUDIT) {
                shown.add(new Reason(notice.source(), notice.kind().toString(), notice.message()));
            }
        }
        return shown;
    }

    private Verdict decisive(ActionRequest request, Element target, Evaluation evaluation, Approval approval,
            List<Reason> denies, List<Reason> approvals, List<Reason> permits, List<String> obligationList,
            List<String> approvers) {

        if (!denies.isEmpty()) {
            return new Verdict(Outcome.DENY, concat(denies, approvals, permits), obligationList, List.of());
        }
        if (approval != null && (!permits.isEmpty() || canApprove(target, evaluation))) {
            return new Verdict(Outcome.ALLOW, concat(List.of(approval.reason()), approvals, permits), obligationList,
                    List.of());
        }
        if (!permits.isEmpty()) {
            if (!approvals.isEmpty()) {
                return new Verdict(Outcome.REQUIRE_APPROVAL, concat(approvals, permits), obligationList,
                        approvers);
            }
            return new Verdict(Outcome.ALLOW, permits, obligationList, List.of());
        }
        return fallback(request, target, evaluation, approvals, obligationList, approvers);
    }

    /** Whether the owner's approval is the authority that can permit this: the owner-approval fallback. */
    private static boolean canApprove(Element target, Evaluation evaluation) {
        return target.hasOwner() && evaluation.fallback() == Fallback.OWNER_APPROVAL;
    }

    private Verdict fallback(ActionRequest request, Element target, Evaluation evaluation, List<Reason> approvals,
            List<String> obligations, List<String> approvers) {
        String what = "'" + request.actor().id() + "' holds no decision right for " + request.action()
                + " on '" + target.id() + "'";
        if (!target.hasOwner()) {
            Reason reason = new Reason(NO_RIGHT, "deny", what + " and the element has no accountable owner to approve it");
            return new Verdict(Outcome.DENY, concat(List.of(reason), approvals), obligations, List.of());
        }
        if (evaluation.fallback() == Fallback.DENY) {
            Reason reason = new Reason(NO_RIGHT, "deny", what + " and a blueprint that applies ("
                    + String.join(", ", evaluation.applicable()) + ") falls back to deny");
            return new Verdict(Outcome.DENY, concat(List.of(reason), approvals), obligations, List.of());
        }
        Reason reason = new Reason(NO_RIGHT, Effect.REQUIRE_APPROVAL.toString(),
                what + ": the owner '" + target.owner() + "' must approve it");
        return new Verdict(Outcome.REQUIRE_APPROVAL, concat(List.of(reason), approvals), obligations,
                approvers);
    }

    private Optional<Reason> rightOf(Team team, ActionRequest request, Element target) {
        if (!Membership.belongsTo(request.actor(), team)) {
            return Optional.empty();
        }
        String action = request.action().wireName();
        for (DecisionRight right : team.decisionRights()) {
            if (right.covers(action, target.environment())) {
                return Optional.of(new Reason("team:" + team.id() + "#" + right.id(), "allow",
                        "'" + request.actor().id() + "' acts for '" + team.id() + "', which owns '" + target.id()
                                + "' and holds the right '" + right.id() + "' for " + action
                                + (target.environment() == null ? "" : " in " + target.environment())));
            }
        }
        return Optional.empty();
    }

    @SafeVarargs
    private static List<Reason> concat(List<Reason>... lists) {
        List<Reason> all = new ArrayList<>();
        for (List<Reason> list : lists) {
            all.addAll(list);
        }
        return all;
    }
}
