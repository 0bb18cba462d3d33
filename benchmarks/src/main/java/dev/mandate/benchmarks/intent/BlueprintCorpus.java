package dev.mandate.benchmarks.intent;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import dev.mandate.kernel.intent.internal.IntentSource;

/**
 * A synthetic corpus of blueprints with the shape of the shipped packs: each blueprint applies to
 * one kind (some also to one environment, one in ten has an {@code appliesTo.match}), carries ten
 * constraints drawn from ten templates modelled on the landing-zone and baseline rules (action and
 * actor guards, {@code has()} checks, comprehensions over lists of rules, regular expressions,
 * blast-radius thresholds) and is owned by one team declared beside them. Each condition carries a
 * constant of its blueprint, so all 10,000 conditions are distinct texts (no compilation is shared);
 * the messages share their placeholder ({@code ${element.id}}), as real packs do.
 *
 * <p>Kinds come from a catalogue: the estate generator's eleven kinds plus synthetic ones
 * ({@code aws:svc-N:resource}) up to {@code kinds}; with {@code kinds = 11} every blueprint applies
 * to a kind the estate holds (about 90 blueprints per kind, the worst case for applicability).
 */
final class BlueprintCorpus {

    static final String BUNDLE = "dev.mandate.benchmarks.corpus";

    static final String[] ESTATE_KINDS = {"aws:ec2:vpc", "aws:eks:cluster", "aws:ec2:subnet", "aws:eks:namespace",
        "aws:ec2:instance", "aws:s3:bucket", "aws:rds:db-instance", "aws:lambda:function", "aws:sqs:queue",
        "aws:elbv2:load-balancer", "aws:ecs:task"};

    private static final String[] ENVIRONMENTS = {"prod", "staging", "dev"};

    /** Condition templates; {@code %1$d} is the blueprint's index, so no two blueprints share a condition. */
    private static final String[] CONDITIONS = {
        "request.action == \"delete\" && actor.kind == \"AI\" && !(\"grp-owners-%1$d\" in actor.groups)",
        "request.action in [\"delete\", \"replace\"] && (blastRadius.count > %1$d || blastRadius.truncated)",
        "request.action in [\"create\", \"update\"] && has(request.after.isPublic) && request.after.isPublic == true"
                + " && element.trustZone != \"dmz-%1$d\"",
        "request.action in [\"create\", \"update\", \"replace\"] && has(request.after.ingressRules) &&"
                + " request.after.ingressRules.exists(r, has(r.source) && r.source in [\"0.0.0.0/0\", \"::/0\"]"
                + " && has(r.toPort) && r.toPort != %1$d)",
        "request.action in [\"create\", \"replace\"] &&"
                + " !element.id.matches(\"^aws:[^:]+:[^:]+:(eu-west-1|eu-central-1|global):1%1$011d:.*\")",
        "request.action != \"read\" && element.environment == \"prod\" && actor.kind == \"AI\""
                + " && !(\"platform-admins-%1$d\" in actor.groups)",
        "request.action == \"update\" && has(request.after.dataClass) && request.after.dataClass == \"pii\""
                + " && element.trustZone in [\"public\", \"dmz\", \"zone-%1$d\"]",
        "request.action in [\"create\", \"update\"] && has(request.after.encrypted) && request.after.encrypted == false"
                + " && element.owner != \"team-%1$d\"",
        "request.action == \"delete\" && has(element.labels.backup) && element.labels.backup == \"true\""
                + " && element.environment == \"prod\" && blastRadius.depth >= %1$d",
        "request.action in [\"create\", \"update\"] && element.owner == \"\" && actor.kind != \"SYSTEM\""
                + " && request.justification != \"ticket-%1$d\""};

    private static final String[] EFFECTS = {"deny", "require-approval", "deny", "require-approval", "deny",
        "require-approval", "deny", "deny", "require-approval", "require-approval"};

    private BlueprintCorpus() {
    }

    static String kind(int index) {
        return index < ESTATE_KINDS.length ? ESTATE_KINDS[index] : "aws:svc-" + index + ":resource";
    }

    /** The team and {@code count} blueprints, one file each, as one bundle's documents. */
    static IntentSource pack(int count, int kinds, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<IntentSource.File> files = new ArrayList<>(count + 1);
        files.add(file("blueprints/000-team.yaml", """
                apiVersion: mandate.dev/v1
                kind: Team
                metadata: {name: team-bench, version: 1.0.0, description: Owns the benchmark corpus}
                spec:
                  displayName: Bench
                  groups: [grp-bench]
                  decisionRights:
                    - {id: approve, actions: ["*"], environments: [], approve: true}
                """));
        for (int b = 0; b < count; b++) {
            files.add(file("blueprints/bp-" + b + ".yaml", blueprint(b, kind(random.nextInt(kinds)), random)));
        }
        return new IntentSource("bundle:" + BUNDLE, files);
    }

    private static String blueprint(int index, String kind, SplittableRandom random) {
        StringBuilder yaml = new StringBuilder();
        yaml.append("apiVersion: mandate.dev/v1\nkind: Blueprint\nmetadata:\n")
                .append("  name: bench-").append(index).append('\n')
                .append("  version: 1.").append(index % 7).append(".0\n")
                .append("  owner: team-bench\n")
                .append("  description: synthetic blueprint ").append(index).append(" for ").append(kind).append('\n')
                .append("spec:\n  appliesTo:\n    kinds: [").append(kind).append("]\n");
        double shape = random.nextDouble();
        if (shape < 0.3) {
            yaml.append("    environments: [").append(ENVIRONMENTS[random.nextInt(ENVIRONMENTS.length)]).append("]\n");
        } else if (shape < 0.4) {
            yaml.append("    match: 'has(element.labels.compliance) && element.labels.compliance == \"sox\"'\n");
        }
        yaml.append("  constraints:\n");
        for (int c = 0; c < CONDITIONS.length; c++) {
            yaml.append("    - id: rule-").append(c).append('\n')
                    .append("      when: '").append(CONDITIONS[c].formatted(index)).append("'\n")
                    .append("      effect: ").append(EFFECTS[c]).append('\n')
                    .append("      severity: high\n")
                    .append("      message: rule ").append(c).append(" of bench-").append(index)
                    .append(" holds for ${element.id}\n");
        }
        return yaml.toString();
    }

    private static IntentSource.File file(String name, String text) {
        return new IntentSource.File(name, "bundle:" + BUNDLE + "/" + name, text);
    }
}
