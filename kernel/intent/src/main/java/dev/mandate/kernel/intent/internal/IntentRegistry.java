package dev.mandate.kernel.intent.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cel.runtime.CelFunctionResolver;
import dev.mandate.api.intent.BlueprintInfo;
import dev.mandate.api.intent.ConstraintFunction;
import dev.mandate.api.intent.Evaluation;
import dev.mandate.api.intent.EvaluationContext;
import dev.mandate.api.intent.Fallback;
import dev.mandate.api.intent.RuleMatch;
import dev.mandate.api.intent.Team;
import dev.mandate.api.model.Element;
import dev.mandate.kernel.intent.Problem;

/**
 * The intent in force and the rules for changing it.
 *
 * <p>A source (a bundle or a file) is loaded all or nothing: when any of its documents fails, the
 * whole source is rejected and what was in force stays in force. A blueprint or team name belongs
 * to one source; the same name from another source is a conflict. A source that is loaded again
 * replaces its previous content; a changed blueprint must carry a higher version. Rejected sources
 * are kept and retried whenever something else changes (a team appears, a conflict goes away, a
 * constraint function is registered).
 *
 * <p>Changes are serialized ({@code synchronized}) and publish a new immutable {@link PolicySet}
 * with one volatile write; {@link #evaluate} and the read methods never lock.
 */
public final class IntentRegistry {

    static final String LOADED = "blueprint.loaded";
    static final String REPLACED = "blueprint.replaced";
    static final String REJECTED = "blueprint.rejected";
    static final String WITHDRAWN = "blueprint.withdrawn";

    private static final Logger LOG = LoggerFactory.getLogger(IntentRegistry.class);
    private static final Pattern EVALUATION_PREFIX = Pattern.compile("^evaluation error at <input>:\\d+: ");

    /** What became of a load. */
    public enum Outcome {
        LOADED, UNCHANGED, REJECTED
    }

    /** The outcome of a load with the problems that rejected it. */
    public record LoadResult(Outcome outcome, List<Problem> problems) {
    }

    private final DocumentCompiler compiler = new DocumentCompiler();
    private final EvidenceRecorder evidence;
    private final AtomicLong generation = new AtomicLong();
    private volatile PolicySet policy = PolicySet.EMPTY;
    private volatile CelEnvironment environment;

    // guarded by this
    private final Map<String, IntentSource> rejected = new LinkedHashMap<>();
    private final Map<String, List<Problem>> lastRejection = new HashMap<>();
    private final Set<String> settling = new HashSet<>();

    public IntentRegistry(EvidenceRecorder evidence) {
        this.evidence = Objects.requireNonNull(evidence, "evidence");
        this.environment = CelEnvironment.create(List.of(), LOG::warn);
    }

    PolicySet policy() {
        return policy;
    }

    /** The blueprints in force, sorted by name. */
    public List<BlueprintInfo> blueprints() {
        return policy.blueprints().values().stream().map(CompiledBlueprint::info).toList();
    }

    /** The teams in force, sorted by id. */
    public List<Team> teams() {
        return policy.teams().values().stream().map(TeamDeclaration::team).toList();
    }

    public long generation() {
        return generation.get();
    }

    /** The keys of the sources currently rejected and waiting for a retry. */
    public synchronized Set<String> rejectedSources() {
        return Set.copyOf(rejected.keySet());
    }

    /** Loads or reloads a source; on success, retries the rejected ones. May block for evidence. */
    public synchronized LoadResult load(IntentSource source) {
        LoadResult result = attempt(source, true);
        if (result.outcome() == Outcome.LOADED) {
            retryRejected();
        }
        return result;
    }

    /**
     * Loads a source that may still be settling: a bundle whose blueprints call constraint
     * functions registered by its own components a moment after it starts. While it settles, a
     * rejection is kept for retry but not recorded as evidence; {@link #settled} records it if it
     * still fails then.
     */
    public synchronized LoadResult loadSettling(IntentSource source) {
        settling.add(source.key());
        return load(source);
    }

    /** Ends the settling time of a source: if it is still rejected, the rejection is recorded now. */
    public synchronized void settled(String key) {
        if (settling.remove(key)) {
            IntentSource source = rejected.get(key);
            if (source != null) {
                attempt(source, true);
            }
        }
    }

    /**
     * Loads several sources that arrived together (the files of a folder scan) in whatever order
     * lets them load: a blueprint whose owner team sits in another of the files is not rejected
     * because that file came later. Only what still fails at the end is rejected (and recorded).
     */
    public synchronized Map<String, LoadResult> loadAll(List<IntentSource> sources) {
        Map<String, LoadResult> results = new LinkedHashMap<>();
        for (IntentSource source : sources) {
            results.put(source.key(), attempt(source, false));
        }
        boolean progress = true;
        while (progress) {
            progress = false;
            for (IntentSource source : sources) {
                if (results.get(source.key()).outcome() == Outcome.REJECTED) {
                    LoadResult retry = attempt(source, false);
                    results.put(source.key(), retry);
                    progress |= retry.outcome() != Outcome.REJECTED;
                }
            }
        }
        for (IntentSource source : sources) {
            if (results.get(source.key()).outcome() == Outcome.REJECTED) {
                results.put(source.key(), attempt(source, true));
            }
        }
        retryRejected();
        return results;
    }

    /** Withdraws what a source put in force (and forgets it if it was rejected). */
    public synchronized boolean withdraw(String key) {
        settling.remove(key);
        rejected.remove(key);
        lastRejection.remove(key);
        PolicySet current = policy;
        PolicySet.Loaded previous = current.sources().get(key);
        if (previous == null) {
            return false;
        }
        PolicySet next = current.without(key);
        publish(next);
        for (CompiledBlueprint blueprint : previous.blueprints()) {
            LOG.info("blueprint '{}' withdrawn ({})", blueprint.info().ref(), blueprint.info().origin());
            evidence.record(WITHDRAWN, payload(blueprint, List.of()));
        }
        for (CompiledBlueprint blueprint : next.blueprints().values()) {
            if (!next.teams().containsKey(blueprint.info().owner())) {
                LOG.warn("blueprint '{}' stays in force but its owner '{}' was withdrawn with '{}'",
                        blueprint.info().ref(), blueprint.info().owner(), key);
            }
        }
        retryRejected();
        return true;
    }

    /** Makes these functions available to constraints; retries rejected sources that may need them. */
    public synchronized void useFunctions(Collection<ConstraintFunction> functions) {
        environment = CelEnvironment.create(List.copyOf(functions), LOG::warn);
        generation.incrementAndGet();
        retryRejected();
    }

    /** The problems loading this file would meet, without loading it. */
    public List<Problem> validate(String fileName, String text) {
        DocumentCompiler.FileResult file = compiler.compile(fileName, "file:" + fileName, text, environment);
        List<Problem> problems = new ArrayList<>(file.problems());
        PolicySet current = policy;
        Set<String> teams = new HashSet<>(current.teams().keySet());
        file.teams().forEach(team -> teams.add(team.team().id()));
        checkDuplicates(file.teams(), file.blueprints(), problems);
        for (CompiledBlueprint blueprint : file.blueprints()) {
            checkOwner(blueprint, teams, problems);
        }
        problems.sort(Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column));
        return problems;
    }

    private LoadResult attempt(IntentSource source, boolean recordRejection) {
        CelEnvironment cel = environment;
        PolicySet current = policy;
        List<Problem> problems = new ArrayList<>();
        List<TeamDeclaration> teams = new ArrayList<>();
        List<CompiledBlueprint> blueprints = new ArrayList<>();
        for (IntentSource.File file : source.files()) {
            DocumentCompiler.FileResult result = compiler.compile(file.name(), file.origin(), file.text(), cel);
            problems.addAll(result.problems());
            teams.addAll(result.teams());
            blueprints.addAll(result.blueprints());
        }
        checkDuplicates(teams, blueprints, problems);
        checkConflicts(source.key(), current, teams, blueprints, problems);
        PolicySet.Loaded previous = current.sources().get(source.key());
        checkUpgrades(previous, blueprints, problems);
        Set<String> knownTeams = new HashSet<>();
        current.teams().forEach((id, team) -> {
            if (!source.key().equals(current.sourceOfTeam(id))) {
                knownTeams.add(id);
            }
        });
        teams.forEach(team -> knownTeams.add(team.team().id()));
        for (CompiledBlueprint blueprint : blueprints) {
            checkOwner(blueprint, knownTeams, problems);
        }
        if (!problems.isEmpty()) {
            if (recordRejection && !settling.contains(source.key())) {
                reject(source, problems, blueprints);
            } else {
                rejected.put(source.key(), source);
            }
            return new LoadResult(Outcome.REJECTED, List.copyOf(problems));
        }
        rejected.remove(source.key());
        lastRejection.remove(source.key());
        settling.remove(source.key());
        PolicySet.Loaded loaded = new PolicySet.Loaded(source.key(), teams, blueprints);
        if (previous != null && sameContent(previous, loaded)) {
            return new LoadResult(Outcome.UNCHANGED, List.of());
        }
        publish(current.with(loaded));
        Map<String, CompiledBlueprint> before = new HashMap<>();
        if (previous != null) {
            previous.blueprints().forEach(blueprint -> before.put(blueprint.name(), blueprint));
        }
        for (CompiledBlueprint blueprint : blueprints) {
            CompiledBlueprint old = before.remove(blueprint.name());
            if (old == null) {
                LOG.info("blueprint '{}' loaded from {}", blueprint.info().ref(), blueprint.info().origin());
                evidence.record(LOADED, payload(blueprint, List.of()));
            } else if (!old.info().contentHash().equals(blueprint.info().contentHash())
                    || !old.info().origin().equals(blueprint.info().origin())) {
                LOG.info("blueprint '{}' replaced by version {} from {}", old.info().ref(), blueprint.info().version(),
                        blueprint.info().origin());
                Map<String, Object> payload = payload(blueprint, List.of());
                payload.put("previousVersion", old.info().version());
                payload.put("previousContentHash", old.info().contentHash());
                evidence.record(REPLACED, payload);
            }
        }
        for (CompiledBlueprint gone : before.values()) {
            LOG.info("blueprint '{}' withdrawn: no longer in {}", gone.info().ref(), source.key());
            evidence.record(WITHDRAWN, payload(gone, List.of()));
        }
        return new LoadResult(Outcome.LOADED, List.of());
    }

    private void reject(IntentSource source, List<Problem> problems, List<CompiledBlueprint> blueprints) {
        rejected.put(source.key(), source);
        List<Problem> previous = lastRejection.put(source.key(), List.copyOf(problems));
        if (problems.equals(previous)) {
            // a retry that fails for the same reasons is not news
            return;
        }
        for (Problem problem : problems) {
            LOG.warn("intent source '{}' rejected: {}", source.key(), problem);
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        if (blueprints.size() == 1) {
            payload.putAll(payload(blueprints.get(0), List.of()));
        }
        payload.put("origin", source.files().size() == 1 ? source.files().get(0).origin() : source.key());
        payload.put("source", source.key());
        payload.put("blueprints", blueprints.stream().map(blueprint -> blueprint.info().ref()).toList());
        payload.put("errors", problems.stream().map(Problem::toString).toList());
        evidence.record(REJECTED, payload);
    }

    private void retryRejected() {
        boolean progress = true;
        while (progress && !rejected.isEmpty()) {
            progress = false;
            for (IntentSource source : List.copyOf(rejected.values())) {
                if (attempt(source, true).outcome() != Outcome.REJECTED) {
                    progress = true;
                }
            }
        }
    }

    private void publish(PolicySet next) {
        policy = next;
        generation.incrementAndGet();
    }

    private static void checkDuplicates(List<TeamDeclaration> teams, List<CompiledBlueprint> blueprints,
            List<Problem> problems) {
        Map<String, CompiledBlueprint> seen = new HashMap<>();
        for (CompiledBlueprint blueprint : blueprints) {
            CompiledBlueprint first = seen.putIfAbsent(blueprint.name(), blueprint);
            if (first != null) {
                problems.add(new Problem(blueprint.file(), blueprint.line(), blueprint.column(), "blueprint '"
                        + blueprint.name() + "' is declared twice (first in " + first.file() + ":" + first.line() + ")"));
            }
        }
        Map<String, TeamDeclaration> seenTeams = new HashMap<>();
        for (TeamDeclaration team : teams) {
            TeamDeclaration first = seenTeams.putIfAbsent(team.team().id(), team);
            if (first != null) {
                problems.add(new Problem(team.file(), team.line(), team.column(), "team '" + team.team().id()
                        + "' is declared twice (first in " + first.file() + ":" + first.line() + ")"));
            }
        }
    }

    private static void checkConflicts(String key, PolicySet current, List<TeamDeclaration> teams,
            List<CompiledBlueprint> blueprints, List<Problem> problems) {
        for (CompiledBlueprint blueprint : blueprints) {
            String owner = current.sourceOfBlueprint(blueprint.name());
            if (owner != null && !owner.equals(key)) {
                problems.add(new Problem(blueprint.file(), blueprint.line(), blueprint.column(), "blueprint '"
                        + blueprint.name() + "' conflicts with the blueprint of that name already loaded from '"
                        + current.blueprints().get(blueprint.name()).info().origin() + "'"));
            }
        }
        for (TeamDeclaration team : teams) {
            String owner = current.sourceOfTeam(team.team().id());
            if (owner != null && !owner.equals(key)) {
                problems.add(new Problem(team.file(), team.line(), team.column(), "team '" + team.team().id()
                        + "' conflicts with the team of that name already loaded from '"
                        + current.teams().get(team.team().id()).origin() + "'"));
            }
        }
    }

    private static void checkUpgrades(PolicySet.Loaded previous, List<CompiledBlueprint> blueprints,
            List<Problem> problems) {
        if (previous == null) {
            return;
        }
        Map<String, CompiledBlueprint> before = previous.blueprints().stream()
                .collect(Collectors.toMap(CompiledBlueprint::name, blueprint -> blueprint));
        for (CompiledBlueprint blueprint : blueprints) {
            CompiledBlueprint old = before.get(blueprint.name());
            if (old != null && !old.info().contentHash().equals(blueprint.info().contentHash())
                    && blueprint.semver().compareTo(old.semver()) <= 0) {
                problems.add(new Problem(blueprint.file(), blueprint.line(), blueprint.column(), "blueprint '"
                        + blueprint.name() + "' changed but its version '" + blueprint.info().version()
                        + "' is not higher than '" + old.info().version() + "' in force"));
            }
        }
    }

    private static void checkOwner(CompiledBlueprint blueprint, Set<String> teams, List<Problem> problems) {
        if (!teams.contains(blueprint.info().owner())) {
            problems.add(new Problem(blueprint.file(), blueprint.ownerLine(), blueprint.ownerColumn(), "blueprint '"
                    + blueprint.name() + "': owner '" + blueprint.info().owner() + "' is not a known team"));
        }
    }

    private static boolean sameContent(PolicySet.Loaded previous, PolicySet.Loaded next) {
        return fingerprint(previous).equals(fingerprint(next));
    }

    private static Set<String> fingerprint(PolicySet.Loaded loaded) {
        Set<String> parts = new HashSet<>();
        loaded.blueprints().forEach(b -> parts.add("b " + b.info().contentHash() + " " + b.info().origin()));
        loaded.teams().forEach(t -> parts.add("t " + t.contentHash() + " " + t.origin()));
        return parts;
    }

    private static Map<String, Object> payload(CompiledBlueprint blueprint, List<String> errors) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("name", blueprint.info().name());
        payload.put("version", blueprint.info().version());
        payload.put("owner", blueprint.info().owner());
        payload.put("contentHash", blueprint.info().contentHash());
        payload.put("origin", blueprint.info().origin());
        payload.put("errors", errors);
        return payload;
    }

    /** Evaluates every constraint of every blueprint that applies to the context's target. Never blocks. */
    public Evaluation evaluate(EvaluationContext context) {
        Objects.requireNonNull(context, "context");
        Element target = context.target();
        if (target == null) {
            throw new IllegalArgumentException("evaluation context has no target element");
        }
        PolicySet current = policy;
        List<CompiledBlueprint> candidates = current.candidates(target.kind());
        if (candidates.isEmpty()) {
            return new Evaluation(List.of(), List.of(), Fallback.OWNER_APPROVAL, List.of());
        }
        CelFunctionResolver functions = environment.functions();
        Map<String, Object> variables = Activation.of(context);
        String action = context.request() == null || context.request().action() == null ? ""
                : context.request().action().wireName();
        String actorKind = context.request() == null || context.request().actor() == null
                || context.request().actor().kind() == null ? "" : context.request().actor().kind().name();
        String provider = target.provider() == null ? "" : target.provider();
        String environmentName = target.environment() == null ? "" : target.environment();
        List<RuleMatch> matches = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        List<String> applicable = new ArrayList<>();
        Fallback fallback = Fallback.OWNER_APPROVAL;
        for (CompiledBlueprint blueprint : candidates) {
            if (!blueprint.selects(provider, environmentName)) {
                continue;
            }
            if (blueprint.match() != null) {
                try {
                    if (!Boolean.TRUE.equals(blueprint.match().eval(variables, functions))) {
                        continue;
                    }
                } catch (Exception e) {
                    errors.add(blueprint.info().ref() + " appliesTo.match: " + evaluationMessage(e));
                    continue;
                }
            }
            applicable.add(blueprint.info().ref());
            if (blueprint.info().fallback() == Fallback.DENY) {
                fallback = Fallback.DENY;
            }
            for (CompiledConstraint constraint : blueprint.constraints()) {
                if (!constraint.guard().admits(action, actorKind)) {
                    continue;
                }
                try {
                    Object result = constraint.when().eval(variables, functions);
                    if (Boolean.TRUE.equals(result)) {
                        matches.add(new RuleMatch(constraint.source(), constraint.effect(),
                                constraint.message().render(variables, functions), constraint.obligations(),
                                constraint.severity()));
                    } else if (!Boolean.FALSE.equals(result)) {
                        errors.add(constraint.source() + ": condition gave " + CelValues.format(result)
                                + " instead of true or false");
                    }
                } catch (Exception e) {
                    errors.add(constraint.source() + ": " + evaluationMessage(e));
                }
            }
        }
        return new Evaluation(matches, errors, fallback, applicable);
    }

    private static String evaluationMessage(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        message = EVALUATION_PREFIX.matcher(message).replaceFirst("");
        if (message.endsWith(".")) {
            message = message.substring(0, message.length() - 1);
        }
        return message.isEmpty() ? message : Character.toLowerCase(message.charAt(0)) + message.substring(1);
    }
}
