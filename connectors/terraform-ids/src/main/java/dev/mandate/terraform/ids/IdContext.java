package dev.mandate.terraform.ids;

/**
 * What a resource's own attributes may not say: the AWS account and region and the Azure
 * subscription it is deployed to. Comes from configuration, from the plan's provider
 * configuration, or from the caller; any field may be {@code null} (not known).
 *
 * @param awsAccount        the 12-digit AWS account id
 * @param awsRegion         the AWS region ({@code eu-west-1})
 * @param azureSubscription the Azure subscription GUID
 */
public record IdContext(String awsAccount, String awsRegion, String azureSubscription) {

    /** Nothing known. */
    public static final IdContext EMPTY = new IdContext(null, null, null);

    public IdContext {
        awsAccount = blankToNull(awsAccount);
        awsRegion = blankToNull(awsRegion) == null ? null : awsRegion.trim().toLowerCase(java.util.Locale.ROOT);
        azureSubscription = blankToNull(azureSubscription) == null ? null
                : azureSubscription.trim().toLowerCase(java.util.Locale.ROOT);
    }

    /** This context, with each field it lacks taken from {@code fallback}. */
    public IdContext orElse(IdContext fallback) {
        if (fallback == null) {
            return this;
        }
        return new IdContext(awsAccount != null ? awsAccount : fallback.awsAccount,
                awsRegion != null ? awsRegion : fallback.awsRegion,
                azureSubscription != null ? azureSubscription : fallback.azureSubscription);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
