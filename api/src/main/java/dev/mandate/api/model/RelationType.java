package dev.mandate.api.model;

import java.util.Locale;

/**
 * The typed edges of the model. Names are upper case on the wire ({@code DEPENDS_ON}).
 */
public enum RelationType {
    /** The source contains the target (an account contains a VPC, a VPC a subnet). */
    CONTAINS,
    /** The source needs the target to work: the source is a dependent of the target. */
    DEPENDS_ON,
    /** The source opens network connections to the target; properties name ports and protocols. */
    CONNECTS_TO,
    /** Data moves from the source to the target; properties carry its {@code classification}. */
    FLOWS_DATA_TO,
    /** The source identity is a member of the target group. */
    MEMBER_OF,
    /** The source identity may assume the target role. */
    ASSUMES,
    /** The source trusts the target (an IAM role trusting an account, a federation). */
    TRUSTS,
    /** The source is backed up by the target (a backup plan or vault). */
    BACKED_UP_BY,
    /** The source is hosted on the target (a VM on a hypervisor host). */
    HOSTED_ON,
    /** The source routes traffic to the target (a route table, a load balancer). */
    ROUTES_TO,
    /** The source is attached to the target (a security group to an instance, a NIC to a VM). */
    ATTACHED_TO;

    /**
     * Parses a wire name, case-insensitively and with {@code -} accepted for {@code _}.
     *
     * @throws IllegalArgumentException naming the unknown type and the known ones
     */
    public static RelationType parse(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("relation type is missing");
        }
        String normalized = name.trim().replace('-', '_').toUpperCase(Locale.ROOT);
        for (RelationType type : values()) {
            if (type.name().equals(normalized)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown relation type '" + name + "' (known: "
                + java.util.Arrays.toString(values()) + ")");
    }
}
