package dev.mandate.terraform.ids;

/**
 * The element a Terraform resource is, or configures.
 *
 * @param elementId   the element id (valid per {@code ElementIds})
 * @param kind        the element kind, the id's first three segments
 * @param facet       for a resource that configures a parent ({@code aws_s3_bucket_policy}), what it
 *                    configures ({@code policy}); a change to it is an update of the parent. {@code null}
 *                    for a resource that is an element of its own
 * @param provisional whether some part of the id was not read from the resource's attributes but filled in
 *                    from the {@link IdContext} or the Terraform address (a create whose native id the cloud
 *                    has not assigned yet, an account no attribute names): it may differ from the id the
 *                    cloud connectors will observe
 */
public record MappedResource(String elementId, String kind, String facet, boolean provisional) {
}
