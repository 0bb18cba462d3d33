package dev.mandate.terraform.ids;

import java.util.Optional;

/**
 * An Amazon Resource Name, {@code arn:<partition>:<service>:<region>:<account>:<resource>}. The
 * resource part keeps any further colons ({@code function:name:alias}).
 *
 * @param partition {@code aws}, {@code aws-cn}, {@code aws-us-gov}
 * @param service   the service namespace ({@code ec2}, {@code s3}, {@code elasticloadbalancing})
 * @param region    the region, empty for global services and S3
 * @param account   the 12-digit account, empty for S3 buckets
 * @param resource  everything after the account
 */
public record Arn(String partition, String service, String region, String account, String resource) {

    /** Parses {@code text}; empty when it is not an ARN (not a string starting with {@code arn:}, or too few parts). */
    public static Optional<Arn> parse(Object text) {
        if (!(text instanceof String s) || !s.startsWith("arn:")) {
            return Optional.empty();
        }
        String[] parts = s.split(":", 6);
        if (parts.length < 6 || parts[1].isEmpty() || parts[2].isEmpty() || parts[5].isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Arn(parts[1], parts[2], parts[3], parts[4], parts[5]));
    }

    /**
     * The resource type: the part of {@link #resource()} before the first {@code /} or {@code :}, or
     * empty when the resource has neither ({@code arn:aws:s3:::bucket}, {@code arn:aws:sqs:…:queue}).
     */
    public String resourceType() {
        int cut = separator();
        return cut < 0 ? "" : resource.substring(0, cut);
    }

    /** The resource id: {@link #resource()} without its type prefix ({@code app/web/50dc6c495c0c9188} for a load balancer). */
    public String resourceId() {
        int cut = separator();
        return cut < 0 ? resource : resource.substring(cut + 1);
    }

    /** The last {@code /}-separated part of {@link #resourceId()} (a role's name without its path). */
    public String lastName() {
        String id = resourceId();
        return id.substring(id.lastIndexOf('/') + 1);
    }

    private int separator() {
        int slash = resource.indexOf('/');
        int colon = resource.indexOf(':');
        if (slash < 0) {
            return colon;
        }
        return colon < 0 ? slash : Math.min(slash, colon);
    }
}
