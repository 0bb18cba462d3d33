package dev.mandate.api.intent;

import java.util.List;

/**
 * A team that can own elements (IOM §7).
 *
 * @param id             unique id ({@code team-payments})
 * @param displayName    human name
 * @param groups         identity groups whose members belong to the team
 * @param decisionRights what the team may do to what it owns
 * @param escalation     team ids to escalate to, in order, when an approval is not given in time
 * @param version        the version of the document that declared it
 */
public record Team(String id, String displayName, List<String> groups, List<DecisionRight> decisionRights,
        List<String> escalation, String version) {

    public Team {
        groups = groups == null ? List.of() : List.copyOf(groups);
        decisionRights = decisionRights == null ? List.of() : List.copyOf(decisionRights);
        escalation = escalation == null ? List.of() : List.copyOf(escalation);
    }
}
