package dev.mandate.blueprints.awslandingzone;

import static dev.mandate.blueprints.testing.PackHarness.element;
import static dev.mandate.blueprints.testing.PackHarness.fired;
import static dev.mandate.blueprints.testing.PackHarness.human;
import static dev.mandate.blueprints.testing.PackHarness.notFired;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.mandate.api.decision.Action;
import dev.mandate.api.intent.BlueprintInfo;
import dev.mandate.api.intent.Effect;
import dev.mandate.api.intent.Evaluation;
import dev.mandate.api.intent.RuleMatch;
import dev.mandate.api.model.Element;
import dev.mandate.blueprints.testing.PackHarness;

/** Every rule of the AWS landing-zone pack, on elements of the demo estate: fires, and does not fire. */
class AwsLandingZonePackTest {

    private static final String PROD = "111122223333";
    private static final Map<String, Object> BLOCKED = Map.of("blockPublicAcls", true, "ignorePublicAcls", true,
            "blockPublicPolicy", true, "restrictPublicBuckets", true);

    private PackHarness pack;

    @BeforeEach
    void load() throws IOException {
        pack = new PackHarness("dev.mandate.blueprints.awslandingzone", PackHarness.documents(
                "dev.mandate.blueprints.baseline", Path.of("../baseline/src/main/resources/blueprints/team-platform.yaml")));
    }

    @Test
    void thePackLoadsEveryBlueprintOwnedByThePlatformTeam() {
        assertThat(pack.registry.blueprints()).extracting(BlueprintInfo::ref).containsExactly(
                "aws-iam-wildcards@1.0.0", "aws-region-allow-list@1.0.0", "aws-s3-public-access@1.0.0",
                "aws-security-group@1.0.0", "aws-subnet@1.0.0", "aws-vpc@1.0.0");
        assertThat(pack.registry.blueprints()).allSatisfy(info -> {
            assertThat(info.owner()).isEqualTo("team-platform");
            assertThat(info.description()).containsAnyOf("CIS", "Well-Architected", "FSBP");
        });
    }

    @Test
    void regionAllowList() {
        Element us = element("aws:s3:bucket:us-east-1:" + PROD + ":nw-new", "prod", "eu-internal", Map.of(),
                Map.of("publicAccessBlock", BLOCKED, "encryption", Map.of("sseAlgorithm", "aws:kms")));
        RuleMatch match = fired(pack.create(us, Map.of()), "aws-region-allow-list@1.0.0#region-allow-list");
        assertThat(match.effect()).isEqualTo(Effect.DENY);
        assertThat(match.message()).contains("us-east-1:" + PROD + ":nw-new");

        notFired(pack.create(element("aws:s3:bucket:eu-central-1:" + PROD + ":nw-new", "prod", "eu-internal",
                Map.of(), us.attributes()), Map.of()), "aws-region-allow-list@1.0.0#region-allow-list");
        notFired(pack.create(element("aws:iam:role:global:" + PROD + ":new-role", "prod", "eu-internal", Map.of(),
                Map.of()), Map.of()), "aws-region-allow-list@1.0.0#region-allow-list");
    }

    @Test
    void vpcPattern() {
        Element vpc = element("aws:ec2:vpc:eu-west-1:" + PROD + ":vpc-9cf5e51ca0c75f3bb", "prod", "eu-internal",
                Map.of(), Map.of("cidrBlock", "10.10.0.0/16", "isDefault", false, "flowLogs", Map.of("enabled", true)));
        Evaluation widened = pack.evaluate(vpc, human("alice"), Action.UPDATE, Map.of("cidrBlock", "172.16.0.0/12",
                "flowLogs", Map.of("enabled", false)), Map.of());
        assertThat(widened.matches()).extracting(RuleMatch::source).containsExactly(
                "aws-vpc@1.0.0#variation:cidrBlock", "aws-vpc@1.0.0#variation:flowLogs.enabled");
        assertThat(widened.matches().get(1).message()).isEqualTo(
                "attribute 'flowLogs.enabled' would be 'false' but aws-vpc@1.0.0 allows true");

        assertThat(pack.evaluate(vpc, human("alice"), Action.UPDATE, Map.of("enableDnsHostnames", true), Map.of())
                .matches()).isEmpty();
        assertThat(pack.create(vpc, Map.of()).matches()).isEmpty();
    }

    @Test
    void subnetPatternAndPublicIps() {
        Element internal = element("aws:ec2:subnet:eu-west-1:" + PROD + ":subnet-1e4c2ae4626b4911a", "prod",
                "eu-internal", Map.of(), Map.of("cidrBlock", "10.10.16.0/20", "mapPublicIpOnLaunch", false));
        Evaluation publicIps = pack.evaluate(internal, human("alice"), Action.UPDATE,
                Map.of("mapPublicIpOnLaunch", true), Map.of());
        assertThat(fired(publicIps, "aws-subnet@1.0.0#public-ip-only-in-dmz").message()).contains("'eu-internal'");
        Element dmz = element(internal.id(), "prod", "dmz", Map.of(), internal.attributes());
        notFired(pack.evaluate(dmz, human("alice"), Action.UPDATE, Map.of("mapPublicIpOnLaunch", true), Map.of()),
                "aws-subnet@1.0.0#public-ip-only-in-dmz");

        fired(pack.evaluate(internal, human("alice"), Action.UPDATE, Map.of("cidrBlock", "10.10.0.0/16"), Map.of()),
                "aws-subnet@1.0.0#variation:cidrBlock");
        notFired(pack.evaluate(internal, human("alice"), Action.UPDATE, Map.of("cidrBlock", "10.10.32.0/24"),
                Map.of()), "aws-subnet@1.0.0#variation:cidrBlock");
    }

    @Test
    void securityGroupsNeverOpenAdministrationToTheInternet() {
        Element sg = element("aws:ec2:security-group:eu-west-1:" + PROD + ":sg-007cddc43ca700887", "prod",
                "eu-internal", Map.of(), Map.of());
        Map<String, Object> ssh = Map.of("protocol", "tcp", "fromPort", 22, "toPort", 22, "source", "0.0.0.0/0");
        Evaluation open = pack.evaluate(sg, human("alice"), Action.UPDATE, Map.of("ingressRules", List.of(ssh)),
                Map.of());
        assertThat(fired(open, "aws-security-group@1.0.0#no-internet-admin-ports").effect()).isEqualTo(Effect.DENY);
        fired(pack.evaluate(sg, human("alice"), Action.UPDATE, Map.of("ingressRules", List.of(Map.of("protocol", "-1",
                "source", "::/0"))), Map.of()), "aws-security-group@1.0.0#no-internet-admin-ports");

        Map<String, Object> vpn = Map.of("protocol", "tcp", "fromPort", 22, "toPort", 22, "source", "10.50.0.0/16");
        Map<String, Object> https = Map.of("protocol", "tcp", "fromPort", 443, "toPort", 443, "source", "0.0.0.0/0");
        notFired(pack.evaluate(sg, human("alice"), Action.UPDATE, Map.of("ingressRules", List.of(vpn, https)),
                Map.of()), "aws-security-group@1.0.0#no-internet-admin-ports");
    }

    @Test
    void internetIngressOutsideTheDmzNeedsApproval() {
        Map<String, Object> https = Map.of("protocol", "tcp", "fromPort", 443, "toPort", 443, "source", "0.0.0.0/0");
        Element internal = element("aws:ec2:security-group:eu-west-1:" + PROD + ":sg-036be2ae32b5b12a8", "prod",
                "eu-internal", Map.of(), Map.of());
        RuleMatch match = fired(pack.evaluate(internal, human("alice"), Action.UPDATE,
                Map.of("ingressRules", List.of(https)), Map.of()), "aws-security-group@1.0.0#internet-ingress-only-in-dmz");
        assertThat(match.effect()).isEqualTo(Effect.REQUIRE_APPROVAL);
        assertThat(match.obligations()).containsExactly("network-review");

        Element dmz = element(internal.id(), "prod", "dmz", Map.of(), Map.of());
        notFired(pack.evaluate(dmz, human("alice"), Action.UPDATE, Map.of("ingressRules", List.of(https)), Map.of()),
                "aws-security-group@1.0.0#internet-ingress-only-in-dmz");
    }

    @Test
    void iamWildcardsAreBanned() {
        Element role = element("aws:iam:role:global:" + PROD + ":orders-api-task", "prod", "eu-internal", Map.of(),
                Map.of());
        Map<String, Object> starStar = Map.of("name", "everything", "document", Map.of("Statement", List.of(
                Map.of("Effect", "Allow", "Action", "*", "Resource", "*"))));
        Map<String, Object> listForm = Map.of("name", "everything", "document", Map.of("Statement", List.of(
                Map.of("Effect", "Allow", "Action", List.of("s3:GetObject", "*"), "Resource", List.of("*")))));
        Map<String, Object> scoped = Map.of("name", "read-orders", "document", Map.of("Statement", List.of(
                Map.of("Effect", "Allow", "Action", List.of("s3:GetObject"), "Resource", "arn:aws:s3:::nw-orders/*"))));

        fired(pack.evaluate(role, human("alice"), Action.UPDATE, Map.of("inlinePolicies", List.of(starStar)), Map.of()),
                "aws-iam-wildcards@1.0.0#no-star-star-policy");
        fired(pack.evaluate(role, human("alice"), Action.UPDATE, Map.of("inlinePolicies", List.of(listForm)), Map.of()),
                "aws-iam-wildcards@1.0.0#no-star-star-policy");
        notFired(pack.evaluate(role, human("alice"), Action.UPDATE, Map.of("inlinePolicies", List.of(scoped)),
                Map.of()), "aws-iam-wildcards@1.0.0#no-star-star-policy");

        fired(pack.evaluate(role, human("alice"), Action.UPDATE, Map.of("attachedPolicies",
                List.of("arn:aws:iam::aws:policy/AdministratorAccess")), Map.of()),
                "aws-iam-wildcards@1.0.0#admin-access-needs-approval");
        notFired(pack.evaluate(role, human("alice"), Action.UPDATE, Map.of("attachedPolicies",
                List.of("arn:aws:iam::aws:policy/ReadOnlyAccess")), Map.of()),
                "aws-iam-wildcards@1.0.0#admin-access-needs-approval");

        fired(pack.evaluate(role, human("alice"), Action.UPDATE, Map.of("trustPolicy", Map.of("Statement", List.of(
                Map.of("Effect", "Allow", "Principal", Map.of("AWS", "*"), "Action", "sts:AssumeRole")))), Map.of()),
                "aws-iam-wildcards@1.0.0#no-wildcard-trust");
        notFired(pack.evaluate(role, human("alice"), Action.UPDATE, Map.of("trustPolicy", Map.of("Statement", List.of(
                Map.of("Effect", "Allow", "Principal", Map.of("Service", "ecs-tasks.amazonaws.com"),
                        "Action", "sts:AssumeRole")))), Map.of()), "aws-iam-wildcards@1.0.0#no-wildcard-trust");
    }

    @Test
    void s3BlockPublicAccessStaysOn() {
        Element bucket = element("aws:s3:bucket:eu-west-1:" + PROD + ":nw-datalake-raw-prod", "prod", "eu-internal",
                Map.of(), Map.of("publicAccessBlock", BLOCKED, "encryption", Map.of("sseAlgorithm", "aws:kms")));
        Evaluation opened = pack.evaluate(bucket, human("alice"), Action.UPDATE,
                Map.of("publicAccessBlock", Map.of("blockPublicPolicy", false)), Map.of());
        assertThat(opened.matches()).extracting(RuleMatch::source)
                .containsExactly("aws-s3-public-access@1.0.0#variation:publicAccessBlock.blockPublicPolicy");
        assertThat(pack.evaluate(bucket, human("alice"), Action.UPDATE, Map.of("versioning", "Enabled"), Map.of())
                .matches()).isEmpty();

        // the demo estate's forgotten 2019 export bucket, as a create would bring it
        Element export = element("aws:s3:bucket:eu-west-1:" + PROD + ":northwind-tmp-export-2019", "prod",
                "eu-internal", Map.of(), Map.of("publicAccessBlock", Map.of("blockPublicAcls", false,
                        "ignorePublicAcls", false, "blockPublicPolicy", false, "restrictPublicBuckets", false),
                        "aclGrants", List.of("AllUsers:READ")));
        Evaluation legacy = pack.create(export, Map.of());
        assertThat(legacy.matches()).extracting(RuleMatch::source).contains(
                "aws-s3-public-access@1.0.0#variation:publicAccessBlock.blockPublicAcls",
                "aws-s3-public-access@1.0.0#variation:encryption.sseAlgorithm",
                "aws-s3-public-access@1.0.0#no-public-acl-grants");
        notFired(pack.evaluate(bucket, human("alice"), Action.UPDATE, Map.of("aclGrants",
                List.of("LogDelivery:WRITE")), Map.of()), "aws-s3-public-access@1.0.0#no-public-acl-grants");
    }
}
