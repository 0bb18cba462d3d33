package dev.mandate.enforce.kubernetes.internal;

import dev.mandate.api.decision.ActionRequest;

/**
 * What one AdmissionRequest asks, as read by {@link AdmissionMapper}.
 *
 * @param uid        the request's uid (echoed in the answer)
 * @param operation  CREATE, UPDATE, DELETE or CONNECT
 * @param request    the action request to decide, or {@code null} when the change is admitted without a decision
 * @param skipReason why no decision is needed, when {@code request} is {@code null}
 */
record Admission(String uid, String operation, ActionRequest request, String skipReason) {

    boolean decided() {
        return request != null;
    }
}
