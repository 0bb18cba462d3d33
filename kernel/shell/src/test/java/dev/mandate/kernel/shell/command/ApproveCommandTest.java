package dev.mandate.kernel.shell.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import javax.security.auth.Subject;

import dev.mandate.api.decision.ActorKind;

import org.apache.karaf.jaas.boot.principal.GroupPrincipal;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.junit.jupiter.api.Test;

class ApproveCommandTest {

    @Test
    void theApproverIsTheLoggedInUserWithTheRealmsRolesAndGroupsAsGroups() {
        Subject subject = new Subject(false, Set.of(new UserPrincipal("paula"), new RolePrincipal("grp-payments-approvers"),
                new GroupPrincipal("admingroup")), Set.of(), Set.of());

        var approver = ApproveCommand.sessionUser(subject);

        assertThat(approver.id()).isEqualTo("paula");
        assertThat(approver.kind()).isEqualTo(ActorKind.HUMAN);
        assertThat(approver.groups()).containsExactly("admingroup", "grp-payments-approvers");
        assertThat(approver.assurance()).isEqualTo("shell");
    }

    @Test
    void theAiRoleMakesAnAiWhichTheApprovalsRefuse() {
        Subject subject = new Subject(false, Set.of(new UserPrincipal("agent-7"), new RolePrincipal("mandate-ai")),
                Set.of(), Set.of());

        assertThat(ApproveCommand.sessionUser(subject).kind()).isEqualTo(ActorKind.AI);
    }

    @Test
    void withoutALoggedInUserThereIsNoApprover() {
        assertThat(ApproveCommand.sessionUser(null)).isNull();
        assertThat(ApproveCommand.sessionUser(new Subject())).isNull();
    }
}
