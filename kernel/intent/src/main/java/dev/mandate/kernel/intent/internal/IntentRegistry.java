package dev.mandate.kernel.intent.internal;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
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
import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.intent.BlueprintInfo;
import dev.mandate.api.intent.Effect;
import dev.mandate.api.intent.ElementOwnership;
import dev.mandate.api.intent.Notice;
import dev.mandate.api.intent.ShadowReport;
import dev.mandate.api.intent.ConstraintFunction;
import dev.mandate.api.intent.Evaluation;
import dev.mandate.api.intent.IntendedState;
import dev.mandate.api.intent.EvaluationContext;
import dev.mandate.api.intent.IntentService;
import dev.mandate.api.intent.Fallback;
import dev.mandate.api.intent.Inputs;
import dev.mandate.api.intent.RuleMatch;
import dev.mandate.api.intent.Team;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.ElementIds;
import dev.mandate.api.model.ModelSnapshot;
import dev.mandate.api.model.Relation;
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
public final class IntentRegistry implements IntentService, dev.mandate.kernel.intent.BlueprintCatalog,
        dev.mandate.kernel.intent.BlueprintValidator {

    static final String LOADED = "blueprint.loaded";
    static final String REPLACED = "blueprint.replaced";
    static final String REJECTED = "blueprint.rejected";
    static final String WITHDRAWN = "blueprint.withdrawn";
    static final String PROMOTED = "blueprint.promoted";
    static final String DOCUMENT_LOADED = "intent.loaded";
    static final String DOCUMENT_REPLACED = "intent.replaced";
    static final String DOCUMENT_WITHDRAWN = "intent.withdrawn";

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
    private volatile Supplier<ModelSnapshot> model;
    // each thread's last evaluation, which a what-if may vary: remedies probe on the thread that decided
    private final ThreadLocal<Evaluated> lastEvaluated = new ThreadLocal<>();

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

    /** The blueprint in force with this name. */
    @Override
    public Optional<BlueprintInfo> blueprint(String name) {
        CompiledBlueprint blueprint = name == null ? null : policy.blueprints().get(name);
        return blueprint == null ? Optional.empty() : Optional.of(blueprint.info());
    }

    /** The teams in force, sorted by id. */
    public List<Team> teams() {
        return policy.teams().values().stream().map(TeamDeclaration::team).toList();
    }

    public long generation() {
        return generation.get();
    }

    /** The team in force with this id; a lookup, for callers outside OSGi that adapt this to an IntentService. */
    public Optional<Team> team(String id) {
        TeamDeclaration team = id == null ? null : policy.teams().get(id);
        return team == null ? Optional.empty() : Optional.of(team.team());
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
        for (Declared other : previous.others()) {
            evidence.record(DOCUMENT_WITHDRAWN, payload(other));
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
    @Override
    public List<Problem> validate(String fileName, String text) {
        DocumentCompiler.FileResult file = compiler.compile(fileName, "file:" + fileName, text, environment);
        List<Problem> problems = new ArrayList<>(file.problems());
        PolicySet current = policy;
        Set<String> teams = new HashSet<>(current.teams().keySet());
        file.teams().forEach(team -> teams.add(team.team().id()));
        checkDuplicates(file.teams(), file.blueprints(), problems);
        checkOthers("file:" + fileName, PolicySet.EMPTY, file.others(), problems);
        for (CompiledBlueprint blueprint : file.blueprints()) {
            checkOwner(blueprint, teams, problems);
        }
        for (Declared other : file.others()) {
            checkTeams(other, teams, problems);
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
        List<Declared> others = new ArrayList<>();
        List<DocumentCompiler.Outline> outlines = new ArrayList<>();
        for (DocumentCompiler.FileResult result : compileAll(source.files(), cel)) {
            problems.addAll(result.problems());
            teams.addAll(result.teams());
            blueprints.addAll(result.blueprints());
            others.addAll(result.others());
            outlines.addAll(result.outlines());
        }
        checkDuplicates(teams, blueprints, problems);
        checkOthers(source.key(), current, others, problems);
        checkConflicts(source.key(), current, teams, blueprints, problems);
        PolicySet.Loaded previous = current.sources().get(source.key());
        checkUpgrades(previous, blueprints, problems);
        checkShadows(source.key(), current, blueprints, problems);
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
        for (Declared other : others) {
            checkTeams(other, knownTeams, problems);
        }
        if (!problems.isEmpty()) {
            if (recordRejection && !settling.contains(source.key())) {
                reject(source, problems, blueprints, outlines);
            } else {
                rejected.put(source.key(), source);
            }
            return new LoadResult(Outcome.REJECTED, List.copyOf(problems));
        }
        rejected.remove(source.key());
        lastRejection.remove(source.key());
        settling.remove(source.key());
        PolicySet.Loaded loaded = new PolicySet.Loaded(source.key(), teams, blueprints, others);
        if (previous != null && sameContent(previous, loaded)) {
            return new LoadResult(Outcome.UNCHANGED, List.of());
        }
        publish(current.with(loaded));
        Map<String, CompiledBlueprint> before = new HashMap<>();
        if (previous != null) {
            previous.blueprints().forEach(blueprint -> before.put(slot(blueprint), blueprint));
        }
        for (CompiledBlueprint blueprint : blueprints) {
            CompiledBlueprint old = before.remove(slot(blueprint));
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
        Map<String, Declared> othersBefore = new HashMap<>();
        if (previous != null) {
            previous.others().forEach(other -> othersBefore.put(PolicySet.key(other), other));
        }
        for (Declared other : others) {
            Declared old = othersBefore.remove(PolicySet.key(other));
            if (old == null) {
                LOG.info("{} '{}' loaded from {}", other.kind(), other.ref(), other.origin());
                evidence.record(DOCUMENT_LOADED, payload(other));
            } else if (!old.contentHash().equals(other.contentHash())) {
                LOG.info("{} '{}' replaced by version {}", other.kind(), old.ref(), other.version());
                Map<String, Object> payload = payload(other);
                payload.put("previousVersion", old.version());
                payload.put("previousContentHash", old.contentHash());
                evidence.record(DOCUMENT_REPLACED, payload);
            }
        }
        for (Declared gone : othersBefore.values()) {
            evidence.record(DOCUMENT_WITHDRAWN, payload(gone));
        }
        return new LoadResult(Outcome.LOADED, List.of());
    }

    /** A source with at least this many files is compiled on several cores (a large pack, typically at start-up). */
    static final int PARALLEL_FILES = 16;
    /** At most this many threads compile one source. */
    static final int COMPILE_THREADS = 4;

    /**
     * The files compiled, in their order. Files are independent of each other (the compiler and the
     * CEL environment are thread-safe), so a large source is split over a pool of up to
     * {@value #COMPILE_THREADS} threads (no more than there are cores) that lives as long as the
     * compilation: loads are rare, and a pool kept between them would need a lifecycle of its own.
     */
    private List<DocumentCompiler.FileResult> compileAll(List<IntentSource.File> files, CelEnvironment cel) {
        int threads = Math.min(COMPILE_THREADS, Runtime.getRuntime().availableProcessors());
        if (files.size() < PARALLEL_FILES || threads < 2) {
            return compiler.compileAll(files, cel);
        }
        java.util.concurrent.atomic.AtomicInteger created = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "mandate-intent-compile-" + created.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try {
            // small chunks, so that a thread that got the large files does not hold the others up
            int chunk = Math.max(1, files.size() / (threads * 8));
            List<java.util.concurrent.Callable<List<DocumentCompiler.FileResult>>> tasks = new ArrayList<>();
            for (int from = 0; from < files.size(); from += chunk) {
                List<IntentSource.File> part = files.subList(from, Math.min(files.size(), from + chunk));
                tasks.add(() -> compiler.compileAll(part, cel));
            }
            List<DocumentCompiler.FileResult> results = new ArrayList<>(files.size());
            for (java.util.concurrent.Future<List<DocumentCompiler.FileResult>> part : pool.invokeAll(tasks)) {
                results.addAll(part.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("loading was interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static void putIfPresent(Map<String, Object> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    private void reject(IntentSource source, List<Problem> problems, List<CompiledBlueprint> blueprints,
            List<DocumentCompiler.Outline> outlines) {
        rejected.put(source.key(), source);
        List<Problem> previous = lastRejection.put(source.key(), List.copyOf(problems));
        if (problems.equals(previous)) {
            // a retry that fails for the same reasons is not news
            return;
        }
        for (Problem problem : problems) {
            LOG.warn("intent source '{}' rejected: {}", source.key(), problem);
        }
        // each problem with the document it lies in, named as far as the document got
        List<Map<String, Object>> located = new ArrayList<>();
        Set<List<String>> rejectedBlueprints = new LinkedHashSet<>();
        for (Problem problem : problems) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("file", problem.file());
            entry.put("line", problem.line());
            entry.put("column", problem.column());
            entry.put("reason", problem.message());
            DocumentCompiler.Outline outline = DocumentCompiler.Outline.of(outlines, problem);
            if (outline != null) {
                putIfPresent(entry, "kind", outline.kind());
                putIfPresent(entry, "name", outline.name());
                putIfPresent(entry, "version", outline.version());
                if ("Blueprint".equals(outline.kind()) && outline.name() != null) {
                    rejectedBlueprints.add(Arrays.asList(outline.name(), outline.version()));
                }
            }
            located.add(entry);
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        if (rejectedBlueprints.size() == 1) {
            List<String> named = rejectedBlueprints.iterator().next();
            CompiledBlueprint compiled = blueprints.stream()
                    .filter(blueprint -> blueprint.name().equals(named.get(0))).findFirst().orElse(null);
            if (compiled != null) {
                payload.putAll(payload(compiled, List.of()));
            } else {
                payload.put("name", named.get(0));
                putIfPresent(payload, "version", named.get(1));
            }
        } else if (rejectedBlueprints.isEmpty() && blueprints.size() == 1) {
            payload.putAll(payload(blueprints.get(0), List.of()));
        }
        payload.put("origin", source.files().size() == 1 ? source.files().get(0).origin() : source.key());
        payload.put("source", source.key());
        payload.put("blueprints", blueprints.stream().map(blueprint -> blueprint.info().ref()).toList());
        payload.put("rejectedBlueprints", rejectedBlueprints.stream()
                .map(named -> named.get(0) + (named.get(1) == null ? "" : "@" + named.get(1))).toList());
        payload.put("errors", problems.stream().map(Problem::toString).toList());
        payload.put("problems", located);
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
            CompiledBlueprint first = seen.putIfAbsent((blueprint.shadow() ? "shadow " : "") + blueprint.name(),
                    blueprint);
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
            if (blueprint.shadow()) {
                continue;
            }
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
        Map<String, CompiledBlueprint> before = previous.blueprints().stream().filter(b -> !b.shadow())
                .collect(Collectors.toMap(CompiledBlueprint::name, blueprint -> blueprint));
        for (CompiledBlueprint blueprint : blueprints) {
            CompiledBlueprint old = blueprint.shadow() ? null : before.get(blueprint.name());
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
        loaded.others().forEach(o -> parts.add("o " + o.contentHash() + " " + o.origin()));
        return parts;
    }

    private static Map<String, Object> payload(CompiledBlueprint blueprint, List<String> errors) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("name", blueprint.info().name());
        payload.put("version", blueprint.info().version());
        payload.put("owner", blueprint.info().owner());
        payload.put("contentHash", blueprint.info().contentHash());
        payload.put("origin", blueprint.info().origin());
        if (blueprint.shadow()) {
            payload.put("shadow", true);
        }
        payload.put("errors", errors);
        return payload;
    }

    private static Map<String, Object> payload(Declared other) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("kind", other.kind());
        payload.put("name", other.name());
        payload.put("version", other.version());
        payload.put("contentHash", other.contentHash());
        payload.put("origin", other.origin());
        if (other instanceof WaiverDeclaration waiver) {
            payload.put("approvedBy", waiver.approvedBy());
            payload.put("expiresAt", waiver.expiresAt().toString());
            payload.put("constraints", List.copyOf(new java.util.TreeSet<>(waiver.rules())));
        }
        return payload;
    }

    private static String slot(CompiledBlueprint blueprint) {
        return (blueprint.shadow() ? "shadow " : "") + blueprint.name();
    }

    /** Waivers, freeze windows and ownership documents: unique per kind and name, upgraded only to a higher version. */
    private static void checkOthers(String key, PolicySet current, List<Declared> others, List<Problem> problems) {
        Map<String, Declared> seen = new HashMap<>();
        PolicySet.Loaded previous = current.sources().get(key);
        Map<String, Declared> before = new HashMap<>();
        if (previous != null) {
            previous.others().forEach(other -> before.put(PolicySet.key(other), other));
        }
        for (Declared other : others) {
            String what = other.kind() + " '" + other.name() + "'";
            Declared first = seen.putIfAbsent(PolicySet.key(other), other);
            if (first != null) {
                problems.add(new Problem(other.file(), other.line(), other.column(), what.toLowerCase(java.util.Locale.ROOT)
                        + " is declared twice (first in " + first.file() + ":" + first.line() + ")"));
            }
            String owner = current.sourceOfOther(PolicySet.key(other));
            if (owner != null && !owner.equals(key)) {
                problems.add(new Problem(other.file(), other.line(), other.column(), what
                        + " conflicts with the one of that name already loaded from '"
                        + current.others().get(PolicySet.key(other)).origin() + "'"));
            }
            Declared old = before.get(PolicySet.key(other));
            if (old != null && !old.contentHash().equals(other.contentHash())
                    && other.semver().compareTo(old.semver()) <= 0) {
                problems.add(new Problem(other.file(), other.line(), other.column(), what + " changed but its version '"
                        + other.version() + "' is not higher than '" + old.version() + "' in force"));
            }
        }
    }

    /** A shadow version must be higher than the version in force, and one name has one shadow. */
    private static void checkShadows(String key, PolicySet current, List<CompiledBlueprint> blueprints,
            List<Problem> problems) {
        Map<String, CompiledBlueprint> regular = new HashMap<>();
        blueprints.stream().filter(b -> !b.shadow()).forEach(b -> regular.put(b.name(), b));
        for (CompiledBlueprint shadow : blueprints) {
            if (!shadow.shadow()) {
                continue;
            }
            String other = current.sourceOfShadow(shadow.name());
            if (other != null && !other.equals(key)) {
                problems.add(new Problem(shadow.file(), shadow.line(), shadow.column(), "shadow version of blueprint '"
                        + shadow.name() + "' conflicts with the shadow version already loaded from '"
                        + current.shadows().get(shadow.name()).info().origin() + "'"));
            }
            CompiledBlueprint inForce = regular.containsKey(shadow.name()) ? regular.get(shadow.name())
                    : key.equals(current.sourceOfBlueprint(shadow.name())) ? null
                    : current.blueprints().get(shadow.name());
            if (inForce != null && shadow.semver().compareTo(inForce.semver()) <= 0) {
                problems.add(new Problem(shadow.file(), shadow.line(), shadow.column(), "shadow version '"
                        + shadow.info().version() + "' of blueprint '" + shadow.name()
                        + "' is not higher than the version '" + inForce.info().version() + "' in force"));
            }
        }
    }

    /** The owner of a waiver, freeze window or ownership document, and the teams ownership rules name, are known teams. */
    private static void checkTeams(Declared other, Set<String> teams, List<Problem> problems) {
        String what = other.kind().toLowerCase(java.util.Locale.ROOT).replace("freezewindow", "freeze window") + " '"
                + other.name() + "'";
        String owner = other instanceof WaiverDeclaration w ? w.owner()
                : other instanceof FreezeDeclaration f ? f.owner()
                : ((OwnershipDeclaration) other).owner();
        if (!teams.contains(owner)) {
            problems.add(new Problem(other.file(), other.line(), other.column(), what + ": owner '" + owner
                    + "' is not a known team"));
        }
        if (other instanceof OwnershipDeclaration ownership) {
            for (OwnershipDeclaration.Rule rule : ownership.rules()) {
                List<String> named = new ArrayList<>();
                named.add(rule.accountable());
                named.addAll(rule.responsible());
                named.addAll(rule.consulted());
                for (String team : named) {
                    if (!teams.contains(team)) {
                        problems.add(new Problem(other.file(), rule.line(), rule.column(), what + ": rule '" + rule.id()
                                + "' names '" + team + "', which is not a known team"));
                    }
                }
            }
        }
    }

    /** The model the structure and data-flow rules read; {@code null} while none is available. */
    public void useModel(Supplier<ModelSnapshot> model) {
        this.model = model;
    }

    @Override
    public Inputs inputs(String source) {
        return policy.inputs().of(source);
    }

    @Override
    public Inputs inputs(Effect effect) {
        return policy.inputs().of(effect);
    }

    /** A rule that held: the match, the rule it came from ({@code <blueprint>#<rule>}) and how it counts. */
    private record Found(RuleMatch match, String rule, Mode mode) {
    }

    /** An evaluation and the policy it was made on. */
    private record Evaluated(Evaluation evaluation, PolicySet policy) {
    }

    /** What every rule of one evaluation reads. */
    private record Scope(EvaluationContext context, Element target, Map<String, Object> variables,
            CelFunctionResolver functions, String action, String actorKind, PolicySet policy,
            dev.mandate.api.decision.Action requestAction, dev.mandate.api.decision.ActorKind requestActorKind) {
    }

    /**
     * Evaluates every rule of every blueprint that applies to the context's target, the freeze
     * windows, waivers and enforcement modes, and the shadow versions beside them. Never blocks.
     */
    public Evaluation evaluate(EvaluationContext context) {
        PolicySet current = policy;
        Evaluation evaluation = evaluate(context, current, null);
        lastEvaluated.set(new Evaluated(evaluation, current));
        return evaluation;
    }

    /**
     * A what-if ({@link dev.mandate.api.intent.IntentService#evaluateWhatIf}): shadows are not compared, and
     * when {@code previous} is the last evaluation this thread made and what is in force has not changed
     * since, the constraints that read none of the changed inputs keep what it found for them.
     */
    @Override
    public Evaluation evaluateWhatIf(EvaluationContext context, Evaluation previous, Collection<String> changed) {
        PolicySet current = policy;
        Evaluated last = lastEvaluated.get();
        boolean varies = previous != null && changed != null && last != null && last.evaluation() == previous
                && last.policy() == current;
        return evaluate(context, current, varies ? WhatIf.after(current, previous, changed) : WhatIf.fresh(current));
    }

    /** @param whatIf null for a request, which is compared with the shadows */
    private Evaluation evaluate(EvaluationContext context, PolicySet current, WhatIf whatIf) {
        Objects.requireNonNull(context, "context");
        Element target = context.target();
        if (target == null) {
            throw new IllegalArgumentException("evaluation context has no target element");
        }
        List<CompiledBlueprint> candidates = current.candidates(target.kind());
        String action = context.request() == null || context.request().action() == null ? ""
                : context.request().action().wireName();
        boolean structural = "delete".equals(action) && current.hasStructure();
        if (candidates.isEmpty() && current.freezes().isEmpty() && current.shadows().isEmpty() && !structural) {
            return new Evaluation(List.of(), List.of(), Fallback.OWNER_APPROVAL, List.of());
        }
        CelFunctionResolver functions = environment.functions();
        Map<String, Object> variables = Activation.of(context);
        dev.mandate.api.decision.ActorKind kind = context.request() == null || context.request().actor() == null
                ? null : context.request().actor().kind();
        String actorKind = kind == null ? "" : kind.name();
        Scope scope = new Scope(context, target, variables, functions, action, actorKind, current,
                context.request() == null ? null : context.request().action(), kind);
        Instant now = context.now() == null ? Instant.now() : context.now();
        List<Found> found = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        List<String> applicable = new ArrayList<>();
        // a what-if is not a request: it is never compared with the shadows
        Map<String, List<Found>> byBlueprint = current.shadows().isEmpty() || whatIf != null ? null : new HashMap<>();
        Fallback fallback = Fallback.OWNER_APPROVAL;
        for (CompiledBlueprint blueprint : candidates) {
            if (!applies(blueprint, target, scope, errors)) {
                continue;
            }
            applicable.add(blueprint.info().ref());
            if (blueprint.info().fallback() == Fallback.DENY) {
                fallback = Fallback.DENY;
            }
            List<Found> own = evaluateBlueprint(blueprint, scope, errors, whatIf);
            found.addAll(own);
            if (byBlueprint != null) {
                byBlueprint.put(blueprint.name(), own);
            }
        }
        if (structural) {
            found.addAll(structureOnDelete(scope, errors));
        }
        for (FreezeDeclaration freeze : current.freezes()) {
            if (!freeze.actions().contains(action) || !freeze.selector().selects(target, variables, functions)) {
                continue;
            }
            TimeWindow open = freeze.openAt(now);
            if (open != null) {
                String message = "changes are frozen (" + open.describe() + "): " + action + " on '" + target.id()
                        + "'" + (freeze.message().isBlank() ? "" : ": " + freeze.message());
                found.add(new Found(new RuleMatch(freeze.source(), freeze.effect(), message, List.of(),
                        freeze.severity()), "freeze:" + freeze.name(), Mode.ENFORCE));
            }
        }
        List<RuleMatch> matches = new ArrayList<>();
        List<Notice> notices = new ArrayList<>();
        for (Found item : found) {
            if (item.mode() == Mode.AUDIT) {
                notices.add(new Notice(Notice.Kind.AUDIT, item.match().source(), item.match(),
                        "audit only: " + item.match().message()));
            } else if (item.mode() == Mode.WARN) {
                notices.add(new Notice(Notice.Kind.WARN, item.match().source(), item.match(), item.match().message()));
            } else {
                WaiverDeclaration waiver = item.match().effect() == Effect.ALLOW ? null
                        : waiverFor(current, item.rule(), target, variables, functions, now);
                if (waiver == null) {
                    matches.add(item.match());
                } else {
                    notices.add(new Notice(Notice.Kind.WAIVED, "waiver:" + waiver.ref(), item.match(),
                            item.match().source() + " waived by '" + waiver.ref() + "', approved by '"
                                    + waiver.approvedBy() + "' until " + waiver.expiresAt() + ": " + waiver.reason()));
                }
            }
        }
        if (byBlueprint != null) {
            compareShadows(scope, byBlueprint, now);
        }
        return new Evaluation(matches, errors, fallback, applicable, notices);
    }

    private boolean applies(CompiledBlueprint blueprint, Element element, Scope scope, List<String> errors) {
        String provider = element.provider() == null ? "" : element.provider();
        String environmentName = element.environment() == null ? "" : element.environment();
        if (!blueprint.selects(provider, environmentName)) {
            return false;
        }
        if (blueprint.match() == null) {
            return true;
        }
        Map<String, Object> variables = element == scope.target() ? scope.variables()
                : Map.of("element", Activation.element(element), "now", scope.variables().get("now"));
        try {
            return Boolean.TRUE.equals(Activation.eval(blueprint.match(), variables, scope.functions()));
        } catch (Exception e) {
            errors.add(blueprint.info().ref() + " appliesTo.match: " + evaluationMessage(e));
            return false;
        }
    }

    private List<Found> evaluateBlueprint(CompiledBlueprint blueprint, Scope scope, List<String> errors,
            WhatIf whatIf) {
        List<Found> found = new ArrayList<>();
        // only the constraints whose guard admits the request's action and actor kind, in document order
        CompiledConstraint[] constraints = blueprint.index().admitting(scope.requestAction(), scope.requestActorKind());
        for (int i = 0; i < constraints.length; i++) {
            CompiledConstraint constraint = constraints[i];
            if (whatIf != null && whatIf.keeps(constraint.source())) {
                RuleMatch kept = whatIf.previous(constraint.source());
                if (kept != null) {
                    found.add(new Found(kept, blueprint.name() + "#" + constraint.id(), constraint.mode()));
                }
                continue;
            }
            if (!constraint.guard().mayHold(scope.variables())) {
                continue;
            }
            try {
                Object result = constraint.when().eval(scope.variables(), scope.functions());
                if (Boolean.TRUE.equals(result)) {
                    found.add(new Found(new RuleMatch(constraint.source(), constraint.effect(),
                            constraint.message().render(scope.variables(), scope.functions()), constraint.obligations(),
                            constraint.severity()), blueprint.name() + "#" + constraint.id(), constraint.mode()));
                } else if (!Boolean.FALSE.equals(result)) {
                    errors.add(constraint.source() + ": condition gave " + CelValues.format(result)
                            + " instead of true or false");
                }
            } catch (Exception e) {
                errors.add(constraint.source() + ": " + evaluationMessage(e));
            }
        }
        variations(blueprint, scope, found);
        structureOnCreate(blueprint, scope, found);
        dataFlows(blueprint, scope, errors, found);
        return found;
    }

    private static final Set<String> CHANGING = Set.of("create", "update", "replace", "scale");

    /** A change that takes the element outside the blueprint's allowed variations. */
    private static void variations(CompiledBlueprint blueprint, Scope scope, List<Found> found) {
        if (blueprint.variations().isEmpty() || !CHANGING.contains(scope.action())) {
            return;
        }
        Map<String, Object> after = scope.context().request() == null ? Map.of() : scope.context().request().after();
        Map<String, Object> proposed = merge(scope.target().attributes(), after);
        boolean create = "create".equals(scope.action());
        for (Variation variation : blueprint.variations()) {
            // an update is judged on what it changes; a create on everything it brings
            if (!create && !Variation.has(after, variation.attribute())) {
                continue;
            }
            Object value = Variation.at(proposed, variation.attribute());
            if (!variation.allows(value)) {
                String id = "variation:" + variation.attribute();
                String message = "attribute '" + variation.attribute() + "' would be "
                        + (value == null ? "unset" : "'" + CelValues.format(CelValues.toCel(value)) + "'")
                        + " but " + blueprint.info().ref() + " allows " + variation.allowed();
                found.add(new Found(new RuleMatch(blueprint.info().ref() + "#" + id, blueprint.onViolation(), message,
                        List.of(), blueprint.onViolation() == Effect.DENY ? "high" : "medium"),
                        blueprint.name() + "#" + id, blueprint.mode()));
            }
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> over) {
        Map<String, Object> merged = new LinkedHashMap<>(base);
        over.forEach((key, value) -> {
            Object old = merged.get(key);
            if (old instanceof Map<?, ?> oldMap && value instanceof Map<?, ?> newMap) {
                merged.put(key, merge((Map<String, Object>) oldMap, (Map<String, Object>) newMap));
            } else {
                merged.put(key, value);
            }
        });
        return merged;
    }

    /** A create must declare the relations its blueprint requires, in {@code context.relations}. */
    private static void structureOnCreate(CompiledBlueprint blueprint, Scope scope, List<Found> found) {
        if (blueprint.structure().isEmpty() || !"create".equals(scope.action())) {
            return;
        }
        List<Map<String, Object>> declared = relations(scope.context());
        String self = scope.target().id();
        for (StructureRule rule : blueprint.structure()) {
            boolean present = declared.stream().anyMatch(relation -> {
                if (!rule.relation().equals(String.valueOf(relation.get("type")))) {
                    return false;
                }
                Object from = relation.getOrDefault("from", self);
                Object to = relation.getOrDefault("to", self);
                Object other = rule.incoming() ? from : to;
                Object mine = rule.incoming() ? to : from;
                return self.equals(String.valueOf(mine)) && other != null && !self.equals(String.valueOf(other))
                        && (rule.kind() == null || rule.kind().equals(ElementIds.kindOf(String.valueOf(other))));
            });
            if (!present) {
                String id = rule.id();
                found.add(new Found(new RuleMatch(blueprint.info().ref() + "#" + id, blueprint.onViolation(),
                        "'" + self + "' would be created without " + rule.describe() + ", which "
                                + blueprint.info().ref() + " requires (declare it in context.relations)",
                        List.of(), blueprint.onViolation() == Effect.DENY ? "high" : "medium"),
                        blueprint.name() + "#" + id, blueprint.mode()));
            }
        }
    }

    private static List<Map<String, Object>> relations(EvaluationContext context) {
        Object value = context.request() == null ? null : context.request().context().get("relations");
        List<Map<String, Object>> relations = new ArrayList<>();
        if (value instanceof Collection<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> map) {
                    Map<String, Object> relation = new LinkedHashMap<>();
                    map.forEach((k, v) -> relation.put(String.valueOf(k), v));
                    relations.add(relation);
                }
            }
        }
        return relations;
    }

    /**
     * Deleting an element that is the only required neighbour of another element (the backup plan
     * a production database must be BACKED_UP_BY) breaks that element's blueprint.
     */
    private List<Found> structureOnDelete(Scope scope, List<String> errors) {
        Supplier<ModelSnapshot> source = model;
        ModelSnapshot snapshot = scope.context().model();
        try {
            if (snapshot == null) {
                snapshot = source == null ? null : source.get();
            }
        } catch (RuntimeException e) {
            errors.add("structure: the model is unavailable, so required relations cannot be checked: "
                    + evaluationMessage(e));
            return List.of();
        }
        if (snapshot == null) {
            return List.of();
        }
        Element target = scope.target();
        List<Found> found = new ArrayList<>();
        Set<String> reported = new HashSet<>();
        List<Relation> touching = new ArrayList<>(snapshot.incoming(target.id()));
        touching.addAll(snapshot.outgoing(target.id()));
        for (Relation relation : touching) {
            boolean neighbourIsFrom = target.id().equals(relation.to());
            String neighbourId = neighbourIsFrom ? relation.from() : relation.to();
            Element neighbour = snapshot.element(neighbourId).orElse(null);
            if (neighbour == null) {
                continue;
            }
            for (CompiledBlueprint blueprint : scope.policy().candidates(neighbour.kind())) {
                if (blueprint.structure().isEmpty()) {
                    continue;
                }
                for (StructureRule rule : blueprint.structure()) {
                    // an outgoing rule of the neighbour is met by neighbour -> target, an incoming one by target -> neighbour
                    if (!rule.relation().equals(relation.type().name()) || rule.incoming() == neighbourIsFrom
                            || rule.kind() != null && !rule.kind().equals(target.kind())) {
                        continue;
                    }
                    if (!applies(blueprint, neighbour, scope, errors)) {
                        continue;
                    }
                    List<Relation> alternatives = rule.incoming() ? snapshot.incoming(neighbour.id())
                            : snapshot.outgoing(neighbour.id());
                    boolean otherLeft = alternatives.stream().anyMatch(other -> {
                        String otherId = rule.incoming() ? other.from() : other.to();
                        return other.type() == relation.type() && !otherId.equals(target.id())
                                && (rule.kind() == null || rule.kind().equals(ElementIds.kindOf(otherId)));
                    });
                    String id = rule.id();
                    if (!otherLeft && reported.add(neighbour.id() + " " + blueprint.name() + " " + id)) {
                        found.add(new Found(new RuleMatch(blueprint.info().ref() + "#" + id, blueprint.onViolation(),
                                "deleting '" + target.id() + "' leaves '" + neighbour.id() + "' without "
                                        + rule.describe() + ", which " + blueprint.info().ref() + " requires",
                                List.of(), blueprint.onViolation() == Effect.DENY ? "high" : "medium"),
                                blueprint.name() + "#" + id, blueprint.mode()));
                    }
                }
            }
        }
        return found;
    }

    /**
     * Data-flow rules for a request that creates or changes a flow, described in
     * {@code context.flow: {type, from, to, classification, purpose, fromTrustZone, toTrustZone}}.
     */
    private void dataFlows(CompiledBlueprint blueprint, Scope scope, List<String> errors, List<Found> found) {
        if (blueprint.dataFlows().isEmpty() || scope.context().request() == null
                || !(scope.context().request().context().get("flow") instanceof Map<?, ?> flow)) {
            return;
        }
        String type = text(flow.get("type"), "FLOWS_DATA_TO");
        if (!Set.of("FLOWS_DATA_TO", "CONNECTS_TO").contains(type)) {
            errors.add(blueprint.info().ref() + " dataFlows: context.flow.type '" + type
                    + "' is not FLOWS_DATA_TO or CONNECTS_TO");
            return;
        }
        Element target = scope.target();
        String from = text(flow.get("from"), target.id());
        String to = text(flow.get("to"), null);
        if (to == null) {
            errors.add(blueprint.info().ref() + " dataFlows: context.flow.to is missing (the element data goes to)");
            return;
        }
        String fromZone = text(flow.get("fromTrustZone"), null);
        String toZone = text(flow.get("toTrustZone"), null);
        if (fromZone == null) {
            fromZone = zoneOf(from, target, scope.context().model());
        }
        if (toZone == null) {
            toZone = zoneOf(to, target, scope.context().model());
        }
        if (fromZone == null || toZone == null) {
            errors.add(blueprint.info().ref() + " dataFlows: the trust zone of '" + (fromZone == null ? from : to)
                    + "' is not known (give context.flow." + (fromZone == null ? "from" : "to")
                    + "TrustZone or load the element into the model)");
            return;
        }
        Set<String> carried = new LinkedHashSet<>();
        for (Object value : List.of(flow.get("classification") == null ? List.of() : flow.get("classification"),
                flow.get("classifications") == null ? List.of() : flow.get("classifications"))) {
            if (value instanceof Collection<?> list) {
                list.forEach(item -> carried.add(String.valueOf(item)));
            } else {
                carried.add(String.valueOf(value));
            }
        }
        String purpose = text(flow.get("purpose"), "");
        for (DataFlowRule rule : blueprint.dataFlows()) {
            if (rule.matches(fromZone, toZone, carried, !purpose.isBlank())) {
                String id = "dataflow:" + rule.id();
                String facts = (carried.isEmpty() ? "" : String.join(", ", carried) + " ") + "data from '" + from
                        + "' (" + fromZone + ") to '" + to + "' (" + toZone + ")"
                        + (purpose.isBlank() ? " with no declared purpose" : " for '" + purpose + "'");
                found.add(new Found(new RuleMatch(blueprint.info().ref() + "#" + id, rule.effect(),
                        (rule.message().isBlank() ? "" : rule.message() + ": ") + facts, List.of(), rule.severity()),
                        blueprint.name() + "#" + id, rule.mode()));
            }
        }
    }

    private String zoneOf(String id, Element target, ModelSnapshot given) {
        if (id.equals(target.id())) {
            return target.trustZone();
        }
        Supplier<ModelSnapshot> source = model;
        try {
            ModelSnapshot snapshot = given != null ? given : source == null ? null : source.get();
            return snapshot == null ? null : snapshot.element(id).map(Element::trustZone).orElse(null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String text(Object value, String otherwise) {
        return value == null || String.valueOf(value).isBlank() ? otherwise : String.valueOf(value);
    }

    private static WaiverDeclaration waiverFor(PolicySet policy, String rule, Element target,
            Map<String, Object> variables, CelFunctionResolver functions, Instant now) {
        for (WaiverDeclaration waiver : policy.waivers()) {
            if (waiver.live(now) && waiver.covers(rule) && waiver.selector().selects(target, variables, functions)) {
                return waiver;
            }
        }
        return null;
    }

    /**
     * What the blueprints in force intend for this element: every blueprint (not shadow) whose
     * {@code appliesTo} selects it, and their variations (the first blueprint by name wins a path).
     * A selector that errors does not select. Never blocks.
     */
    public Optional<IntendedState> intended(Element element) {
        Objects.requireNonNull(element, "element");
        // the applicability index: the same selection (shadows left out, erroring conditions do not select)
        List<CompiledBlueprint> binding = applying(element);
        if (binding.isEmpty()) {
            return Optional.empty();
        }
        List<String> refs = new ArrayList<>(binding.size());
        Map<String, Map<String, Object>> variations = new java.util.TreeMap<>();
        for (CompiledBlueprint blueprint : binding) {
            refs.add(blueprint.info().ref());
            for (Variation variation : blueprint.variations()) {
                variations.putIfAbsent(variation.attribute(), variation.spec(blueprint.info().ref()));
            }
        }
        return Optional.of(new IntendedState(refs, variations));
    }

    /** Who owns this element by the ownership rules in force: the first rule that selects it. */
    public Optional<ElementOwnership> ownership(Element element) {
        Objects.requireNonNull(element, "element");
        PolicySet current = policy;
        CelFunctionResolver functions = environment.functions();
        for (OwnershipDeclaration document : current.ownerships()) {
            for (OwnershipDeclaration.Rule rule : document.rules()) {
                if (rule.selector().selects(element, null, functions)) {
                    return Optional.of(new ElementOwnership(rule.accountable(), rule.responsible(), rule.consulted(),
                            "ownership:" + document.ref() + "#" + rule.id()));
                }
            }
        }
        return Optional.empty();
    }

    // ---- shadow versions

    /** The differences one shadow version has collected, newest last, at most {@link #SHADOW_CAPACITY}. */
    private static final class ShadowLog {
        final AtomicLong evaluations = new AtomicLong();
        final Deque<ShadowReport.Difference> differences = new ArrayDeque<>();

        synchronized void add(ShadowReport.Difference difference) {
            differences.addLast(difference);
            while (differences.size() > SHADOW_CAPACITY) {
                differences.removeFirst();
            }
        }

        synchronized List<ShadowReport.Difference> snapshot() {
            return List.copyOf(differences);
        }
    }

    static final int SHADOW_CAPACITY = 1000;
    private final Map<String, ShadowLog> shadowLogs = new ConcurrentHashMap<>();

    private static String logKey(CompiledBlueprint shadow) {
        return shadow.name() + " " + shadow.info().contentHash();
    }

    private void compareShadows(Scope scope, Map<String, List<Found>> inForce, Instant now) {
        for (CompiledBlueprint shadow : scope.policy().shadows().values()) {
            if (!shadow.kinds().isEmpty() && !shadow.kinds().contains(scope.target().kind())) {
                continue;
            }
            List<String> ignored = new ArrayList<>();
            List<Found> shadowFound = applies(shadow, scope.target(), scope, ignored)
                    ? evaluateBlueprint(shadow, scope, ignored, null) : List.of();
            List<Found> forceFound = inForce.getOrDefault(shadow.name(), List.of());
            if (shadowFound.isEmpty() && forceFound.isEmpty()) {
                continue;
            }
            ShadowLog log = shadowLogs.computeIfAbsent(logKey(shadow), key -> new ShadowLog());
            log.evaluations.incrementAndGet();
            Set<String> a = counting(forceFound);
            Set<String> b = counting(shadowFound);
            if (!a.equals(b)) {
                ActionRequest request = scope.context().request();
                log.add(new ShadowReport.Difference(now, scope.target().id(), scope.action(),
                        request == null || request.actor() == null ? "" : request.actor().id(), strongest(forceFound),
                        strongest(shadowFound), List.copyOf(a), List.copyOf(b)));
            }
        }
    }

    /** {@code <rule> <effect>} of the matches that would count (enforce mode). */
    private static Set<String> counting(List<Found> found) {
        Set<String> set = new java.util.TreeSet<>();
        for (Found item : found) {
            if (item.mode() == Mode.ENFORCE) {
                set.add(item.rule() + " " + item.match().effect());
            }
        }
        return set;
    }

    private static String strongest(List<Found> found) {
        String strongest = "none";
        for (Found item : found) {
            if (item.mode() != Mode.ENFORCE) {
                continue;
            }
            Effect effect = item.match().effect();
            if (effect == Effect.DENY) {
                return "deny";
            }
            if (effect == Effect.REQUIRE_APPROVAL || "none".equals(strongest)) {
                strongest = effect.toString();
            }
        }
        return strongest;
    }

    /** The differences of the shadow version of a blueprint; empty without a shadow version. */
    public Optional<ShadowReport> shadowReport(String name) {
        PolicySet current = policy;
        CompiledBlueprint shadow = current.shadows().get(name);
        if (shadow == null) {
            return Optional.empty();
        }
        CompiledBlueprint inForce = current.blueprints().get(name);
        ShadowLog log = shadowLogs.get(logKey(shadow));
        return Optional.of(new ShadowReport(name, inForce == null ? "" : inForce.info().version(),
                shadow.info().version(), log == null ? 0 : log.evaluations.get(),
                log == null ? List.of() : log.snapshot()));
    }

    /** Puts the shadow version in force, atomically, and records it as evidence. */
    public synchronized BlueprintInfo promote(String name) {
        PolicySet current = policy;
        CompiledBlueprint shadow = current.shadows().get(name);
        if (shadow == null) {
            throw new IllegalArgumentException("blueprint '" + name + "' has no shadow version");
        }
        CompiledBlueprint previous = current.blueprints().get(name);
        PolicySet next = current.promote(name, shadow.info().contentHash());
        publish(next);
        java.util.function.Consumer<Map<String, String>> listener = promotionListener;
        if (listener != null) {
            listener.accept(next.promoted());
        }
        Map<String, Object> payload = payload(shadow, List.of());
        payload.remove("shadow");
        if (previous != null) {
            payload.put("previousVersion", previous.info().version());
            payload.put("previousContentHash", previous.info().contentHash());
        }
        ShadowLog log = shadowLogs.remove(logKey(shadow));
        payload.put("shadowEvaluations", log == null ? 0L : log.evaluations.get());
        payload.put("shadowDifferences", log == null ? 0 : log.snapshot().size());
        LOG.info("blueprint '{}' promoted from shadow to in force", shadow.info().ref());
        evidence.record(PROMOTED, payload);
        return shadow.info();
    }


    // ---- what operators ask: blueprints in full, rejections, governance; promotions that outlive a restart

    /** The applicability index of one policy generation, built on first use. */
    private record Indexed(PolicySet policy, Applicability index) {
    }

    private volatile Indexed indexed;
    private volatile java.util.function.Consumer<Map<String, String>> promotionListener;

    private Applicability applicability() {
        PolicySet current = policy;
        Indexed cached = indexed;
        if (cached == null || cached.policy() != current) {
            cached = new Indexed(current, new Applicability(current.blueprints().values()));
            indexed = cached;
        }
        return cached.index();
    }

    /** The blueprints in force whose {@code appliesTo} selects this element ({@code name@version}, by name). */
    @Override
    public List<String> governing(Element element) {
        Objects.requireNonNull(element, "element");
        return applicability().governing(element, environment.functions());
    }

    /** The blueprints in force whose {@code appliesTo} selects this element, by name. Never blocks. */
    List<CompiledBlueprint> applying(Element element) {
        return applicability().applying(element, environment.functions());
    }

    /** Whether any blueprint in force governs this element. Never blocks. */
    public boolean governed(Element element) {
        Objects.requireNonNull(element, "element");
        return applicability().governed(element, environment.functions());
    }

    /** The sources whose last load was rejected (and recorded), with their problems, by source. */
    @Override
    public synchronized List<dev.mandate.kernel.intent.Rejection> rejections() {
        List<dev.mandate.kernel.intent.Rejection> rejections = new ArrayList<>();
        new java.util.TreeMap<>(lastRejection).forEach((key, problems) -> {
            if (rejected.containsKey(key)) {
                rejections.add(new dev.mandate.kernel.intent.Rejection(key, problems));
            }
        });
        return rejections;
    }

    /** The blueprint in force with this name, in full. */
    @Override
    public Optional<dev.mandate.kernel.intent.BlueprintDetail> detail(String name) {
        PolicySet current = policy;
        CompiledBlueprint blueprint = name == null ? null : current.blueprints().get(name);
        if (blueprint == null) {
            return Optional.empty();
        }
        CompiledBlueprint shadow = current.shadows().get(name);
        List<dev.mandate.kernel.intent.BlueprintDetail.Constraint> constraints = new ArrayList<>();
        for (CompiledConstraint constraint : blueprint.constraints()) {
            constraints.add(new dev.mandate.kernel.intent.BlueprintDetail.Constraint(constraint.id(),
                    constraint.effect().toString(), constraint.mode().toString(), constraint.severity()));
        }
        List<String> variations = new ArrayList<>();
        blueprint.variations().forEach(variation -> variations.add(variation.attribute()));
        return Optional.of(new dev.mandate.kernel.intent.BlueprintDetail(blueprint.info(), blueprint.mode().toString(),
                blueprint.shadow(), shadow == null ? null : shadow.info().version(),
                new dev.mandate.kernel.intent.BlueprintDetail.AppliesTo(sorted(blueprint.kinds()),
                        sorted(blueprint.providers()), sorted(blueprint.environments()), blueprint.matchText()),
                constraints, variations, blueprint.structure().size(), blueprint.dataFlows().size()));
    }

    private static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }

    /**
     * Puts promotions made before a restart back in force: blueprint name to the content hash of the
     * promoted shadow version. A promotion applies while that exact shadow version is loaded and no
     * regular version higher than it is.
     */
    public synchronized void restorePromotions(Map<String, String> promotions) {
        if (promotions.isEmpty()) {
            return;
        }
        Map<String, String> merged = new HashMap<>(promotions);
        merged.putAll(policy.promoted());
        publish(new PolicySet(policy.sources(), merged));
    }

    /** Called with every promotion in force after each promotion (on the promoting thread), to persist them. */
    public void onPromotion(java.util.function.Consumer<Map<String, String>> listener) {
        this.promotionListener = listener;
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
