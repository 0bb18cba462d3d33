package dev.mandate.kernel.export.s3.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(name = "Mandate evidence S3 sink",
        description = "Writes the ledger to an S3 bucket with Object Lock, one JSON Lines object per batch")
@interface S3SinkConfig {

    @AttributeDefinition(description = "The sink's name; the exporter remembers its position under it")
    String name() default "s3";

    @AttributeDefinition(description = "The bucket; it must have Object Lock enabled")
    String bucket();

    @AttributeDefinition(description = "Key prefix of the objects, e.g. 'mandate/evidence/'")
    String prefix() default "mandate/evidence/";

    @AttributeDefinition(description = "The AWS region")
    String region() default "eu-west-1";

    @AttributeDefinition(description = "Another S3 endpoint (S3-compatible stores, tests); empty: AWS")
    String endpoint() default "";

    @AttributeDefinition(description = "Access key id for an S3-compatible store; empty: the AWS SDK's default"
            + " credentials chain (environment, profile, instance role)")
    String accessKeyId() default "";

    @AttributeDefinition(type = AttributeType.PASSWORD, description = "Secret access key, with accessKeyId")
    String secretAccessKey() default "";

    @AttributeDefinition(description = "Object Lock mode of every object",
            options = {@Option(label = "COMPLIANCE", value = "COMPLIANCE"), @Option(label = "GOVERNANCE", value = "GOVERNANCE")})
    String lockMode() default "COMPLIANCE";

    @AttributeDefinition(description = "How long each object is locked, in days")
    int retainDays() default 2555;
}
