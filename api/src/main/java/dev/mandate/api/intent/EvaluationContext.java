package dev.mandate.api.intent;

import java.time.Instant;

import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.model.BlastRadius;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.ModelSnapshot;

/**
 * What constraints are evaluated against: the CEL variables {@code element}, {@code actor},
 * {@code request}, {@code blastRadius}, {@code drift} and {@code now}, and the model that structure
 * and data-flow rules read.
 *
 * @param target      the element the request is on (for a create, the element as it would be)
 * @param request     the request
 * @param blastRadius the target's blast radius
 * @param now         the decision time (freeze windows and waiver expiry are judged at it)
 * @param model       the model snapshot the decision is taken on, so that required relations and
 *                    the trust zones of a flow's ends are read at the same revision; {@code null}
 *                    lets the intent service read the current model (since 1.1)
 * @param drift       the open drift on the target and in its blast radius (since 1.3);
 *                    {@code null} is read as {@link TargetDrift#none()}
 */
public record EvaluationContext(Element target, ActionRequest request, BlastRadius blastRadius, Instant now,
        ModelSnapshot model, TargetDrift drift) {

    public EvaluationContext {
        drift = drift == null ? TargetDrift.none() : drift;
    }

    /** A context without drift, as version 1.2 built it. */
    public EvaluationContext(Element target, ActionRequest request, BlastRadius blastRadius, Instant now,
            ModelSnapshot model) {
        this(target, request, blastRadius, now, model, TargetDrift.none());
    }

    /** A context without a model snapshot, as version 1.0 built it. */
    public EvaluationContext(Element target, ActionRequest request, BlastRadius blastRadius, Instant now) {
        this(target, request, blastRadius, now, null, TargetDrift.none());
    }
}
