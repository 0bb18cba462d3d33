package dev.mandate.kernel.decision.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mandate.api.decision.Remedy;

/** Small steps on lists of remedies once the decision is recorded. */
final class Remedies {
    private Remedies() {
    }

    /** The request-approval remedy names the approval request that was opened for the decision. */
    static List<Remedy> withApprovalId(List<Remedy> remedies, String approvalId) {
        if (approvalId == null) {
            return remedies;
        }
        List<Remedy> named = new ArrayList<>(remedies.size());
        for (Remedy remedy : remedies) {
            if ("request-approval".equals(remedy.kind())) {
                Map<String, Object> parameters = new LinkedHashMap<>(remedy.parameters());
                parameters.put("approvalId", approvalId);
                named.add(new Remedy(remedy.kind(), remedy.message() + " (approval request '" + approvalId + "')",
                        remedy.clears(), parameters, remedy.sufficient()));
            } else {
                named.add(remedy);
            }
        }
        return named;
    }
}
