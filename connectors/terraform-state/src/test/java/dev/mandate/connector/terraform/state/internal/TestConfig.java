package dev.mandate.connector.terraform.state.internal;

import java.lang.annotation.Annotation;

/** A configuration of the state connector as Config Admin would give it. */
record TestConfig(String path, String id, int interval, String awsAccount, String awsRegion, String azureSubscription,
        String environment, String owner, String trustZone, String s3Region, String s3Endpoint, boolean s3PathStyle,
        String azureSasToken, String azureAccountKey) implements TerraformStateConnectorConfig {

    static TestConfig of(String path) {
        return new TestConfig(path, "", 60, "", "", "", "prod", "", "", "", "", false, "", "");
    }

    TestConfig with(String id, String account, String region, String owner) {
        return new TestConfig(path, id, interval, account, region, azureSubscription, environment, owner, trustZone,
                s3Region, s3Endpoint, s3PathStyle, azureSasToken, azureAccountKey);
    }

    TestConfig s3(String endpoint) {
        return new TestConfig(path, id, interval, awsAccount, awsRegion, azureSubscription, environment, owner,
                trustZone, "eu-west-1", endpoint, true, azureSasToken, azureAccountKey);
    }

    TestConfig sas(String token) {
        return new TestConfig(path, id, interval, awsAccount, awsRegion, azureSubscription, environment, owner,
                trustZone, s3Region, s3Endpoint, s3PathStyle, token, azureAccountKey);
    }

    @Override
    public Class<? extends Annotation> annotationType() {
        return TerraformStateConnectorConfig.class;
    }
}
