package dev.mandate.terraform.ids;

import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

import dev.mandate.api.model.ElementIds;

/**
 * Maps a Terraform resource of the {@code aws} or {@code azurerm} provider to its element id, following
 * {@code docs/ids.md}. Attributes come from a state file or from a plan's {@code before}/{@code after};
 * an attribute that is absent or {@code null} is taken as not known (a plan leaves values that are only
 * known after apply out of {@code after}). Immutable and thread-safe; never blocks.
 */
public final class TerraformResourceIds {

    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern UNSAFE = Pattern.compile("[:\\s]");
    private static final String UNKNOWN = "unknown";

    /** Where an AWS element lives: a region, the {@code global} pseudo-region, or the account only. */
    private enum Scope { REGIONAL, GLOBAL, ACCOUNT }

    @FunctionalInterface
    private interface Rule {
        IdMapping map(Input in);
    }

    private record Input(String type, String address, Map<String, ?> attributes, IdContext context) {
        String text(String key) {
            Object value = attributes.get(key);
            if (value instanceof String s && !s.isBlank()) {
                return s;
            }
            if (value instanceof Number n) {
                return n.toString();
            }
            return null;
        }

        String plannedNativeId() {
            return "~" + UNSAFE.matcher(address == null || address.isBlank() ? type : address).replaceAll("_");
        }
    }

    private final Map<String, Rule> rules;
    private final Map<String, String> kinds;

    /** The mapping of {@code docs/ids.md}. */
    public TerraformResourceIds() {
        Map<String, Rule> r = new TreeMap<>();
        Map<String, String> k = new TreeMap<>();
        registerAws(r, k);
        registerAzure(r, k);
        this.rules = Collections.unmodifiableMap(r);
        this.kinds = Collections.unmodifiableMap(k);
    }

    /**
     * Maps one resource.
     *
     * @param type       the Terraform resource type ({@code aws_s3_bucket})
     * @param address    its Terraform address ({@code module.net.aws_vpc.main}); names a create whose native id is not known yet
     * @param attributes its attributes; absent or {@code null} values are not known
     * @param context    account, region and subscription to assume where the attributes do not say
     * @return the element, or an unmapped result saying why
     */
    public IdMapping map(String type, String address, Map<String, ?> attributes, IdContext context) {
        if (type == null || type.isBlank()) {
            return IdMapping.unmapped(String.valueOf(type), "resource type is missing");
        }
        Rule rule = rules.get(type);
        if (rule == null) {
            return IdMapping.unmapped(type, "resource type '" + type + "' is not mapped to an element kind");
        }
        return rule.map(new Input(type, address, attributes == null ? Map.of() : attributes,
                context == null ? IdContext.EMPTY : context));
    }

    /** Whether {@code type} has a mapping. */
    public boolean supports(String type) {
        return rules.containsKey(type);
    }

    /** Every mapped resource type, sorted. */
    public SortedSet<String> mappedTypes() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(rules.keySet()));
    }

    /** The element kind {@code type} maps to (for a facet, its parent's kind), or {@code null} when unmapped. */
    public String kindOf(String type) {
        return kinds.get(type);
    }

    /** The Terraform provider a resource type belongs to: the part before the first {@code _} ({@code azurerm}). */
    public static String providerOf(String type) {
        int cut = type.indexOf('_');
        return cut < 0 ? type : type.substring(0, cut);
    }

    // ---------------------------------------------------------------- AWS

    private static void registerAws(Map<String, Rule> r, Map<String, String> k) {
        Function<Arn, String> afterType = Arn::resourceId;
        Function<Arn, String> lastName = Arn::lastName;
        Function<Arn, String> whole = Arn::resource;

        // EC2 and VPC: the provider-assigned id
        own(r, k, "aws_instance", "aws:ec2:instance", Scope.REGIONAL, afterType, "id");
        own(r, k, "aws_vpc", "aws:ec2:vpc", Scope.REGIONAL, afterType, "id");
        own(r, k, "aws_default_vpc", "aws:ec2:vpc", Scope.REGIONAL, afterType, "id");
        own(r, k, "aws_subnet", "aws:ec2:subnet", Scope.REGIONAL, afterType, "id");
        own(r, k, "aws_default_subnet", "aws:ec2:subnet", Scope.REGIONAL, afterType, "id");
        own(r, k, "aws_security_group", "aws:ec2:security-group", Scope.REGIONAL, afterType, "id");
        own(r, k, "aws_default_security_group", "aws:ec2:security-group", Scope.REGIONAL, afterType, "id");
        own(r, k, "aws_internet_gateway", "aws:ec2:internet-gateway", Scope.REGIONAL, afterType, "id");
        own(r, k, "aws_nat_gateway", "aws:ec2:nat-gateway", Scope.REGIONAL, afterType, "id");
        own(r, k, "aws_route_table", "aws:ec2:route-table", Scope.REGIONAL, afterType, "id");
        own(r, k, "aws_network_acl", "aws:ec2:network-acl", Scope.REGIONAL, afterType, "id");
        own(r, k, "aws_network_interface", "aws:ec2:network-interface", Scope.REGIONAL, afterType, "id");
        own(r, k, "aws_ebs_volume", "aws:ec2:volume", Scope.REGIONAL, afterType, "id");
        own(r, k, "aws_ebs_snapshot", "aws:ec2:snapshot", Scope.REGIONAL, afterType, "id");
        own(r, k, "aws_eip", "aws:ec2:elastic-ip", Scope.REGIONAL, afterType, "allocation_id", "id");
        own(r, k, "aws_flow_log", "aws:ec2:flow-log", Scope.REGIONAL, afterType, "id");
        own(r, k, "aws_ec2_transit_gateway", "aws:ec2:transit-gateway", Scope.REGIONAL, afterType, "id");
        facet(r, k, "aws_security_group_rule", "aws:ec2:security-group", Scope.REGIONAL, "rule", "security_group_id", afterType);
        facet(r, k, "aws_vpc_security_group_ingress_rule", "aws:ec2:security-group", Scope.REGIONAL, "ingress-rule",
                "security_group_id", afterType);
        facet(r, k, "aws_vpc_security_group_egress_rule", "aws:ec2:security-group", Scope.REGIONAL, "egress-rule",
                "security_group_id", afterType);
        facet(r, k, "aws_route", "aws:ec2:route-table", Scope.REGIONAL, "route", "route_table_id", afterType);
        facet(r, k, "aws_route_table_association", "aws:ec2:route-table", Scope.REGIONAL, "association",
                "route_table_id", afterType);
        facet(r, k, "aws_volume_attachment", "aws:ec2:instance", Scope.REGIONAL, "volume-attachment", "instance_id",
                afterType);
        facet(r, k, "aws_network_acl_rule", "aws:ec2:network-acl", Scope.REGIONAL, "rule", "network_acl_id", afterType);

        // S3: the bucket name; sub-resources configure the bucket
        own(r, k, "aws_s3_bucket", "aws:s3:bucket", Scope.REGIONAL, whole, "bucket", "id");
        for (String sub : List.of("public_access_block", "policy", "versioning", "server_side_encryption_configuration",
                "lifecycle_configuration", "logging", "acl", "ownership_controls", "notification",
                "cors_configuration", "replication_configuration", "website_configuration",
                "object_lock_configuration", "analytics_configuration", "inventory", "metric",
                "intelligent_tiering_configuration", "accelerate_configuration", "request_payment_configuration")) {
            facet(r, k, "aws_s3_bucket_" + sub, "aws:s3:bucket", Scope.REGIONAL, sub.replace('_', '-'), "bucket", whole);
        }
        facet(r, k, "aws_s3_bucket_object", "aws:s3:bucket", Scope.REGIONAL, "object", "bucket", whole);
        facet(r, k, "aws_s3_object", "aws:s3:bucket", Scope.REGIONAL, "object", "bucket", whole);

        // IAM: global, by name; policies and keys configure their principal
        own(r, k, "aws_iam_role", "aws:iam:role", Scope.GLOBAL, lastName, "name", "id");
        own(r, k, "aws_iam_user", "aws:iam:user", Scope.GLOBAL, lastName, "name", "id");
        own(r, k, "aws_iam_group", "aws:iam:group", Scope.GLOBAL, lastName, "name", "id");
        own(r, k, "aws_iam_policy", "aws:iam:policy", Scope.GLOBAL, lastName, "name");
        own(r, k, "aws_iam_instance_profile", "aws:iam:instance-profile", Scope.GLOBAL, lastName, "name", "id");
        facet(r, k, "aws_iam_role_policy", "aws:iam:role", Scope.GLOBAL, "inline-policy", "role", lastName);
        facet(r, k, "aws_iam_role_policy_attachment", "aws:iam:role", Scope.GLOBAL, "policy-attachment", "role", lastName);
        facet(r, k, "aws_iam_user_policy", "aws:iam:user", Scope.GLOBAL, "inline-policy", "user", lastName);
        facet(r, k, "aws_iam_user_policy_attachment", "aws:iam:user", Scope.GLOBAL, "policy-attachment", "user", lastName);
        facet(r, k, "aws_iam_access_key", "aws:iam:user", Scope.GLOBAL, "access-key", "user", lastName);
        facet(r, k, "aws_iam_user_login_profile", "aws:iam:user", Scope.GLOBAL, "login-profile", "user", lastName);
        facet(r, k, "aws_iam_user_group_membership", "aws:iam:user", Scope.GLOBAL, "group-membership", "user", lastName);
        facet(r, k, "aws_iam_group_policy", "aws:iam:group", Scope.GLOBAL, "inline-policy", "group", lastName);
        facet(r, k, "aws_iam_group_policy_attachment", "aws:iam:group", Scope.GLOBAL, "policy-attachment", "group",
                lastName);
        facet(r, k, "aws_iam_group_membership", "aws:iam:group", Scope.GLOBAL, "membership", "group", lastName);

        // data stores
        own(r, k, "aws_db_instance", "aws:rds:db-instance", Scope.REGIONAL, afterType, "identifier");
        own(r, k, "aws_rds_cluster", "aws:rds:db-cluster", Scope.REGIONAL, afterType, "cluster_identifier");
        own(r, k, "aws_rds_cluster_instance", "aws:rds:db-instance", Scope.REGIONAL, afterType, "identifier");
        own(r, k, "aws_neptune_cluster", "aws:rds:db-cluster", Scope.REGIONAL, afterType, "cluster_identifier");
        own(r, k, "aws_neptune_cluster_instance", "aws:rds:db-instance", Scope.REGIONAL, afterType, "identifier");
        own(r, k, "aws_neptune_cluster_snapshot", "aws:rds:cluster-snapshot", Scope.REGIONAL, afterType,
                "db_cluster_snapshot_identifier");
        own(r, k, "aws_db_subnet_group", "aws:rds:subnet-group", Scope.REGIONAL, afterType, "name");
        own(r, k, "aws_db_parameter_group", "aws:rds:parameter-group", Scope.REGIONAL, afterType, "name");
        own(r, k, "aws_db_option_group", "aws:rds:option-group", Scope.REGIONAL, afterType, "name");
        own(r, k, "aws_dynamodb_table", "aws:dynamodb:table", Scope.REGIONAL, afterType, "name");
        own(r, k, "aws_elasticache_cluster", "aws:elasticache:cluster", Scope.REGIONAL, afterType, "cluster_id");
        own(r, k, "aws_elasticache_replication_group", "aws:elasticache:replication-group", Scope.REGIONAL, afterType,
                "replication_group_id");
        own(r, k, "aws_elasticsearch_domain", "aws:es:domain", Scope.REGIONAL, afterType, "domain_name");
        facet(r, k, "aws_elasticsearch_domain_policy", "aws:es:domain", Scope.REGIONAL, "policy", "domain_name",
                afterType);
        own(r, k, "aws_kms_key", "aws:kms:key", Scope.REGIONAL, afterType, "key_id", "id");
        own(r, k, "aws_kms_alias", "aws:kms:alias", Scope.REGIONAL, afterType, "name");
        own(r, k, "aws_backup_vault", "aws:backup:vault", Scope.REGIONAL, afterType, "name");
        own(r, k, "aws_backup_plan", "aws:backup:plan", Scope.REGIONAL, afterType, "name");

        // compute, containers, messaging, operations
        own(r, k, "aws_lambda_function", "aws:lambda:function", Scope.REGIONAL, TerraformResourceIds::lambdaName,
                "function_name");
        facet(r, k, "aws_lambda_permission", "aws:lambda:function", Scope.REGIONAL, "permission", "function_name",
                TerraformResourceIds::lambdaName);
        own(r, k, "aws_ecs_cluster", "aws:ecs:cluster", Scope.REGIONAL, afterType, "name");
        r.put("aws_ecs_service", TerraformResourceIds::ecsService);
        k.put("aws_ecs_service", "aws:ecs:service");
        own(r, k, "aws_eks_cluster", "aws:eks:cluster", Scope.REGIONAL, afterType, "name");
        own(r, k, "aws_ecr_repository", "aws:ecr:repository", Scope.REGIONAL, afterType, "name");
        own(r, k, "aws_sqs_queue", "aws:sqs:queue", Scope.REGIONAL, whole, "name");
        facet(r, k, "aws_sqs_queue_policy", "aws:sqs:queue", Scope.REGIONAL, "policy", "queue_url",
                TerraformResourceIds::lastPathPart);
        own(r, k, "aws_sns_topic", "aws:sns:topic", Scope.REGIONAL, whole, "name");
        facet(r, k, "aws_sns_topic_policy", "aws:sns:topic", Scope.REGIONAL, "policy", "arn", whole);
        own(r, k, "aws_cloudwatch_log_group", "aws:logs:log-group", Scope.REGIONAL,
                arn -> arn.resourceId().replaceFirst(":\\*$", ""), "name");
        own(r, k, "aws_cloudwatch_event_rule", "aws:events:rule", Scope.REGIONAL, lastName, "name");
        facet(r, k, "aws_cloudwatch_event_target", "aws:events:rule", Scope.REGIONAL, "target", "rule", lastName);
        own(r, k, "aws_ssm_parameter", "aws:ssm:parameter", Scope.REGIONAL, afterType, "name");
        own(r, k, "aws_secretsmanager_secret", "aws:secretsmanager:secret", Scope.REGIONAL,
                arn -> arn.resourceId().replaceFirst("-[A-Za-z0-9]{6}$", ""), "name");
        own(r, k, "aws_sagemaker_endpoint", "aws:sagemaker:endpoint", Scope.REGIONAL, afterType, "name");
        own(r, k, "aws_route53_zone", "aws:route53:hosted-zone", Scope.GLOBAL, afterType, "zone_id");
        own(r, k, "aws_organizations_account", "aws:organizations:account", Scope.ACCOUNT, lastName, "id");

        // load balancing: native ids from the ARN (app/<name>/<suffix>, <name>/<suffix>)
        own(r, k, "aws_lb", "aws:elasticloadbalancing:loadbalancer", Scope.REGIONAL, afterType);
        own(r, k, "aws_alb", "aws:elasticloadbalancing:loadbalancer", Scope.REGIONAL, afterType);
        own(r, k, "aws_elb", "aws:elasticloadbalancing:loadbalancer", Scope.REGIONAL, afterType, "name");
        own(r, k, "aws_lb_target_group", "aws:elasticloadbalancing:targetgroup", Scope.REGIONAL, afterType);
        own(r, k, "aws_alb_target_group", "aws:elasticloadbalancing:targetgroup", Scope.REGIONAL, afterType);
        Function<Arn, String> balancerOfListener = arn -> firstParts(arn.resourceId(), 3);
        facet(r, k, "aws_lb_listener", "aws:elasticloadbalancing:loadbalancer", Scope.REGIONAL, "listener",
                "load_balancer_arn", afterType);
        facet(r, k, "aws_alb_listener", "aws:elasticloadbalancing:loadbalancer", Scope.REGIONAL, "listener",
                "load_balancer_arn", afterType);
        facet(r, k, "aws_lb_listener_rule", "aws:elasticloadbalancing:loadbalancer", Scope.REGIONAL, "listener-rule",
                "listener_arn", balancerOfListener);
        facet(r, k, "aws_lb_target_group_attachment", "aws:elasticloadbalancing:targetgroup", Scope.REGIONAL,
                "attachment", "target_group_arn", afterType);
    }

    /** An AWS element of its own: its native id from the first known attribute, else from its {@code arn}. */
    private static void own(Map<String, Rule> r, Map<String, String> k, String type, String kind, Scope scope,
            Function<Arn, String> fromArn, String... attributes) {
        k.put(type, kind);
        r.put(type, in -> {
            Optional<Arn> arn = Arn.parse(in.attributes().get("arn"));
            if (arn.isEmpty()) {
                arn = Arn.parse(in.attributes().get("id"));
            }
            String nativeId = null;
            for (String attribute : attributes) {
                String value = in.text(attribute);
                if (value != null && !value.startsWith("arn:")) {
                    nativeId = value;
                    break;
                }
            }
            if (nativeId == null && arn.isPresent()) {
                nativeId = fromArn.apply(arn.get());
            }
            return awsId(in, kind, scope, nativeId, arn, null);
        });
    }

    /**
     * An AWS resource that configures a parent: the parent is named by {@code attribute}, either by a
     * plain id or name or by an ARN ({@code fromArn} takes the parent's native id out of it).
     */
    private static void facet(Map<String, Rule> r, Map<String, String> k, String type, String parentKind, Scope scope,
            String facet, String attribute, Function<Arn, String> fromArn) {
        k.put(type, parentKind);
        r.put(type, in -> {
            String reference = in.text(attribute);
            if (reference == null && "bucket".equals(attribute)) {
                // analytics, inventory and metric configurations: id is <bucket>:<name>; the others: id is the bucket
                String id = in.text("id");
                reference = id == null ? null : id.split(":", 2)[0];
            }
            if (reference == null && "role".equals(attribute)) {
                String id = in.text("id");
                reference = id == null || !id.contains(":") ? null : id.substring(0, id.indexOf(':'));
            }
            if (reference == null) {
                return IdMapping.pending(in.type(), new IdMapping.PendingParent(parentKind, facet, attribute));
            }
            Optional<Arn> arn = Arn.parse(reference);
            String nativeId = arn.map(fromArn).orElse(reference);
            return awsId(in, parentKind, scope, nativeId, arn, facet);
        });
    }

    private static IdMapping ecsService(Input in) {
        String kind = "aws:ecs:service";
        Optional<Arn> arn = Arn.parse(in.attributes().get("id"));
        Optional<Arn> cluster = Arn.parse(in.attributes().get("cluster"));
        String clusterName = cluster.map(Arn::resourceId).orElse(in.text("cluster"));
        String name = in.text("name");
        String nativeId = null;
        if (clusterName != null && name != null) {
            nativeId = clusterName + "/" + name;
        } else if (arn.isPresent() && arn.get().resourceId().contains("/")) {
            nativeId = arn.get().resourceId();
        }
        return awsId(in, kind, Scope.REGIONAL, nativeId, arn.isPresent() ? arn : cluster, null);
    }

    private static IdMapping awsId(Input in, String kind, Scope scope, String nativeId, Optional<Arn> arn, String facet) {
        boolean provisional = false;
        String id = nativeId;
        if (id == null) {
            id = in.plannedNativeId();
            provisional = true;
        }
        String elementId;
        if (scope == Scope.ACCOUNT) {
            elementId = kind + ":" + id;
        } else {
            String account = arn.map(Arn::account).filter(a -> !a.isEmpty()).orElse(null);
            if (account == null) {
                String owner = in.text("owner_id");
                account = owner != null && ACCOUNT.matcher(owner).matches() ? owner : null;
            }
            if (account == null) {
                provisional = true;
                account = in.context().awsAccount() != null ? in.context().awsAccount() : UNKNOWN;
            }
            String region;
            if (scope == Scope.GLOBAL) {
                region = "global";
            } else {
                region = arn.map(Arn::region).filter(x -> !x.isEmpty()).orElse(in.text("region"));
                if (region == null) {
                    provisional = true;
                    region = in.context().awsRegion() != null ? in.context().awsRegion() : UNKNOWN;
                }
                region = region.toLowerCase(Locale.ROOT);
            }
            elementId = kind + ":" + region + ":" + account + ":" + id;
        }
        return checked(in.type(), new MappedResource(elementId, kind, facet, provisional));
    }

    private static String lambdaName(Arn arn) {
        // function:<name>[:<qualifier>]
        String id = arn.resourceId();
        int colon = id.indexOf(':');
        return colon < 0 ? id : id.substring(0, colon);
    }

    private static String lastPathPart(Arn arn) {
        return arn.lastName();
    }

    private static String firstParts(String path, int count) {
        String[] parts = path.split("/");
        return String.join("/", List.of(parts).subList(0, Math.min(count, parts.length)));
    }

    // ---------------------------------------------------------------- Azure

    private static void registerAzure(Map<String, Rule> r, Map<String, String> k) {
        k.put("azurerm_resource_group", "azure:resources:resource-group");
        r.put("azurerm_resource_group", TerraformResourceIds::resourceGroup);
        azure(r, k, "azurerm_virtual_network", "azure:network:virtual-network");
        azure(r, k, "azurerm_subnet", "azure:network:subnet", "virtual_network_name");
        azure(r, k, "azurerm_network_security_group", "azure:network:network-security-group");
        azure(r, k, "azurerm_network_interface", "azure:network:network-interface");
        azure(r, k, "azurerm_public_ip", "azure:network:public-ip-address");
        azure(r, k, "azurerm_lb", "azure:network:load-balancer");
        azure(r, k, "azurerm_route_table", "azure:network:route-table");
        azure(r, k, "azurerm_application_gateway", "azure:network:application-gateway");
        azure(r, k, "azurerm_virtual_machine", "azure:compute:virtual-machine");
        azure(r, k, "azurerm_linux_virtual_machine", "azure:compute:virtual-machine");
        azure(r, k, "azurerm_windows_virtual_machine", "azure:compute:virtual-machine");
        azure(r, k, "azurerm_availability_set", "azure:compute:availability-set");
        azure(r, k, "azurerm_managed_disk", "azure:compute:disk");
        azure(r, k, "azurerm_storage_account", "azure:storage:account");
        azure(r, k, "azurerm_mssql_server", "azure:sql:server");
        azure(r, k, "azurerm_sql_server", "azure:sql:server");
        azure(r, k, "azurerm_sql_database", "azure:sql:database", "server_name");
        k.put("azurerm_mssql_database", "azure:sql:database");
        r.put("azurerm_mssql_database", in -> childOfArmParent(in, "azure:sql:database", "server_id"));
        azure(r, k, "azurerm_key_vault", "azure:keyvault:vault");
        azure(r, k, "azurerm_kubernetes_cluster", "azure:containerservice:managed-cluster");
        azure(r, k, "azurerm_container_registry", "azure:containerregistry:registry");
        azure(r, k, "azurerm_linux_web_app", "azure:web:site");
        azure(r, k, "azurerm_windows_web_app", "azure:web:site");
        azure(r, k, "azurerm_app_service", "azure:web:site");
        azure(r, k, "azurerm_service_plan", "azure:web:server-farm");
        azure(r, k, "azurerm_app_service_plan", "azure:web:server-farm");
        azure(r, k, "azurerm_postgresql_flexible_server", "azure:dbforpostgresql:flexible-server");

        azureFacet(r, k, "azurerm_network_security_rule", "azure:network:network-security-group", "security-rule",
                null, "network_security_group_name");
        azureFacet(r, k, "azurerm_subnet_network_security_group_association", "azure:network:subnet",
                "network-security-group", "subnet_id", null);
        azureFacet(r, k, "azurerm_subnet_route_table_association", "azure:network:subnet", "route-table",
                "subnet_id", null);
        azureFacet(r, k, "azurerm_network_interface_security_group_association", "azure:network:network-interface",
                "network-security-group", "network_interface_id", null);
        azureFacet(r, k, "azurerm_route", "azure:network:route-table", "route", null, "route_table_name");
        azureFacet(r, k, "azurerm_virtual_network_peering", "azure:network:virtual-network", "peering", null,
                "virtual_network_name");
        azureFacet(r, k, "azurerm_lb_rule", "azure:network:load-balancer", "rule", "loadbalancer_id", null);
        azureFacet(r, k, "azurerm_lb_probe", "azure:network:load-balancer", "probe", "loadbalancer_id", null);
        azureFacet(r, k, "azurerm_lb_backend_address_pool", "azure:network:load-balancer", "backend-address-pool",
                "loadbalancer_id", null);
        azureFacet(r, k, "azurerm_key_vault_access_policy", "azure:keyvault:vault", "access-policy", "key_vault_id",
                null);
        azureFacet(r, k, "azurerm_mssql_firewall_rule", "azure:sql:server", "firewall-rule", "server_id", null);
        azureFacet(r, k, "azurerm_sql_firewall_rule", "azure:sql:server", "firewall-rule", null, "server_name");
        azureFacet(r, k, "azurerm_storage_account_network_rules", "azure:storage:account", "network-rules",
                "storage_account_id", null);
    }

    private static IdMapping resourceGroup(Input in) {
        String kind = "azure:resources:resource-group";
        Optional<ArmId> arm = ArmId.parse(in.attributes().get("id"));
        if (arm.isPresent() && arm.get().resourceGroup() != null && !arm.get().isResource()) {
            return checked(in.type(), new MappedResource(arm.get().elementId(), kind, null, false));
        }
        // without an ARM id the subscription comes from the context: provisional
        String name = in.text("name");
        String group = name == null ? in.plannedNativeId() : name.toLowerCase(Locale.ROOT);
        return checked(in.type(), new MappedResource(kind + ":" + subscription(in) + ":" + group, kind, null, true));
    }

    private static String subscription(Input in) {
        String subscription = in.context().azureSubscription();
        return subscription == null ? UNKNOWN : subscription;
    }

    /**
     * An Azure element of its own: from its ARM {@code id} when known, else from the subscription in the
     * context, {@code resource_group_name}, the parent name attributes and {@code name}.
     */
    private static void azure(Map<String, Rule> r, Map<String, String> k, String type, String kind,
            String... parentNames) {
        k.put(type, kind);
        r.put(type, in -> {
            Optional<ArmId> arm = ArmId.parse(in.attributes().get("id")).filter(ArmId::isResource);
            if (arm.isPresent()) {
                return fromArm(in.type(), kind, arm.get(), null);
            }
            StringBuilder nativeId = new StringBuilder();
            for (String parent : parentNames) {
                String value = in.text(parent);
                if (value == null) {
                    return IdMapping.pending(in.type(), new IdMapping.PendingParent(kind, null, parent));
                }
                nativeId.append(value).append('/');
            }
            String name = in.text("name");
            nativeId.append(name == null ? in.plannedNativeId() : name);
            return fromNames(in, kind, in.text("resource_group_name"), nativeId.toString(), null);
        });
    }

    /** A child element whose parent is given by an ARM id attribute ({@code server_id}) and whose own name is {@code name}. */
    private static IdMapping childOfArmParent(Input in, String kind, String parentAttribute) {
        Optional<ArmId> own = ArmId.parse(in.attributes().get("id")).filter(ArmId::isResource);
        if (own.isPresent()) {
            return fromArm(in.type(), kind, own.get(), null);
        }
        Optional<ArmId> parent = ArmId.parse(in.attributes().get(parentAttribute)).filter(ArmId::isResource);
        if (parent.isEmpty()) {
            return IdMapping.pending(in.type(), new IdMapping.PendingParent(kind, null, parentAttribute));
        }
        String name = in.text("name");
        boolean provisional = name == null;
        String child = parent.get().nativeId() + "/" + (name == null ? in.plannedNativeId() : name);
        String elementId = kind + ":" + parent.get().subscription() + ":"
                + parent.get().resourceGroup().toLowerCase(Locale.ROOT) + ":" + child;
        return checked(in.type(), new MappedResource(elementId, kind, null, provisional));
    }

    /**
     * An Azure resource that configures a parent: named by an ARM id attribute ({@code armAttribute}, cut to
     * the parent's depth), by its own ARM id (a child of the parent), or by a name attribute in the same
     * resource group.
     */
    private static void azureFacet(Map<String, Rule> r, Map<String, String> k, String type, String parentKind,
            String facet, String armAttribute, String nameAttribute) {
        k.put(type, parentKind);
        int depth = "azure:network:subnet".equals(parentKind) ? 2 : 1;
        r.put(type, in -> {
            if (armAttribute != null) {
                Optional<ArmId> parent = ArmId.parse(in.attributes().get(armAttribute)).filter(ArmId::isResource);
                if (parent.isPresent() && parent.get().types().size() >= depth) {
                    return fromArm(in.type(), parentKind, parent.get().parent(depth), facet);
                }
                return IdMapping.pending(in.type(), new IdMapping.PendingParent(parentKind, facet, armAttribute));
            }
            Optional<ArmId> own = ArmId.parse(in.attributes().get("id")).filter(ArmId::isResource);
            if (own.isPresent() && own.get().types().size() > depth) {
                return fromArm(in.type(), parentKind, own.get().parent(depth), facet);
            }
            String parentName = in.text(nameAttribute);
            if (parentName == null) {
                return IdMapping.pending(in.type(), new IdMapping.PendingParent(parentKind, facet, nameAttribute));
            }
            return fromNames(in, parentKind, in.text("resource_group_name"), parentName, facet);
        });
    }

    private static IdMapping fromArm(String type, String kind, ArmId arm, String facet) {
        String elementId = kind + ":" + arm.subscription() + ":" + arm.resourceGroup().toLowerCase(Locale.ROOT) + ":"
                + arm.nativeId();
        return checked(type, new MappedResource(elementId, kind, facet, false));
    }

    /** Without an ARM id the subscription comes from the context, so the id is always provisional. */
    private static IdMapping fromNames(Input in, String kind, String group, String nativeId, String facet) {
        String resourceGroup = group == null ? UNKNOWN : group.toLowerCase(Locale.ROOT);
        String elementId = kind + ":" + subscription(in) + ":" + resourceGroup + ":" + nativeId;
        return checked(in.type(), new MappedResource(elementId, kind, facet, true));
    }

    private static IdMapping checked(String type, MappedResource resource) {
        if (!ElementIds.isValid(resource.elementId())) {
            return IdMapping.unmapped(type, "element id '" + resource.elementId() + "' for '" + type
                    + "' is not valid: a native id contains ':' or white space");
        }
        return IdMapping.mapped(type, resource);
    }
}
