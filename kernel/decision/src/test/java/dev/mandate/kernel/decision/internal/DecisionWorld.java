package dev.mandate.kernel.decision.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import dev.mandate.api.decision.ActorKind;
import dev.mandate.api.decision.Actor;
import dev.mandate.api.decision.AgentInfo;
import dev.mandate.api.model.ChangeSet;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.Layer;
import dev.mandate.api.model.Relation;
import dev.mandate.api.model.RelationType;
import dev.mandate.kernel.intent.internal.IntentRegistry;
import dev.mandate.kernel.intent.internal.IntentSource;
import dev.mandate.kernel.ledger.testing.InMemoryLedger;
import dev.mandate.kernel.model.internal.ModelStoreImpl;
import dev.mandate.kernel.model.testing.LoadedModelStore;
import dev.mandate.kernel.reconciler.DriftKind;

import org.h2.jdbcx.JdbcDataSource;

/**
 * The world the decision table runs in: the real model store (H2 in memory) holding a small estate,
 * the real intent engine with the baseline pack loaded from its jar the way the extender loads it,
 * the organisation's documents ({@code decision-table/organisation.yaml}: teams, ownership, waivers,
 * freeze windows, a trust blueprint), and the real decision point. Evidence, grants and the
 * reconciler's drift findings are the test doubles of {@link TestEstate}; they have their own tests. Shared as a test jar (the REST tests
 * run on it).
 */
public final class DecisionWorld implements AutoCloseable {

    public static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
    static final String ACCOUNT = ":eu-west-1:111122223333:";
    private static final String BASELINE = "dev.mandate.blueprints.baseline";

    public final ModelStoreImpl store;
    public final IntentRegistry registry;
    public final InMemoryLedger ledger = new InMemoryLedger();
    public final TestEstate.GrantDouble grants = new TestEstate.GrantDouble();
    public final TestEstate.DriftDouble drift = new TestEstate.DriftDouble();
    public final DecisionPointImpl decisionPoint;
    private final Map<String, String> targets = new LinkedHashMap<>();
    private final Map<String, Actor> actors = new LinkedHashMap<>();

    public DecisionWorld(String database) {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:" + database + ";DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        h2.setPassword("");
        store = LoadedModelStore.on(h2, Clock.fixed(NOW, ZoneOffset.UTC));
        store.commit(estate());
        registry = new IntentRegistry((type, payload) -> { });
        registry.useModel(store::current);
        load(new IntentSource("bundle:" + BASELINE, baselinePack()));
        load(new IntentSource("file:decision-table/organisation.yaml",
                List.of(resource("decision-table/organisation.yaml", "file:etc/mandate/blueprints/organisation.yaml"))));
        decisionPoint = new DecisionPointImpl(store, registry, ledger, grants,
                Clock.fixed(NOW, ZoneOffset.UTC), EnumSet.of(RelationType.DEPENDS_ON, RelationType.CONTAINS,
                        RelationType.HOSTED_ON, RelationType.BACKED_UP_BY), 10_000);
        decisionPoint.setDrift(drift);
        drift.open(DriftKind.UNAUTHORIZED, target("i-tampered"), null)
                .open(DriftKind.DIVERGED, target("i-diverged"), "instanceType")
                .open(DriftKind.UNMANAGED, target("i-unmanaged"), null)
                .open(DriftKind.UNAUTHORIZED, target("i-report"), null);
        actors();
    }

    /** The element id behind a target alias of the table ({@code new:} aliases are ids to create). */
    public String target(String alias) {
        if (alias.startsWith("new:")) {
            return alias.substring(4);
        }
        String id = targets.get(alias);
        if (id == null) {
            throw new IllegalArgumentException("the decision table names an unknown target '" + alias + "'");
        }
        return id;
    }

    /** The target aliases of the estate, in the order they were built. */
    public List<String> targetAliases() {
        return List.copyOf(targets.keySet());
    }

    /** The actor aliases, in the order they were declared. */
    public List<String> actorAliases() {
        return List.copyOf(actors.keySet());
    }

    public Actor actor(String alias) {
        Actor actor = actors.get(alias);
        if (actor == null) {
            throw new IllegalArgumentException("the decision table names an unknown actor '" + alias + "'");
        }
        return actor;
    }

    private ChangeSet estate() {
        List<Element> elements = new ArrayList<>();
        List<Relation> relations = new ArrayList<>();
        String ordersDb = element(elements, "orders-db", "aws:rds:db-instance", "orders-prod", "team-payments", "prod",
                Map.of("dataClassification", "restricted"), Map.of("engine", "postgres", "storageEncrypted", true));
        String ledgerDb = element(elements, "ledger-db", "aws:rds:db-instance", "ledger-prod", "team-payments", "prod",
                Map.of(), Map.of("engine", "postgres", "storageEncrypted", true));
        element(elements, "orders-db-staging", "aws:rds:db-instance", "orders-staging", "team-payments", "staging",
                Map.of(), Map.of("engine", "postgres"));
        relations.add(Relation.of(RelationType.DEPENDS_ON,
                element(elements, "i-orders-api", "aws:ec2:instance", "i-orders-api", "team-payments", "prod", Map.of(),
                        Map.of()), ordersDb));
        relations.add(Relation.of(RelationType.DEPENDS_ON,
                element(elements, "i-shipping", "aws:ec2:instance", "i-shipping", "team-logistics", "prod", Map.of(),
                        Map.of()), ordersDb));
        relations.add(Relation.of(RelationType.DEPENDS_ON,
                element(elements, "i-ledger-api", "aws:ec2:instance", "i-ledger-api", "team-payments", "prod", Map.of(),
                        Map.of()), ledgerDb));
        element(elements, "i-batch", "aws:ec2:instance", "i-batch", "team-payments", "prod", Map.of(), Map.of());
        // open drift (set in the constructor): changed without a grant, diverged from what was built,
        // running unmanaged, and a dependent of analytics-db changed without a grant
        element(elements, "i-tampered", "aws:ec2:instance", "i-tampered", "team-payments", "prod", Map.of(), Map.of());
        element(elements, "i-diverged", "aws:ec2:instance", "i-diverged", "team-payments", "prod", Map.of(),
                Map.of("instanceType", "m7i.xlarge"));
        element(elements, "i-unmanaged", "aws:ec2:instance", "i-unmanaged", "team-payments", "prod", Map.of(),
                Map.of());
        relations.add(Relation.of(RelationType.DEPENDS_ON,
                element(elements, "i-report", "aws:ec2:instance", "i-report", "team-payments", "prod", Map.of(),
                        Map.of()),
                element(elements, "analytics-db", "aws:rds:db-instance", "analytics-prod", "team-payments", "prod",
                        Map.of(), Map.of("engine", "postgres", "storageEncrypted", true))));
        element(elements, "orders-queue-dev", "aws:sqs:queue", "orders-dev", "team-payments", "dev", Map.of(), Map.of());
        element(elements, "i-checkout", "aws:ec2:instance", "i-checkout", "team-payments", "prod",
                Map.of("freeze", "approval"), Map.of());
        element(elements, "i-checkout-canary", "aws:ec2:instance", "i-checkout-canary", "team-payments", "prod",
                Map.of("freeze", "approval"), Map.of());
        element(elements, "i-dispatch", "aws:ec2:instance", "i-dispatch", "team-logistics", "prod",
                Map.of("freeze", "deny"), Map.of());
        element(elements, "i-routing", "aws:ec2:instance", "i-routing", "team-logistics", "prod",
                Map.of("freeze", "deny"), Map.of());
        element(elements, "i-legacy", "aws:ec2:instance", "i-legacy", null, "prod", Map.of(), Map.of());
        element(elements, "legacy-bucket-dev", "aws:s3:bucket", "legacy-dev", null, "dev", Map.of(), Map.of());
        element(elements, "sessions-cache", "aws:elasticache:replication-group", "sessions", "team-payments", "prod",
                Map.of(), Map.of());
        element(elements, "deployer-role", "aws:iam:role", "payments-deployer", "team-payments", "prod", Map.of(),
                Map.of());
        element(elements, "agent-7-role", "aws:iam:role", "agent-7", "team-payments", "prod", Map.of(), Map.of());
        // the connector knows no owner for the network: the organisation's Ownership rule names logistics
        String vpc = element(elements, "vpc-core", "aws:ec2:vpc", "vpc-core", null, "prod", Map.of(), Map.of());
        for (int i = 1; i <= 30; i++) {
            String subnet = String.format("subnet-%02d", i);
            relations.add(Relation.of(RelationType.CONTAINS, vpc,
                    element(elements, subnet, "aws:ec2:subnet", subnet, null, "prod", Map.of(), Map.of())));
        }
        return new ChangeSet("decision-table", Layer.RUNNING, elements, List.of(), relations, List.of());
    }

    private String element(List<Element> elements, String alias, String kind, String nativeId, String owner,
            String environment, Map<String, String> labels, Map<String, Object> attributes) {
        String id = kind + ACCOUNT + nativeId;
        elements.add(new Element(id, kind, "aws", environment, "eu-restricted", owner, labels, attributes, Map.of()));
        targets.put(alias, id);
        return id;
    }

    private void actors() {
        AgentInfo declared = new AgentInfo("claude-opus-4", "9f2c".repeat(16));
        actors.put("alice", new Actor("alice", ActorKind.HUMAN, "team-payments", List.of("grp-payments"), null, "mfa"));
        actors.put("alice-password", new Actor("alice", ActorKind.HUMAN, "team-payments", List.of("grp-payments"), null,
                "password"));
        actors.put("paul", new Actor("paul", ActorKind.HUMAN, "team-payments", List.of("grp-payments"), null, "mfa"));
        actors.put("lars", new Actor("lars", ActorKind.HUMAN, null, List.of("grp-logistics"), null, "mfa"));
        actors.put("priya", new Actor("priya", ActorKind.HUMAN, null, List.of("grp-platform-engineers"), null, "mfa"));
        actors.put("deploy-bot", new Actor("deploy-bot", ActorKind.SYSTEM, "team-payments", List.of(), null,
                "workload-identity"));
        actors.put("ship-bot", new Actor("ship-bot", ActorKind.SYSTEM, "team-logistics", List.of(), null,
                "workload-identity"));
        actors.put("agent-7", new Actor("agent-7", ActorKind.AI, "team-payments", List.of(), declared,
                "workload-identity"));
        actors.put("agent-9", new Actor("agent-9", ActorKind.AI, "team-logistics", List.of(), declared,
                "workload-identity"));
        actors.put("agent-x", new Actor("agent-x", ActorKind.AI, "team-payments", List.of(), null, "workload-identity"));
    }

    private void load(IntentSource source) {
        IntentRegistry.LoadResult result = registry.load(source);
        if (result.outcome() != IntentRegistry.Outcome.LOADED) {
            throw new IllegalStateException(source.key() + " did not load: " + result.problems());
        }
    }

    /** Every YAML file of the baseline pack, found in its jar (or its classes folder in a reactor build). */
    private static List<IntentSource.File> baselinePack() {
        URL anchor = DecisionWorld.class.getClassLoader().getResource("blueprints/team-platform.yaml");
        if (anchor == null) {
            throw new IllegalStateException("the baseline pack is not on the test class path");
        }
        List<String> names = new ArrayList<>();
        try {
            if ("jar".equals(anchor.getProtocol())) {
                JarURLConnection connection = (JarURLConnection) anchor.openConnection();
                connection.setUseCaches(false);
                try (JarFile jar = connection.getJarFile()) {
                    jar.stream().map(JarEntry::getName)
                            .filter(name -> name.startsWith("blueprints/") && name.endsWith(".yaml")).forEach(names::add);
                }
            } else {
                try (Stream<Path> files = Files.list(Path.of(anchor.toURI()).getParent())) {
                    files.map(path -> "blueprints/" + path.getFileName()).filter(name -> name.endsWith(".yaml"))
                            .forEach(names::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return names.stream().sorted().map(name -> resource(name, "bundle:" + BASELINE + "/" + name)).toList();
    }

    private static IntentSource.File resource(String name, String origin) {
        try (InputStream in = DecisionWorld.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("'" + name + "' is not on the test class path");
            }
            return new IntentSource.File(name, origin, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Puts REQUIRE_APPROVAL decisions into this approval queue (as DS binds it in OSGi). */
    public void useApprovals(dev.mandate.api.decision.ApprovalService approvals) {
        decisionPoint.setApprovals(approvals);
    }

    @Override
    public void close() {
        store.close();
    }
}
