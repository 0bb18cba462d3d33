package dev.mandate.kernel.intent.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mandate.api.decision.Action;
import dev.mandate.api.intent.BlueprintInfo;
import dev.mandate.api.intent.DecisionRight;
import dev.mandate.api.intent.Effect;
import dev.mandate.api.intent.Fallback;
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
    /** Kinds of the same format that later versions handle; read and set aside for now. */
    static final Set<String> DEFERRED_KINDS = Set.of("Ownership", "Waiver", "FreezeWindow");
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
            "variations", "dataFlows");
    /** Parts of the blueprint format this version reads but does not enforce yet. */
    private static final Set<String> UNENFORCED_FIELDS = Set.of("structure", "variations", "dataFlows");
    private static final Set<String> APPLIES_FIELDS = Set.of("kinds", "providers", "environments", "match");
    private static final Set<String> CONSTRAINT_FIELDS = Set.of("id", "description", "when", "effect", "severity",
            "message", "obligations");

    private final YamlReader reader = new YamlReader();
    private final ObjectMapper json = new ObjectMapper();

    /** What one file declares, or what is wrong with it. */
    record FileResult(List<TeamDeclaration> teams, List<CompiledBlueprint> blueprints, List<Problem> problems) {
        boolean ok() {
            return problems.isEmpty();
        }
    }

    FileResult compile(String fileName, String origin, String text, CelEnvironment environment) {
        YamlReader.Result read = reader.read(fileName, text);
        if (!read.problems().isEmpty()) {
            return new FileResult(List.of(), List.of(), read.problems());
        }
        FileContext file = new FileContext(fileName, origin, new SourceText(text), environment);
        for (YamlNode document : read.documents()) {
            file.document(document);
        }
        return new FileResult(file.teams, file.blueprints, file.problems);
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
                default -> {
                    if (DEFERRED_KINDS.contains(kind)) {
                        LOG.info("{}:{}: document of kind '{}' is not handled by this version; it is ignored",
                                fileName, document.line(), kind);
                    } else {
                        problem(document.get("kind"), "unknown kind '" + kind
                                + "' (known: Team, Blueprint, Ownership, Waiver, FreezeWindow)");
                    }
                }
            }
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
            for (String field : UNENFORCED_FIELDS) {
                if (spec.get(field) != null) {
                    LOG.warn("{}:{}:{}: {}spec.{} is read but not enforced by this version", fileName,
                            spec.get(field).line(), spec.get(field).column(), prefix, field);
                }
            }
            Fallback fallback = fallback(spec, prefix);
            Set<String> kinds = Set.of();
            Set<String> providers = Set.of();
            Set<String> environments = Set.of();
            dev.cel.runtime.Program match = null;
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
                }
            }
            List<CompiledConstraint> constraints = new ArrayList<>();
            YamlNode constraintsNode = list(spec, "constraints", prefix);
            Set<String> ids = new LinkedHashSet<>();
            if (constraintsNode == null || constraintsNode.items().isEmpty()) {
                problem(constraintsNode == null ? spec : constraintsNode, prefix + "spec.constraints is empty");
            } else {
                for (YamlNode constraint : constraintsNode.items()) {
                    CompiledConstraint compiled = constraint(constraint, name, version, ids);
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
            blueprints.add(new CompiledBlueprint(info, Semver.parse(version), fileName, nameNode.line(),
                    nameNode.column(), ownerNode.line(),
                    ownerNode.column(), Set.copyOf(kinds), Set.copyOf(providers), Set.copyOf(environments), match,
                    List.copyOf(constraints)));
        }

        private CompiledConstraint constraint(YamlNode node, String blueprint, String version, Set<String> ids) {
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
            if (problems.size() != before || id == null || effect == null || when == null || message == null) {
                return null;
            }
            return new CompiledConstraint(id, blueprint + "@" + version + "#" + id, effect, severity, when,
                    Guard.of(compiledWhen.ast()), message, obligations);
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
                        compiled.add(result.program());
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
            byte[] canonical = json.writeValueAsString(document.canonical()).getBytes(StandardCharsets.UTF_8);
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash an intent document", e);
        }
    }
}
