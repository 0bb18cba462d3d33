package dev.mandate.kernel.intent.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mandate.api.decision.Action;
import dev.mandate.api.intent.BlueprintInfo;
import dev.mandate.api.intent.DecisionRight;
import dev.mandate.api.intent.Effect;
import dev.mandate.api.intent.Fallback;
import dev.mandate.api.intent.Inputs;
import dev.mandate.api.intent.Team;
import dev.mandate.kernel.intent.Problem;

/**
 * Turns the text of one intent file into teams and compiled blueprints, or into the problems that
 * prevent it, each with file, line and column. Checks everything a file can check on its own
 * (fields, names, versions, effects, CEL); what needs the other files (owners, conflicts, upgrades)
 * is checked by {@link IntentRegistry}. Thread-safe.
 */
final class DocumentCompiler {

    static final String API_VERSION = "mandate.dev/v1";
    static final String SHADOW_ANNOTATION = "mandate.dev/shadow";
    static final Set<String> SEVERITIES = Set.of("low", "medium", "high", "critical");

    private static final Logger LOG = LoggerFactory.getLogger(DocumentCompiler.class);
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern KIND = Pattern.compile("[A-Za-z0-9._-]+:[A-Za-z0-9._-]+:[A-Za-z0-9._-]+");
    private static final Set<String> TOP_FIELDS = Set.of("apiVersion", "kind", "metadata", "spec");
    private static final Set<String> METADATA_FIELDS = Set.of("name", "version", "owner", "description", "labels",
            "annotations");
    private static final Set<String> TEAM_FIELDS = Set.of("displayName", "groups", "decisionRights", "escalation");
    private static final Set<String> RIGHT_FIELDS = Set.of("id", "actions", "environments", "approve");
    private static final Set<String> BLUEPRINT_FIELDS = Set.of("fallback", "appliesTo", "constraints", "structure",
            "variations", "dataFlows", "enforcement", "rollout");
    private static final Set<String> VARIATION_FIELDS = Set.of("attributes", "onViolation");
    private static final Set<String> VARIATION_RULE_FIELDS = Set.of("equals", "oneOf", "range", "pattern", "optional");
    private static final Set<String> STRUCTURE_FIELDS = Set.of("requires");
    private static final Set<String> REQUIRES_FIELDS = Set.of("relation", "kind", "direction");
    private static final Set<String> FLOW_FIELDS = Set.of("id", "from", "to", "classification", "classifications",
            "requirePurpose", "effect", "severity", "message", "enforcement");
    private static final Set<String> ZONE_FIELDS = Set.of("trustZone", "trustZones", "notTrustZone", "notTrustZones");
    private static final Set<String> SELECTOR_FIELDS = Set.of("ids", "kinds", "providers", "environments",
            "trustZones", "accounts", "subscriptions", "labels", "match");
    private static final Set<String> WAIVER_FIELDS = Set.of("selector", "constraints", "approvedBy", "reason",
            "expiresAt");
    private static final Set<String> FREEZE_FIELDS = Set.of("selector", "actions", "effect", "severity", "windows",
            "message");
    private static final Set<String> WINDOW_FIELDS = Set.of("from", "to", "weekly");
    private static final Set<String> WEEKLY_FIELDS = Set.of("days", "from", "to", "timeZone");
    private static final Set<String> OWNERSHIP_FIELDS = Set.of("rules");
    private static final Set<String> OWNERSHIP_RULE_FIELDS = Set.of("id", "selector", "accountable", "responsible",
            "consulted");
    static final Set<String> RELATION_TYPES = Set.of("DEPENDS_ON", "CONTAINS", "CONNECTS_TO", "FLOWS_DATA_TO",
            "MEMBER_OF", "ASSUMES", "TRUSTS", "BACKED_UP_BY", "HOSTED_ON", "ROUTES_TO", "ATTACHED_TO");
    private static final Pattern RULE_REF = Pattern.compile(
            "([a-z0-9][-a-z0-9]*#[-a-zA-Z0-9_.:*]+|freeze:[a-z0-9][-a-z0-9]*)");
    /** Action classes a freeze window may name besides single actions. */
    static final Map<String, List<String>> ACTION_CLASSES = Map.of(
            "changes", List.of("create", "update", "delete", "replace", "scale", "restart"),
            "destructive", List.of("delete", "replace"),
            "access", List.of("access-grant", "access-revoke"),
            "all", List.of("create", "update", "delete", "replace", "scale", "restart", "access-grant",
                    "access-revoke"));
    private static final Set<String> APPLIES_FIELDS = Set.of("kinds", "providers", "environments", "match");
    private static final Set<String> CONSTRAINT_FIELDS = Set.of("id", "description", "when", "effect", "severity",
            "message", "obligations", "enforcement");

    private final YamlReader reader = new YamlReader();

    /** What one file declares, or what is wrong with it. */
    record FileResult(List<TeamDeclaration> teams, List<CompiledBlueprint> blueprints, List<Declared> others,
            List<Problem> problems, List<Outline> outlines) {
        boolean ok() {
            return problems.isEmpty();
        }
    }

    FileResult compile(String fileName, String origin, String text, CelEnvironment environment) {
        return compile(fileName, origin, text, reader.read(fileName, text), environment);
    }

    /**
     * These files compiled, in their order. Their YAML is read first and the conditions of all their
     * blueprints are type-checked together ({@link CelEnvironment#precompileWhen}), so that a pack of
     * many small files shares its checks as a large file does; then each file is compiled as
     * {@link #compile(String, String, String, CelEnvironment)} compiles it.
     */
    List<FileResult> compileAll(List<IntentSource.File> files, CelEnvironment environment) {
        List<YamlReader.Result> read = new ArrayList<>(files.size());
        List<String> conditions = new ArrayList<>();
        for (IntentSource.File file : files) {
            YamlReader.Result result = reader.read(file.name(), file.text());
            read.add(result);
            for (YamlNode document : result.documents()) {
                conditions(document, conditions);
            }
        }
        environment.precompileWhen(conditions);
        List<FileResult> results = new ArrayList<>(files.size());
        for (int i = 0; i < files.size(); i++) {
            IntentSource.File file = files.get(i);
            results.add(compile(file.name(), file.origin(), file.text(), read.get(i), environment));
        }
        return results;
    }

    /** The conditions ({@code when}) of a blueprint document's constraints, as written. */
    private static void conditions(YamlNode document, List<String> conditions) {
        YamlNode spec = document.isMap() ? document.get("spec") : null;
        YamlNode constraints = spec != null && spec.isMap() ? spec.get("constraints") : null;
        if (constraints == null || !constraints.isList() || document.get("kind") == null
                || !"Blueprint".equals(document.get("kind").text())) {
            return;
        }
        for (YamlNode constraint : constraints.items()) {
            YamlNode when = constraint.isMap() ? constraint.get("when") : null;
            if (when != null && when.isScalar() && !when.isBoolean()) {
                conditions.add(when.text());
            }
        }
    }

    private FileResult compile(String fileName, String origin, String text, YamlReader.Result read,
            CelEnvironment environment) {
        if (!read.problems().isEmpty()) {
            return new FileResult(List.of(), List.of(), List.of(), read.problems(), List.of());
        }
        FileContext file = new FileContext(fileName, origin, new SourceText(text), environment);
        for (YamlNode document : read.documents()) {
            file.document(document);
        }
        return new FileResult(file.teams, file.blueprints, file.others, file.problems, file.outlines);
    }

    /**
     * What a document says it is, as far as it got (any field may be {@code null}): kind, name and
     * version as written, valid or not, so that a rejection can name the blueprint it rejects.
     *
     * @param line the line the document starts on
     */
    record Outline(String file, int line, String kind, String name, String version) {

        /** The document of these outlines that a problem of this file at this line lies in. */
        static Outline of(List<Outline> outlines, Problem problem) {
            Outline found = null;
            for (Outline outline : outlines) {
                if (outline.file().equals(problem.file()) && outline.line() <= problem.line()
                        && (found == null || outline.line() >= found.line())) {
                    found = outline;
                }
            }
            return found;
        }
    }

    /** The state of reading one file. */
    private final class FileContext {
        final String fileName;
        final String origin;
        final SourceText source;
        final CelEnvironment environment;
        final List<Problem> problems = new ArrayList<>();
        final List<TeamDeclaration> teams = new ArrayList<>();
        final List<CompiledBlueprint> blueprints = new ArrayList<>();
        final List<Declared> others = new ArrayList<>();
        final List<Outline> outlines = new ArrayList<>();

        FileContext(String fileName, String origin, SourceText source, CelEnvironment environment) {
            this.fileName = fileName;
            this.origin = origin;
            this.source = source;
            this.environment = environment;
        }

        void problem(YamlNode at, String message) {
            problems.add(new Problem(fileName, at.line(), at.column(), message));
        }

        void document(YamlNode document) {
            if (!document.isMap()) {
                problem(document, "a document is a mapping with apiVersion, kind, metadata and spec, not "
                        + document.describe());
                return;
            }
            outlines.add(outline(document));
            String kind = string(document, "kind", "");
            YamlNode apiVersion = document.get("apiVersion");
            if (apiVersion == null) {
                problem(document, "apiVersion is missing (expected '" + API_VERSION + "')");
            } else if (!apiVersion.isScalar() || !API_VERSION.equals(apiVersion.text())) {
                problem(apiVersion, "apiVersion " + apiVersion.describe() + " is not supported (expected '"
                        + API_VERSION + "')");
            }
            if (kind == null) {
                return;
            }
            switch (kind) {
                case "Team" -> team(document);
                case "Blueprint" -> blueprint(document);
                case "Waiver" -> waiver(document);
                case "FreezeWindow" -> freeze(document);
                case "Ownership" -> ownership(document);
                default -> problem(document.get("kind"), "unknown kind '" + kind
                        + "' (known: Team, Blueprint, Ownership, Waiver, FreezeWindow)");
            }
        }

        private Outline outline(YamlNode document) {
            YamlNode metadata = document.get("metadata");
            return new Outline(fileName, document.line(), scalar(document.get("kind")),
                    metadata != null && metadata.isMap() ? scalar(metadata.get("name")) : null,
                    metadata != null && metadata.isMap() ? scalar(metadata.get("version")) : null);
        }

        private static String scalar(YamlNode node) {
            return node != null && node.isScalar() && !node.text().isBlank() ? node.text() : null;
        }

        private void team(YamlNode document) {
            int before = problems.size();
            unknownFields(document, TOP_FIELDS, "a document");
            YamlNode metadata = map(document, "metadata", "", true);
            YamlNode spec = map(document, "spec", "", true);
            if (metadata == null || spec == null) {
                return;
            }
            unknownFields(metadata, METADATA_FIELDS, "metadata");
            String name = name(metadata, "name", "team ");
            String version = version(metadata);
            unknownFields(spec, TEAM_FIELDS, "a team spec");
            String prefix = name == null ? "" : "team '" + name + "': ";
            String displayName = string(spec, "displayName", prefix);
            List<String> groups = strings(spec, "groups", prefix);
            List<String> escalation = strings(spec, "escalation", prefix);
            for (String team : escalation) {
                if (!NAME.matcher(team).matches()) {
                    problem(spec.get("escalation"), prefix + "escalation names '" + team + "', which is not a team id");
                }
            }
            List<DecisionRight> rights = new ArrayList<>();
            YamlNode rightsNode = list(spec, "decisionRights", prefix);
            Set<String> rightIds = new LinkedHashSet<>();
            if (rightsNode != null) {
                for (YamlNode right : rightsNode.items()) {
                    DecisionRight parsed = decisionRight(right, prefix);
                    if (parsed != null) {
                        if (!rightIds.add(parsed.id())) {
                            problem(right, prefix + "decision right '" + parsed.id() + "' is declared twice");
                        }
                        rights.add(parsed);
                    }
                }
            }
            if (problems.size() == before && name != null && version != null) {
                YamlNode at = metadata.get("name");
                teams.add(new TeamDeclaration(new Team(name, displayName == null ? name : displayName, groups, rights,
                        escalation, version), fileName, at.line(), at.column(), origin, hash(document)));
            }
        }

        private DecisionRight decisionRight(YamlNode right, String prefix) {
            if (!right.isMap()) {
                problem(right, prefix + "a decision right is a mapping with id, actions, environments and approve");
                return null;
            }
            int before = problems.size();
            unknownFields(right, RIGHT_FIELDS, "a decision right");
            String id = name(right, "id", prefix + "decision right ");
            List<String> actions = strings(right, "actions", prefix);
            if (actions.isEmpty() && right.get("actions") != null) {
                problem(right.get("actions"), prefix + "decision right '" + id + "' covers no action");
            }
            if (right.get("actions") == null) {
                problem(right, prefix + "decision right '" + id + "' has no actions");
            }
            for (String action : actions) {
                if (!"*".equals(action)) {
                    try {
                        Action.parse(action);
                    } catch (IllegalArgumentException e) {
                        problem(right.get("actions"), prefix + e.getMessage());
                    }
                }
            }
            List<String> environments = strings(right, "environments", prefix);
            boolean approve = bool(right, "approve", prefix);
            if (problems.size() != before || id == null) {
                return null;
            }
            List<String> normalized = actions.stream()
                    .map(action -> "*".equals(action) ? action : Action.parse(action).wireName()).toList();
            return new DecisionRight(id, new LinkedHashSet<>(normalized), new LinkedHashSet<>(environments), approve);
        }

        private void blueprint(YamlNode document) {
            int before = problems.size();
            unknownFields(document, TOP_FIELDS, "a document");
            YamlNode metadata = map(document, "metadata", "", true);
            YamlNode spec = map(document, "spec", "", true);
            if (metadata == null || spec == null) {
                return;
            }
            unknownFields(metadata, METADATA_FIELDS, "metadata");
            String name = name(metadata, "name", "blueprint ");
            String prefix = name == null ? "" : "blueprint '" + name + "': ";
            String version = version(metadata);
            YamlNode ownerNode = metadata.get("owner");
            String owner = null;
            if (ownerNode == null) {
                problem(metadata, prefix + "metadata.owner is missing: every blueprint has an owning team");
            } else {
                owner = name(metadata, "owner", prefix + "owner ");
            }
            String description = string(metadata, "description", prefix);
            unknownFields(spec, BLUEPRINT_FIELDS, "a blueprint spec");
            Mode mode = mode(spec, Mode.ENFORCE, prefix);
            boolean shadow = shadow(metadata, spec, prefix);
            Fallback fallback = fallback(spec, prefix);
            Set<String> kinds = Set.of();
            Set<String> providers = Set.of();
            Set<String> environments = Set.of();
            dev.cel.runtime.Program match = null;
            String matchText = null;
            Inputs matchReads = Inputs.NONE;
            YamlNode appliesTo = map(spec, "appliesTo", prefix, false);
            if (appliesTo != null) {
                unknownFields(appliesTo, APPLIES_FIELDS, "appliesTo");
                kinds = new LinkedHashSet<>(strings(appliesTo, "kinds", prefix));
                for (String kind : kinds) {
                    if (!KIND.matcher(kind).matches()) {
                        problem(appliesTo.get("kinds"), prefix + "appliesTo.kinds names '" + kind
                                + "', which is not a kind (provider:service:type)");
                    }
                }
                providers = new LinkedHashSet<>(strings(appliesTo, "providers", prefix));
                environments = new LinkedHashSet<>(strings(appliesTo, "environments", prefix));
                YamlNode matchNode = appliesTo.get("match");
                if (matchNode != null) {
                    CelEnvironment.Compiled compiledMatch = expression(matchNode, prefix + "appliesTo.match: ",
                            environment::compileMatch);
                    match = compiledMatch == null ? null : compiledMatch.program();
                    matchReads = compiledMatch == null ? Inputs.NONE : InputPaths.of(compiledMatch.ast());
                    matchText = matchNode.text();
                }
            }
            List<CompiledConstraint> constraints = new ArrayList<>();
            YamlNode constraintsNode = list(spec, "constraints", prefix);
            Set<String> ids = new LinkedHashSet<>();
            Effect[] onViolation = {Effect.DENY};
            List<Variation> variations = variations(spec, prefix, onViolation);
            List<StructureRule> structure = structure(spec, prefix);
            List<DataFlowRule> flows = dataFlows(spec, prefix, mode);
            boolean hasRules = !variations.isEmpty() || !structure.isEmpty() || !flows.isEmpty();
            if (constraintsNode == null || constraintsNode.items().isEmpty()) {
                if (!hasRules) {
                    problem(constraintsNode == null ? spec : constraintsNode, prefix
                            + "spec.constraints is empty (and there are no variations, structure or data flows)");
                }
            } else {
                // the conditions of a blueprint are type-checked together first (see precompileWhen);
                // compileAll has done that for all the blueprints of its files already
                List<String> conditions = new ArrayList<>();
                conditions(document, conditions);
                environment.precompileWhen(conditions);
                for (YamlNode constraint : constraintsNode.items()) {
                    CompiledConstraint compiled = constraint(constraint, name, version, ids, mode);
                    if (compiled != null) {
                        constraints.add(compiled);
                    }
                }
            }
            if (problems.size() != before || name == null || version == null || owner == null) {
                return;
            }
            BlueprintInfo info = new BlueprintInfo(name, version, owner, description == null ? "" : description,
                    hash(document), origin, constraints.stream().map(CompiledConstraint::id).toList(), fallback);
            YamlNode nameNode = metadata.get("name");
            List<CompiledConstraint> compiledConstraints = List.copyOf(constraints);
            blueprints.add(new CompiledBlueprint(info, Semver.parse(version), fileName, nameNode.line(),
                    nameNode.column(), ownerNode.line(),
                    ownerNode.column(), Set.copyOf(kinds), Set.copyOf(providers), Set.copyOf(environments), match, matchText,
                    compiledConstraints, mode, shadow, List.copyOf(variations), onViolation[0],
                    List.copyOf(structure), List.copyOf(flows), matchReads, ConstraintIndex.of(compiledConstraints)));
        }

        private CompiledConstraint constraint(YamlNode node, String blueprint, String version, Set<String> ids,
                Mode blueprintMode) {
            if (!node.isMap()) {
                problem(node, "a constraint is a mapping with id, when, effect and message, not " + node.describe());
                return null;
            }
            int before = problems.size();
            unknownFields(node, CONSTRAINT_FIELDS, "a constraint");
            String id = name(node, "id", "constraint ");
            String prefix = "constraint '" + (id == null ? "?" : id) + "': ";
            if (id != null && !ids.add(id)) {
                problem(node.get("id"), "constraint id '" + id + "' is used twice in this blueprint");
            }
            Effect effect = null;
            String effectText = string(node, "effect", prefix);
            if (effectText == null) {
                problem(node, prefix + "effect is missing (allow, deny or require-approval)");
            } else {
                try {
                    effect = Effect.parse(effectText);
                } catch (IllegalArgumentException e) {
                    problem(node.get("effect"), prefix + e.getMessage());
                }
            }
            String severity = string(node, "severity", prefix);
            if (severity != null && !SEVERITIES.contains(severity)) {
                problem(node.get("severity"), prefix + "unknown severity '" + severity
                        + "' (known: low, medium, high, critical)");
            }
            if (severity == null && effect != null) {
                severity = switch (effect) {
                    case DENY -> "high";
                    case REQUIRE_APPROVAL -> "medium";
                    case ALLOW -> "low";
                };
            }
            CelEnvironment.Compiled compiledWhen = null;
            YamlNode whenNode = node.get("when");
            if (whenNode == null) {
                problem(node, prefix + "when is missing: the condition under which the constraint applies");
            } else {
                compiledWhen = expression(whenNode, prefix, environment::compileWhen);
            }
            dev.cel.runtime.Program when = compiledWhen == null ? null : compiledWhen.program();
            MessageTemplate message = null;
            YamlNode messageNode = node.get("message");
            String messageText = string(node, "message", prefix);
            if (messageNode == null || (messageText != null && messageText.isBlank())) {
                problem(messageNode == null ? node : messageNode,
                        prefix + "message is missing: say in plain words what was found");
            } else if (messageText != null) {
                message = template(messageNode, messageText, prefix);
            }
            List<String> obligations = strings(node, "obligations", prefix);
            Mode mode = mode(node, blueprintMode, prefix);
            if (problems.size() != before || id == null || effect == null || when == null || message == null) {
                return null;
            }
            return new CompiledConstraint(id, blueprint + "@" + version + "#" + id, effect, severity,
                    CompiledExpression.condition(compiledWhen), Guard.of(compiledWhen.ast()), message, obligations, mode,
                    InputPaths.of(compiledWhen.ast()));
        }

        private Mode mode(YamlNode node, Mode otherwise, String prefix) {
            String text = string(node, "enforcement", prefix);
            if (text == null) {
                return otherwise;
            }
            try {
                return Mode.parse(text);
            } catch (IllegalArgumentException e) {
                problem(node.get("enforcement"), prefix + e.getMessage());
                return otherwise;
            }
        }

        private boolean shadow(YamlNode metadata, YamlNode spec, String prefix) {
            boolean shadow = false;
            YamlNode annotations = map(metadata, "annotations", prefix, false);
            if (annotations != null) {
                YamlNode flag = annotations.get(SHADOW_ANNOTATION);
                if (flag != null) {
                    if (!flag.isScalar() || !Set.of("true", "false").contains(flag.text())) {
                        problem(flag, prefix + "annotation '" + SHADOW_ANNOTATION + "' is \"true\" or \"false\", not "
                                + flag.describe());
                    } else {
                        shadow = "true".equals(flag.text());
                    }
                }
            }
            String rollout = string(spec, "rollout", prefix);
            if (rollout != null) {
                switch (rollout) {
                    case "shadow" -> shadow = true;
                    case "active" -> {
                        if (shadow) {
                            problem(spec.get("rollout"), prefix + "rollout 'active' contradicts the annotation '"
                                    + SHADOW_ANNOTATION + "'");
                        }
                    }
                    default -> problem(spec.get("rollout"), prefix + "unknown rollout '" + rollout
                            + "' (known: active, shadow)");
                }
            }
            return shadow;
        }

        private Effect effect(YamlNode node, String field, Effect otherwise, Set<Effect> allowed, String prefix) {
            String text = string(node, field, prefix);
            if (text == null) {
                return otherwise;
            }
            try {
                Effect effect = Effect.parse(text);
                if (!allowed.contains(effect)) {
                    problem(node.get(field), prefix + field + " '" + text + "' is not allowed here (known: "
                            + String.join(", ", allowed.stream().map(Effect::toString).sorted().toList()) + ")");
                    return otherwise;
                }
                return effect;
            } catch (IllegalArgumentException e) {
                problem(node.get(field), prefix + e.getMessage());
                return otherwise;
            }
        }

        private String severity(YamlNode node, Effect effect, String prefix) {
            String severity = string(node, "severity", prefix);
            if (severity != null && !SEVERITIES.contains(severity)) {
                problem(node.get("severity"), prefix + "unknown severity '" + severity
                        + "' (known: low, medium, high, critical)");
            }
            if (severity == null || !SEVERITIES.contains(severity)) {
                return effect == Effect.DENY ? "high" : effect == Effect.REQUIRE_APPROVAL ? "medium" : "low";
            }
            return severity;
        }

        private List<Variation> variations(YamlNode spec, String prefix, Effect[] onViolation) {
            YamlNode node = map(spec, "variations", prefix, false);
            if (node == null) {
                return List.of();
            }
            unknownFields(node, VARIATION_FIELDS, "variations");
            onViolation[0] = effect(node, "onViolation", Effect.DENY, Set.of(Effect.DENY, Effect.REQUIRE_APPROVAL),
                    prefix + "variations: ");
            YamlNode attributes = map(node, "attributes", prefix + "variations: ", true);
            List<Variation> variations = new ArrayList<>();
            if (attributes == null) {
                return variations;
            }
            for (var entry : attributes.fields().entrySet()) {
                String attribute = entry.getKey();
                YamlNode rule = entry.getValue();
                String where = prefix + "variation of '" + attribute + "': ";
                if (!rule.isMap() || rule.fields().isEmpty()) {
                    problem(rule, where + "give equals, oneOf, range or pattern, not " + rule.describe());
                    continue;
                }
                unknownFields(rule, VARIATION_RULE_FIELDS, "a variation");
                Object equals = rule.get("equals") == null ? null : scalarValue(rule.get("equals"), where);
                List<Object> oneOf = new ArrayList<>();
                YamlNode oneOfNode = list(rule, "oneOf", where);
                if (oneOfNode != null) {
                    for (YamlNode item : oneOfNode.items()) {
                        oneOf.add(scalarValue(item, where));
                    }
                    if (oneOf.isEmpty()) {
                        problem(oneOfNode, where + "oneOf lists no value");
                    }
                }
                Double min = null;
                Double max = null;
                YamlNode range = map(rule, "range", where, false);
                if (range != null) {
                    unknownFields(range, Set.of("min", "max"), "a range");
                    min = number(range, "min", where);
                    max = number(range, "max", where);
                    if (min == null && max == null) {
                        problem(range, where + "range needs min, max or both");
                    } else if (min != null && max != null && min > max) {
                        problem(range, where + "range min " + CelValues.format(min) + " is above max "
                                + CelValues.format(max));
                    }
                }
                java.util.regex.Pattern pattern = null;
                String patternText = string(rule, "pattern", where);
                if (patternText != null) {
                    try {
                        pattern = java.util.regex.Pattern.compile(patternText);
                    } catch (java.util.regex.PatternSyntaxException e) {
                        problem(rule.get("pattern"), where + "pattern '" + patternText + "' is not a regular expression: "
                                + e.getDescription().toLowerCase(Locale.ROOT));
                    }
                }
                boolean optional = bool(rule, "optional", where);
                variations.add(new Variation(attribute, equals, List.copyOf(oneOf), min, max, pattern, optional));
            }
            return variations;
        }

        private Object scalarValue(YamlNode node, String prefix) {
            if (!node.isScalar()) {
                problem(node, prefix + "a value is text, a number or true/false, not " + node.describe());
                return "";
            }
            if (node.isBoolean()) {
                return Boolean.valueOf(node.text());
            }
            return node.text();
        }

        private Double number(YamlNode parent, String field, String prefix) {
            String text = string(parent, field, prefix);
            if (text == null) {
                return null;
            }
            try {
                return Double.valueOf(text);
            } catch (NumberFormatException e) {
                problem(parent.get(field), prefix + field + " '" + text + "' is not a number");
                return null;
            }
        }

        private List<StructureRule> structure(YamlNode spec, String prefix) {
            YamlNode node = map(spec, "structure", prefix, false);
            if (node == null) {
                return List.of();
            }
            unknownFields(node, STRUCTURE_FIELDS, "structure");
            YamlNode requires = list(node, "requires", prefix + "structure: ");
            List<StructureRule> rules = new ArrayList<>();
            if (requires == null) {
                return rules;
            }
            for (YamlNode item : requires.items()) {
                if (!item.isMap()) {
                    problem(item, prefix + "a required relation is a mapping with relation, kind and direction");
                    continue;
                }
                unknownFields(item, REQUIRES_FIELDS, "a required relation");
                String relation = string(item, "relation", prefix);
                if (relation == null || !RELATION_TYPES.contains(relation)) {
                    problem(relation == null ? item : item.get("relation"), prefix + "structure: unknown relation '"
                            + relation + "' (known: " + String.join(", ", RELATION_TYPES.stream().sorted().toList()) + ")");
                    continue;
                }
                String kind = string(item, "kind", prefix);
                if (kind != null && !KIND.matcher(kind).matches()) {
                    problem(item.get("kind"), prefix + "structure: '" + kind + "' is not a kind (provider:service:type)");
                }
                String direction = string(item, "direction", prefix);
                if (direction != null && !Set.of("out", "in").contains(direction)) {
                    problem(item.get("direction"), prefix + "structure: unknown direction '" + direction
                            + "' (known: out, in)");
                }
                rules.add(new StructureRule(relation, kind, "in".equals(direction)));
            }
            return rules;
        }

        private List<DataFlowRule> dataFlows(YamlNode spec, String prefix, Mode blueprintMode) {
            YamlNode node = list(spec, "dataFlows", prefix);
            List<DataFlowRule> rules = new ArrayList<>();
            if (node == null) {
                return rules;
            }
            Set<String> ids = new LinkedHashSet<>();
            int index = 0;
            for (YamlNode item : node.items()) {
                index++;
                if (!item.isMap()) {
                    problem(item, prefix + "a data-flow rule is a mapping with from, to, classifications and effect");
                    continue;
                }
                int before = problems.size();
                unknownFields(item, FLOW_FIELDS, "a data-flow rule");
                String id = item.get("id") == null ? "flow-" + index : name(item, "id", prefix + "data flow ");
                String where = prefix + "data flow '" + id + "': ";
                if (id != null && !ids.add(id)) {
                    problem(item.get("id"), where + "id is used twice in this blueprint");
                }
                YamlNode from = map(item, "from", where, false);
                YamlNode to = map(item, "to", where, false);
                Set<String> classifications = new LinkedHashSet<>(strings(item, "classification", where));
                classifications.addAll(strings(item, "classifications", where));
                Effect effect = effect(item, "effect", null, Set.of(Effect.DENY, Effect.REQUIRE_APPROVAL, Effect.ALLOW),
                        where);
                if (item.get("effect") == null) {
                    problem(item, where + "effect is missing (allow, deny or require-approval)");
                }
                String severity = severity(item, effect, where);
                String message = string(item, "message", where);
                Mode mode = mode(item, blueprintMode, where);
                if (problems.size() != before || id == null || effect == null) {
                    continue;
                }
                rules.add(new DataFlowRule(id, zones(from, "trustZone", where), zones(from, "notTrustZone", where),
                        zones(to, "trustZone", where), zones(to, "notTrustZone", where), Set.copyOf(classifications),
                        bool(item, "requirePurpose", where), effect, severity,
                        message == null ? "" : message, mode));
            }
            return rules;
        }

        private Set<String> zones(YamlNode side, String field, String prefix) {
            if (side == null) {
                return Set.of();
            }
            unknownFields(side, ZONE_FIELDS, "a data-flow side");
            Set<String> zones = new LinkedHashSet<>();
            String one = string(side, field, prefix);
            if (one != null) {
                zones.add(one);
            }
            zones.addAll(strings(side, field + "s", prefix));
            return Set.copyOf(zones);
        }

        private Selector selector(YamlNode parent, String prefix) {
            YamlNode node = map(parent, "selector", prefix, false);
            if (node == null) {
                return Selector.ALL;
            }
            unknownFields(node, SELECTOR_FIELDS, "a selector");
            Map<String, String> labels = new java.util.LinkedHashMap<>();
            YamlNode labelsNode = map(node, "labels", prefix, false);
            if (labelsNode != null) {
                labelsNode.fields().forEach((key, value) -> {
                    if (value.isScalar()) {
                        labels.put(key, value.text());
                    } else {
                        problem(value, prefix + "label '" + key + "' must be text, not " + value.describe());
                    }
                });
            }
            Set<String> kinds = new LinkedHashSet<>(strings(node, "kinds", prefix));
            for (String kind : kinds) {
                if (!kind.endsWith("*") && !KIND.matcher(kind).matches()) {
                    problem(node.get("kinds"), prefix + "selector names '" + kind
                            + "', which is not a kind (provider:service:type)");
                }
            }
            dev.cel.runtime.Program match = null;
            String matchText = null;
            Inputs matchReads = Inputs.NONE;
            YamlNode matchNode = node.get("match");
            if (matchNode != null) {
                CelEnvironment.Compiled compiled = expression(matchNode, prefix + "selector.match: ",
                        environment::compileMatch);
                match = compiled == null ? null : compiled.program();
                matchReads = compiled == null ? Inputs.NONE : InputPaths.of(compiled.ast());
                matchText = matchNode.text();
            }
            return new Selector(Set.copyOf(strings(node, "ids", prefix)), Set.copyOf(kinds),
                    Set.copyOf(strings(node, "providers", prefix)), Set.copyOf(strings(node, "environments", prefix)),
                    Set.copyOf(strings(node, "trustZones", prefix)), Set.copyOf(strings(node, "accounts", prefix)),
                    Set.copyOf(strings(node, "subscriptions", prefix)), Map.copyOf(labels), match, matchText, matchReads);
        }

        /** The metadata and spec of a waiver, freeze window or ownership document; {@code null} when missing. */
        private YamlNode[] header(YamlNode document) {
            unknownFields(document, TOP_FIELDS, "a document");
            YamlNode metadata = map(document, "metadata", "", true);
            YamlNode spec = map(document, "spec", "", true);
            if (metadata == null || spec == null) {
                return null;
            }
            unknownFields(metadata, METADATA_FIELDS, "metadata");
            return new YamlNode[] {metadata, spec};
        }

        private String owner(YamlNode metadata, String prefix) {
            if (metadata.get("owner") == null) {
                problem(metadata, prefix + "metadata.owner is missing: every document has an owning team");
                return null;
            }
            return name(metadata, "owner", prefix + "owner ");
        }

        private java.time.Instant instant(YamlNode parent, String field, String prefix) {
            String text = string(parent, field, prefix);
            if (text == null) {
                return null;
            }
            try {
                if (text.length() == 10) {
                    return java.time.LocalDate.parse(text).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
                }
                return java.time.OffsetDateTime.parse(text).toInstant();
            } catch (java.time.format.DateTimeParseException e) {
                problem(parent.get(field), prefix + field + " '" + text
                        + "' is not a date-time (such as 2026-12-31T23:59:59Z) or a date (2026-12-31)");
                return null;
            }
        }

        private void waiver(YamlNode document) {
            int before = problems.size();
            YamlNode[] parts = header(document);
            if (parts == null) {
                return;
            }
            YamlNode metadata = parts[0];
            YamlNode spec = parts[1];
            String name = name(metadata, "name", "waiver ");
            String prefix = name == null ? "" : "waiver '" + name + "': ";
            String version = version(metadata);
            String owner = owner(metadata, prefix);
            unknownFields(spec, WAIVER_FIELDS, "a waiver spec");
            Selector selector = selector(spec, prefix);
            List<String> rules = strings(spec, "constraints", prefix);
            if (rules.isEmpty()) {
                problem(spec.get("constraints") == null ? spec : spec.get("constraints"), prefix
                        + "constraints is empty: name the rules waived as <blueprint>#<constraint>");
            }
            for (String rule : rules) {
                if (!RULE_REF.matcher(rule).matches()) {
                    problem(spec.get("constraints"), prefix + "'" + rule
                            + "' is not a rule reference (<blueprint>#<constraint>, <blueprint>#* or freeze:<name>)");
                }
            }
            if (selector == Selector.ALL) {
                problem(spec, prefix + "selector is missing: a waiver names the elements it covers");
            }
            String approvedBy = string(spec, "approvedBy", prefix);
            if (approvedBy == null || approvedBy.isBlank()) {
                problem(spec, prefix + "approvedBy is missing: a waiver is approved by someone");
            }
            String reason = string(spec, "reason", prefix);
            if (reason == null || reason.isBlank()) {
                problem(spec, prefix + "reason is missing: say why the exception is needed");
            }
            java.time.Instant expiresAt = instant(spec, "expiresAt", prefix);
            if (spec.get("expiresAt") == null) {
                problem(spec, prefix + "expiresAt is missing: every waiver expires");
            }
            if (problems.size() != before || name == null || version == null || owner == null || expiresAt == null) {
                return;
            }
            YamlNode at = metadata.get("name");
            others.add(new WaiverDeclaration(name, version, Semver.parse(version), owner, selector,
                    Set.copyOf(rules), approvedBy, reason, expiresAt, hash(document), origin, fileName, at.line(),
                    at.column()));
        }

        private void freeze(YamlNode document) {
            int before = problems.size();
            YamlNode[] parts = header(document);
            if (parts == null) {
                return;
            }
            YamlNode metadata = parts[0];
            YamlNode spec = parts[1];
            String name = name(metadata, "name", "freeze window ");
            String prefix = name == null ? "" : "freeze window '" + name + "': ";
            String version = version(metadata);
            String owner = owner(metadata, prefix);
            unknownFields(spec, FREEZE_FIELDS, "a freeze window spec");
            Selector selector = selector(spec, prefix);
            Set<String> actions = new LinkedHashSet<>();
            List<String> named = strings(spec, "actions", prefix);
            if (named.isEmpty()) {
                actions.addAll(ACTION_CLASSES.get("changes"));
            }
            for (String action : named) {
                if (ACTION_CLASSES.containsKey(action)) {
                    actions.addAll(ACTION_CLASSES.get(action));
                } else if ("*".equals(action)) {
                    actions.addAll(ACTION_CLASSES.get("all"));
                } else {
                    try {
                        actions.add(Action.parse(action).wireName());
                    } catch (IllegalArgumentException e) {
                        problem(spec.get("actions"), prefix + e.getMessage() + " or an action class ("
                                + String.join(", ", ACTION_CLASSES.keySet().stream().sorted().toList()) + ")");
                    }
                }
            }
            Effect effect = effect(spec, "effect", Effect.DENY, Set.of(Effect.DENY, Effect.REQUIRE_APPROVAL), prefix);
            String severity = severity(spec, effect, prefix);
            List<TimeWindow> windows = new ArrayList<>();
            YamlNode windowsNode = list(spec, "windows", prefix);
            if (windowsNode == null || windowsNode.items().isEmpty()) {
                problem(windowsNode == null ? spec : windowsNode, prefix + "windows is empty: say when changes freeze");
            } else {
                for (YamlNode window : windowsNode.items()) {
                    TimeWindow parsed = window(window, prefix);
                    if (parsed != null) {
                        windows.add(parsed);
                    }
                }
            }
            String message = string(spec, "message", prefix);
            if (problems.size() != before || name == null || version == null || owner == null) {
                return;
            }
            YamlNode at = metadata.get("name");
            others.add(new FreezeDeclaration(name, version, Semver.parse(version), owner, selector, Set.copyOf(actions),
                    effect, severity, List.copyOf(windows), message == null ? "" : message, hash(document), origin,
                    fileName, at.line(), at.column()));
        }

        private TimeWindow window(YamlNode node, String prefix) {
            if (!node.isMap()) {
                problem(node, prefix + "a window is a mapping with from and to, or weekly");
                return null;
            }
            unknownFields(node, WINDOW_FIELDS, "a window");
            YamlNode weekly = map(node, "weekly", prefix, false);
            if (weekly != null) {
                if (node.get("from") != null || node.get("to") != null) {
                    problem(node, prefix + "a window is either from/to or weekly, not both");
                    return null;
                }
                unknownFields(weekly, WEEKLY_FIELDS, "a weekly window");
                Set<java.time.DayOfWeek> days = new LinkedHashSet<>();
                for (String day : strings(weekly, "days", prefix)) {
                    java.time.DayOfWeek parsed = day(day);
                    if (parsed == null) {
                        problem(weekly.get("days"), prefix + "unknown day '" + day + "' (mon, tue, wed, thu, fri, sat, sun)");
                    } else {
                        days.add(parsed);
                    }
                }
                if (days.isEmpty() && weekly.get("days") == null) {
                    days.addAll(List.of(java.time.DayOfWeek.values()));
                }
                java.time.LocalTime from = time(weekly, "from", prefix);
                java.time.LocalTime to = time(weekly, "to", prefix);
                String zoneText = string(weekly, "timeZone", prefix);
                java.time.ZoneId zone = java.time.ZoneOffset.UTC;
                if (zoneText != null) {
                    try {
                        zone = java.time.ZoneId.of(zoneText);
                    } catch (java.time.DateTimeException e) {
                        problem(weekly.get("timeZone"), prefix + "unknown time zone '" + zoneText
                                + "' (an IANA name such as Europe/Berlin)");
                        return null;
                    }
                }
                if (from == null || to == null || days.isEmpty()) {
                    if (from == null || to == null) {
                        problem(weekly, prefix + "a weekly window needs from and to (HH:mm)");
                    }
                    return null;
                }
                if (from.equals(to)) {
                    problem(weekly, prefix + "a weekly window from " + from + " to " + to + " is empty");
                    return null;
                }
                return new TimeWindow.Weekly(Set.copyOf(days), from, to, zone);
            }
            java.time.Instant from = instant(node, "from", prefix);
            java.time.Instant to = instant(node, "to", prefix);
            if (from == null || to == null) {
                if (node.get("from") == null || node.get("to") == null) {
                    problem(node, prefix + "a window needs from and to (date-times), or weekly");
                }
                return null;
            }
            if (!from.isBefore(to)) {
                problem(node.get("to"), prefix + "window ends (" + to + ") before it starts (" + from + ")");
                return null;
            }
            return new TimeWindow.Absolute(from, to);
        }

        private java.time.LocalTime time(YamlNode parent, String field, String prefix) {
            String text = string(parent, field, prefix);
            if (text == null) {
                return null;
            }
            try {
                return java.time.LocalTime.parse(text.length() == 4 ? "0" + text : text);
            } catch (java.time.format.DateTimeParseException e) {
                problem(parent.get(field), prefix + field + " '" + text + "' is not a time of day (HH:mm)");
                return null;
            }
        }

        private static java.time.DayOfWeek day(String text) {
            String lower = text.toLowerCase(Locale.ROOT);
            for (java.time.DayOfWeek day : java.time.DayOfWeek.values()) {
                String name = day.name().toLowerCase(Locale.ROOT);
                if (name.equals(lower) || name.substring(0, 3).equals(lower)) {
                    return day;
                }
            }
            return null;
        }

        private void ownership(YamlNode document) {
            int before = problems.size();
            YamlNode[] parts = header(document);
            if (parts == null) {
                return;
            }
            YamlNode metadata = parts[0];
            YamlNode spec = parts[1];
            String name = name(metadata, "name", "ownership ");
            String prefix = name == null ? "" : "ownership '" + name + "': ";
            String version = version(metadata);
            String owner = owner(metadata, prefix);
            unknownFields(spec, OWNERSHIP_FIELDS, "an ownership spec");
            List<OwnershipDeclaration.Rule> rules = new ArrayList<>();
            YamlNode rulesNode = list(spec, "rules", prefix);
            Set<String> ids = new LinkedHashSet<>();
            if (rulesNode == null || rulesNode.items().isEmpty()) {
                problem(rulesNode == null ? spec : rulesNode, prefix + "rules is empty");
            } else {
                for (YamlNode rule : rulesNode.items()) {
                    if (!rule.isMap()) {
                        problem(rule, prefix + "a rule is a mapping with id, selector, accountable, responsible, consulted");
                        continue;
                    }
                    unknownFields(rule, OWNERSHIP_RULE_FIELDS, "an ownership rule");
                    String id = name(rule, "id", prefix + "rule ");
                    if (id != null && !ids.add(id)) {
                        problem(rule.get("id"), prefix + "rule id '" + id + "' is used twice");
                    }
                    String where = prefix + "rule '" + id + "': ";
                    Selector selector = selector(rule, where);
                    if (selector == Selector.ALL) {
                        problem(rule, where + "selector is missing: ownership is declared for selected elements, never for all");
                    }
                    String accountable = rule.get("accountable") == null ? null : name(rule, "accountable", where);
                    if (rule.get("accountable") == null) {
                        problem(rule, where + "accountable is missing: exactly one team is accountable");
                    }
                    List<String> responsible = strings(rule, "responsible", where);
                    List<String> consulted = strings(rule, "consulted", where);
                    if (id != null && accountable != null) {
                        rules.add(new OwnershipDeclaration.Rule(id, selector, accountable, responsible, consulted,
                                rule.line(), rule.column()));
                    }
                }
            }
            if (problems.size() != before || name == null || version == null || owner == null) {
                return;
            }
            YamlNode at = metadata.get("name");
            others.add(new OwnershipDeclaration(name, version, Semver.parse(version), owner, List.copyOf(rules),
                    hash(document), origin, fileName, at.line(), at.column()));
        }


        private MessageTemplate template(YamlNode node, String text, String prefix) {
            List<Object> parts;
            try {
                parts = MessageTemplate.split(text);
            } catch (IllegalArgumentException e) {
                problem(node, prefix + "message has a '${' without its closing '}'");
                return null;
            }
            List<Object> compiled = new ArrayList<>();
            boolean ok = true;
            for (Object part : parts) {
                if (part instanceof MessageTemplate.Placeholder placeholder) {
                    CelEnvironment.Compiled result = environment.compileTemplate(placeholder.expression());
                    if (result.ok()) {
                        compiled.add(CompiledExpression.value(result));
                    } else {
                        ok = false;
                        CelEnvironment.CelProblem first = result.problems().get(0);
                        // the expression starts two characters after the placeholder's offset
                        int[] at = source.locate(node, 1, placeholder.offset() + 2 + first.column());
                        problems.add(new Problem(fileName, at[0], at[1], prefix + "message placeholder '${"
                                + placeholder.expression() + "}': " + first.message()));
                    }
                } else {
                    compiled.add(part);
                }
            }
            return ok ? new MessageTemplate(compiled) : null;
        }

        private CelEnvironment.Compiled expression(YamlNode node, String prefix,
                java.util.function.Function<String, CelEnvironment.Compiled> compiler) {
            if (!node.isScalar() || node.isBoolean()) {
                problem(node, prefix + "a condition is a CEL expression in a string, not " + node.describe());
                return null;
            }
            if (node.text().isBlank()) {
                problem(node, prefix + "the condition is empty");
                return null;
            }
            CelEnvironment.Compiled compiled = compiler.apply(node.text());
            for (CelEnvironment.CelProblem celProblem : compiled.problems()) {
                int[] at = source.locate(node, celProblem.line(), celProblem.column());
                problems.add(new Problem(fileName, at[0], at[1], prefix + celProblem.message()));
            }
            return compiled.ok() ? compiled : null;
        }

        private Fallback fallback(YamlNode spec, String prefix) {
            String text = string(spec, "fallback", prefix);
            if (text == null) {
                return Fallback.OWNER_APPROVAL;
            }
            return switch (text.toLowerCase(Locale.ROOT).replace('_', '-')) {
                case "owner-approval" -> Fallback.OWNER_APPROVAL;
                case "deny" -> Fallback.DENY;
                default -> {
                    problem(spec.get("fallback"), prefix + "unknown fallback '" + text
                            + "' (known: owner-approval, deny)");
                    yield Fallback.OWNER_APPROVAL;
                }
            };
        }

        private String version(YamlNode metadata) {
            String version = string(metadata, "version", "");
            if (version == null) {
                problem(metadata, "metadata.version is missing (a semantic version such as 1.0.0)");
                return null;
            }
            if (Semver.parse(version) == null) {
                problem(metadata.get("version"), "version '" + version
                        + "' is not a semantic version (major.minor.patch, such as 1.0.0)");
                return null;
            }
            return version;
        }

        private String name(YamlNode map, String field, String what) {
            YamlNode node = map.get(field);
            String value = string(map, field, "");
            if (node == null) {
                problem(map, what.trim() + (what.isBlank() ? "" : " ") + field + " is missing");
                return null;
            }
            if (value == null) {
                return null;
            }
            if (!NAME.matcher(value).matches()) {
                problem(node, what + field + " '" + value
                        + "' is not a valid name (lowercase letters, digits and '-', at most 63)");
                return null;
            }
            return value;
        }

        private void unknownFields(YamlNode map, Set<String> known, String what) {
            for (String field : map.fields().keySet()) {
                if (!known.contains(field)) {
                    problem(map.fields().get(field), "unknown field '" + field + "' in " + what + " (known: "
                            + String.join(", ", known.stream().sorted().toList()) + ")");
                }
            }
        }

        private YamlNode map(YamlNode parent, String field, String prefix, boolean required) {
            YamlNode node = parent.get(field);
            if (node == null || node.isNull()) {
                if (required) {
                    problem(parent, prefix + field + " is missing");
                }
                return null;
            }
            if (!node.isMap()) {
                problem(node, prefix + field + " must be a mapping, not " + node.describe());
                return null;
            }
            return node;
        }

        private YamlNode list(YamlNode parent, String field, String prefix) {
            YamlNode node = parent.get(field);
            if (node == null || node.isNull()) {
                return null;
            }
            if (!node.isList()) {
                problem(node, prefix + field + " must be a list, not " + node.describe());
                return null;
            }
            return node;
        }

        private String string(YamlNode parent, String field, String prefix) {
            YamlNode node = parent.get(field);
            if (node == null || node.isNull()) {
                return null;
            }
            if (!node.isScalar()) {
                problem(node, prefix + field + " must be text, not " + node.describe());
                return null;
            }
            return node.text();
        }

        private List<String> strings(YamlNode parent, String field, String prefix) {
            YamlNode node = list(parent, field, prefix);
            if (node == null) {
                return List.of();
            }
            List<String> values = new ArrayList<>();
            for (YamlNode item : node.items()) {
                if (item.isScalar()) {
                    values.add(item.text());
                } else {
                    problem(item, prefix + field + " holds text only, not " + item.describe());
                }
            }
            return values;
        }

        private boolean bool(YamlNode parent, String field, String prefix) {
            YamlNode node = parent.get(field);
            if (node == null || node.isNull()) {
                return false;
            }
            if (!node.isBoolean()) {
                problem(node, prefix + field + " must be true or false, not " + node.describe());
                return false;
            }
            return Boolean.parseBoolean(node.text());
        }
    }

    /** {@code sha256:<hex>} of the document's canonical JSON (sorted keys), independent of layout and comments. */
    String hash(YamlNode document) {
        try {
            StringBuilder json = new StringBuilder(1024);
            document.writeCanonical(json);
            byte[] canonical = json.toString().getBytes(StandardCharsets.UTF_8);
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash an intent document", e);
        }
    }
}
