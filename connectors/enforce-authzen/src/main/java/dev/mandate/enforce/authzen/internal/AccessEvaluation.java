package dev.mandate.enforce.authzen.internal;

import java.util.Map;

/**
 * One access evaluation as the policy enforcement point sent it, with the defaults of a batch already applied.
 *
 * @param tuple   the subject, action, resource and context
 * @param pointer where it sits in the body: {@code ""} for a single evaluation, {@code /evaluations/2} in a batch
 * @param caller  the authenticated caller (the policy enforcement point), or {@code null} without authentication
 */
record AccessEvaluation(Map<String, Object> tuple, String pointer, String caller) {

    /** An evaluation whose caller was not authenticated. */
    AccessEvaluation(Map<String, Object> tuple, String pointer) {
        this(tuple, pointer, null);
    }
}
