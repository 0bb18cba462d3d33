package dev.mandate.kernel.approvals.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Mandate approvals")
@interface ApprovalServiceConfig {

    @AttributeDefinition(description = "Minutes an approval request waits at one level before it escalates")
    long expiryMinutes() default 240;

    @AttributeDefinition(description = "Seconds between checks for overdue approval requests")
    long sweepSeconds() default 30;

    @AttributeDefinition(description = "Milliseconds between looks at the approval requests other nodes sharing the"
            + " database changed: a request decided there stops being named as open here within this bound")
    long refreshMillis() default 2000;

    @AttributeDefinition(description = "Most escalations along a team's chain before a request expires")
    int maxEscalations() default 3;
}
