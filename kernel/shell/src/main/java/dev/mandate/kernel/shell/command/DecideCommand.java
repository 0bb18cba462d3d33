package dev.mandate.kernel.shell.command;

import java.util.List;

import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Actor;
import dev.mandate.api.decision.ActorKind;
import dev.mandate.api.decision.AgentInfo;
import dev.mandate.api.decision.Decision;
import dev.mandate.api.decision.DecisionPoint;
import dev.mandate.api.decision.Reason;
import dev.mandate.api.decision.UnknownTargetException;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "mandate", name = "decide", description = "Asks the decision point whether an action is legitimate (recorded as evidence)")
@Service
public class DecideCommand implements Action {

    @Reference
    DecisionPoint decisionPoint;

    @Argument(index = 0, name = "action", required = true,
            description = "create, update, delete, replace, access-grant, access-revoke, scale, restart")
    String action;

    @Argument(index = 1, name = "target", required = true, description = "The element id")
    String target;

    @Option(name = "-a", aliases = "--actor", required = true, description = "Who asks")
    String actorId;

    @Option(name = "-k", aliases = "--kind", description = "HUMAN, SYSTEM or AI")
    String kind = "HUMAN";

    @Option(name = "-t", aliases = "--team", description = "The team the actor acts for")
    String team;

    @Option(name = "-g", aliases = "--group", multiValued = true, description = "An identity group of the actor")
    List<String> groups;

    @Option(name = "--model", description = "For AI actors: the agent's model id")
    String model;

    @Option(name = "--prompt-sha256", description = "For AI actors: SHA-256 of the prompt or plan")
    String promptSha256;

    @Option(name = "-j", aliases = "--justification", description = "Why")
    String justification = "asked from the Karaf shell";

    @Option(name = "--dry-run", description = "Decide and record as a what-if, without issuing an execution grant")
    boolean dryRun;

    @Override
    public Object execute() {
        ActorKind actorKind = ActorKind.valueOf(kind.toUpperCase(java.util.Locale.ROOT));
        AgentInfo agent = model == null && promptSha256 == null ? null : new AgentInfo(model, promptSha256);
        Actor actor = new Actor(actorId, actorKind, team, groups, agent, "shell");
        try {
            Decision decision = decisionPoint.decide(ActionRequest.of(actor,
                    dev.mandate.api.decision.Action.parse(action), target, justification), dryRun);
            print(decision);
        } catch (UnknownTargetException | IllegalArgumentException e) {
            System.err.println(e.getMessage());
        }
        return null;
    }

    private static void print(Decision decision) {
        System.out.println(decision.outcome());
        for (Reason reason : decision.reasons()) {
            System.out.printf("  %-16s %s%n    %s%n", reason.effect(), reason.source(), reason.message());
        }
        if (!decision.approvers().isEmpty()) {
            System.out.println("approvers     " + String.join(", ", decision.approvers()));
        }
        if (!decision.obligations().isEmpty()) {
            System.out.println("obligations   " + String.join("; ", decision.obligations()));
        }
        if (decision.blastRadius() != null) {
            System.out.printf("blast radius  %d dependents, owners %s%n", decision.blastRadius().count(),
                    String.join(", ", decision.blastRadius().owners()));
        }
        System.out.printf("revision      %d%nevidence      %s%ndecision      %s%s%n", decision.modelRevision(),
                decision.evidence(), decision.decisionId(), decision.dryRun() ? " (dry run)" : "");
        if (decision.grant() != null) {
            System.out.println("grant         " + decision.grant());
        }
        if (!decision.remedies().isEmpty()) {
            System.out.println("to get an ALLOW");
            for (dev.mandate.api.decision.Remedy remedy : decision.remedies()) {
                System.out.printf("  %-22s %s%s%n", remedy.kind(), remedy.message(), remedy.sufficient() ? " (enough)" : "");
            }
        }
    }
}
