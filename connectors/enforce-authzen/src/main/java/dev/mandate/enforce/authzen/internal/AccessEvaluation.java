package dev.mandate.enforce.authzen.internal;

import java.util.Map;

/**
 * One access evaluation as the policy enforcement point sent it, with the defaults of a batch already applied.
 *
 * @param tuple   the subject, action, resource and context
 * @param pointer where it sits in the body: {@code ""} for a single evaluation, {@code /evaluations/2} in a batch
 */
record AccessEvaluation(Map<String, Object> tuple, String pointer) {
}
