package dev.mandate.terraform.ids;

/**
 * The outcome of mapping one Terraform resource: the element it is, or why there is none.
 *
 * @param type     the Terraform resource type
 * @param resource the element, or {@code null} when unmapped
 * @param reason   when unmapped, one lowercase line saying why ({@code resource type 'x' is not mapped}); else {@code null}
 * @param pending  when unmapped only because the parent it configures is not known before apply (its
 *                 reference attribute is unknown), what the parent would be; else {@code null}. A caller
 *                 that knows the configuration can follow the reference to the parent resource
 */
public record IdMapping(String type, MappedResource resource, String reason, PendingParent pending) {

    /**
     * A parent that cannot be named yet.
     *
     * @param kind      the parent's kind
     * @param facet     the facet the resource configures
     * @param attribute the attribute whose value, unknown until apply, names the parent
     */
    public record PendingParent(String kind, String facet, String attribute) {
    }

    public static IdMapping mapped(String type, MappedResource resource) {
        return new IdMapping(type, resource, null, null);
    }

    public static IdMapping unmapped(String type, String reason) {
        return new IdMapping(type, null, reason, null);
    }

    public static IdMapping pending(String type, PendingParent parent) {
        return new IdMapping(type, null, "the " + parent.kind() + " that '" + type + "' configures is not known before apply ('"
                + parent.attribute() + "' is unknown)", parent);
    }

    /** Whether an element was found. */
    public boolean isMapped() {
        return resource != null;
    }
}
