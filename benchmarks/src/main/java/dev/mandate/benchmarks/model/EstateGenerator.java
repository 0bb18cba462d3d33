package dev.mandate.benchmarks.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import dev.mandate.api.model.Element;
import dev.mandate.api.model.Layer;
import dev.mandate.api.model.LayerState;
import dev.mandate.api.model.Relation;
import dev.mandate.api.model.RelationType;

/**
 * A deterministic estate of the shape of ../shared/bench (cedar-peer genEstate): 1% top-level
 * VPCs and clusters, 9% subnets and namespaces contained in them, 90% leaves (VMs, buckets,
 * databases, functions, queues, load balancers, containers), 80% of them contained in a subnet or
 * namespace; each subnet depends on 0-1 and each leaf on 0-3 earlier resources of its account
 * (95%) or on a shared service. For n = 1,000,000 that is about 810,000 CONTAINS and 1,400,000
 * DEPENDS_ON relations; {@code extraConnections} CONNECTS_TO relations can be added on top.
 */
public final class EstateGenerator {
    private static final String[] ZONES = {"public", "dmz", "internal", "restricted", "pci"};
    private static final double[] ZONE_W = {0.10, 0.15, 0.50, 0.15, 0.10};
    private static final String[] ENVS = {"prod", "staging", "dev"};
    private static final double[] ENV_W = {0.30, 0.20, 0.50};
    private static final String[] DATA = {"public", "internal", "confidential", "pii"};
    private static final double[] DATA_W = {0.20, 0.50, 0.20, 0.10};
    private static final String[] LEAF_KINDS = {"aws:ec2:instance", "aws:s3:bucket", "aws:rds:db-instance",
        "aws:lambda:function", "aws:sqs:queue", "aws:elbv2:load-balancer", "aws:ecs:task"};
    private static final Instant OBSERVED = Instant.parse("2026-11-26T04:00:00Z");

    /** The generated estate. */
    public record Estate(List<Element> elements, List<Relation> relations) {
    }

    private EstateGenerator() {
    }

    public static Estate generate(int n, int extraConnections, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int accounts = Math.max(10, n / 1000);
        int teams = 200;
        String[] accountEnv = new String[accounts];
        String[] accountZone = new String[accounts];
        int[][] accountTeams = new int[accounts][6];
        for (int a = 0; a < accounts; a++) {
            accountEnv[a] = pick(random, ENVS, ENV_W);
            accountZone[a] = pick(random, ZONES, ZONE_W);
            accountTeams[a][0] = 1;
            for (int t = 1; t < 6; t++) {
                accountTeams[a][t] = 2 + random.nextInt(teams - 2);
            }
        }
        int n0 = Math.max(1, (int) Math.ceil(n * 0.01));
        int n1 = Math.max(1, (int) Math.floor(n * 0.09));
        int shared = Math.max(5, n0 / 10);
        String[] ids = new String[n];
        int[] account = new int[n];
        String[] env = new String[n];
        String[] zone = new String[n];
        boolean[] vpc = new boolean[n];
        List<List<Integer>> perAccount = new ArrayList<>(accounts);
        for (int a = 0; a < accounts; a++) {
            perAccount.add(new ArrayList<>());
        }
        List<Element> elements = new ArrayList<>(n);
        List<Relation> relations = new ArrayList<>((int) (n * 2.3) + extraConnections);
        for (int i = 0; i < n; i++) {
            int tier = i < n0 ? 0 : i < n0 + n1 ? 1 : 2;
            int parent = -1;
            String kind;
            int owner;
            if (tier == 0) {
                account[i] = random.nextInt(accounts);
                vpc[i] = random.nextBoolean();
                kind = vpc[i] ? "aws:ec2:vpc" : "aws:eks:cluster";
                env[i] = accountEnv[account[i]];
                zone[i] = random.nextDouble() < 0.9 ? accountZone[account[i]] : pick(random, ZONES, ZONE_W);
                owner = random.nextBoolean() ? 1 : accountTeams[account[i]][random.nextInt(6)];
            } else {
                if (tier == 1 || random.nextDouble() < 0.8) {
                    parent = tier == 1 ? random.nextInt(n0) : n0 + random.nextInt(n1);
                }
                if (parent >= 0) {
                    account[i] = account[parent];
                    env[i] = random.nextDouble() < 0.95 ? env[parent] : pick(random, ENVS, ENV_W);
                    zone[i] = random.nextDouble() < 0.9 ? zone[parent] : pick(random, ZONES, ZONE_W);
                    kind = tier == 1 ? (vpc[parent] ? "aws:ec2:subnet" : "aws:eks:namespace")
                            : LEAF_KINDS[random.nextInt(LEAF_KINDS.length)];
                } else {
                    account[i] = random.nextInt(accounts);
                    env[i] = accountEnv[account[i]];
                    zone[i] = random.nextDouble() < 0.9 ? accountZone[account[i]] : pick(random, ZONES, ZONE_W);
                    kind = LEAF_KINDS[random.nextInt(LEAF_KINDS.length)];
                }
                owner = accountTeams[account[i]][random.nextInt(6)];
            }
            ids[i] = kind + ":eu-west-1:" + (100_000_000_000L + account[i]) + ":r-" + i;
            Map<String, String> labels = new LinkedHashMap<>();
            if (random.nextDouble() < 0.05) {
                labels.put("do-not-delete", "true");
            }
            if (random.nextDouble() < 0.10) {
                labels.put("compliance", "sox");
            }
            if (random.nextDouble() < 0.30) {
                labels.put("backup", "true");
            }
            if (random.nextDouble() < 0.5) {
                labels.put("cost-center", "cc-" + random.nextInt(50));
            }
            String dataClass = pick(random, DATA, DATA_W);
            Map<String, Object> attributes = Map.of("name", "r-" + i, "dataClass", dataClass,
                    "isPublic", random.nextDouble() < 0.04);
            elements.add(new Element(ids[i], kind, "aws", env[i], zone[i], "team-" + owner, labels, attributes,
                    Map.of(Layer.RUNNING, new LayerState("bench", OBSERVED, "sha256:" + hex(random),
                            attributes))));
            if (parent >= 0) {
                relations.add(Relation.of(RelationType.CONTAINS, ids[parent], ids[i]));
            }
            int k = tier == 2 ? random.nextInt(4) : tier == 1 ? random.nextInt(2) : 0;
            Set<Integer> deps = new LinkedHashSet<>();
            List<Integer> sameAccount = perAccount.get(account[i]);
            for (int j = 0; j < k; j++) {
                if (random.nextDouble() < 0.95 && !sameAccount.isEmpty()) {
                    deps.add(sameAccount.get(random.nextInt(sameAccount.size())));
                } else {
                    int s = random.nextInt(Math.min(shared, n0));
                    if (s != i) {
                        deps.add(s);
                    }
                }
            }
            for (int d : deps) {
                relations.add(Relation.of(RelationType.DEPENDS_ON, ids[i], ids[d]));
            }
            sameAccount.add(i);
        }
        for (int c = 0; c < extraConnections; c++) {
            int from = random.nextInt(n);
            int to = random.nextInt(n);
            if (from != to) {
                relations.add(Relation.of(RelationType.CONNECTS_TO, ids[from], ids[to]));
            }
        }
        return new Estate(elements, relations);
    }

    private static String hex(SplittableRandom random) {
        return String.format("%016x%016x%016x%016x", random.nextLong(), random.nextLong(), random.nextLong(),
                random.nextLong());
    }

    private static String pick(SplittableRandom random, String[] values, double[] weights) {
        double r = random.nextDouble();
        for (int i = 0; i < values.length; i++) {
            r -= weights[i];
            if (r < 0) {
                return values[i];
            }
        }
        return values[values.length - 1];
    }
}
