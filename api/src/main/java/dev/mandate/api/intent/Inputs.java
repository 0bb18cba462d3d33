package dev.mandate.api.intent;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which inputs of an evaluation something reads, as paths into the variables constraints see:
 * a variable ({@code element}, {@code actor}, {@code request}, {@code blastRadius}, {@code drift},
 * {@code now}) followed by field names or map keys, joined with dots: {@code actor.assurance},
 * {@code request.context.mfa}, {@code element.attributes}, {@code blastRadius.count}. A path stands
 * for everything under it: {@code request.context} is read by a rule that reads any key of the
 * context or the context as a whole.
 *
 * <p>A request that differs from another only in inputs that something does not read gets the same
 * answer from it. {@link #ALL} stands for "anything may be read" and is what is known about a rule
 * nobody analysed. Immutable and thread-safe.
 *
 * @since 1.4
 */
public final class Inputs {

    /** Everything may be read. */
    public static final Inputs ALL = new Inputs(null);
    /** Nothing is read. */
    public static final Inputs NONE = new Inputs(new String[0]);

    // sorted, and none extends another; null for ALL
    private final String[] paths;

    private Inputs(String[] paths) {
        this.paths = paths;
    }

    /**
     * These paths (a path that extends another one given is left out: the shorter covers it).
     *
     * @throws IllegalArgumentException for a null or empty path
     */
    public static Inputs of(Collection<String> paths) {
        TreeSet<String> sorted = new TreeSet<>();
        for (String path : paths) {
            if (path == null || path.isEmpty()) {
                throw new IllegalArgumentException("an input path is empty");
            }
            sorted.add(path);
        }
        List<String> kept = new ArrayList<>(sorted.size());
        for (String path : sorted) {
            boolean covered = false;
            for (String shorter : kept) {
                if (extendsOrEquals(path, shorter)) {
                    covered = true;
                    break;
                }
            }
            if (!covered) {
                kept.add(path);
            }
        }
        return kept.isEmpty() ? NONE : new Inputs(kept.toArray(new String[0]));
    }

    /** These paths; see {@link #of(Collection)}. */
    public static Inputs of(String... paths) {
        return of(Arrays.asList(paths));
    }

    /** Whether everything may be read. */
    public boolean isAll() {
        return paths == null;
    }

    /** Whether nothing is read. */
    public boolean isEmpty() {
        return paths != null && paths.length == 0;
    }

    /**
     * The paths, sorted; none extends another.
     *
     * @throws IllegalStateException for {@link #ALL}, which has no list
     */
    public Set<String> paths() {
        if (paths == null) {
            throw new IllegalStateException("all inputs: there is no list of paths");
        }
        return Collections.unmodifiableSet(new TreeSet<>(Arrays.asList(paths)));
    }

    /**
     * Whether this path is read: some path here is the same, lies above it ({@code request.context}
     * reads {@code request.context.mfa}) or below it (a change of {@code request.context} changes
     * {@code request.context.mfa}).
     */
    public boolean reads(String path) {
        if (paths == null) {
            return true;
        }
        for (int i = 0; i < paths.length; i++) {
            if (extendsOrEquals(path, paths[i]) || extendsOrEquals(paths[i], path)) {
                return true;
            }
        }
        return false;
    }

    /** Whether any of these paths is read ({@link #reads(String)}); {@link #ALL} shares every path but none with {@link #NONE}. */
    public boolean readsAny(Inputs other) {
        if (paths == null) {
            return !other.isEmpty();
        }
        if (other.paths == null) {
            return paths.length > 0;
        }
        for (int i = 0; i < other.paths.length; i++) {
            if (reads(other.paths[i])) {
                return true;
            }
        }
        return false;
    }

    /** What this and the other read together. */
    public Inputs with(Inputs other) {
        if (paths == null || other.paths == null) {
            return ALL;
        }
        if (other.paths.length == 0) {
            return this;
        }
        if (paths.length == 0) {
            return other;
        }
        List<String> both = new ArrayList<>(Arrays.asList(paths));
        both.addAll(Arrays.asList(other.paths));
        return of(both);
    }

    /** Whether {@code path} is {@code prefix} or lies below it ({@code a.b.c} below {@code a.b}, not {@code a.bc}). */
    private static boolean extendsOrEquals(String path, String prefix) {
        return path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '.');
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Inputs inputs && Arrays.equals(paths, inputs.paths);
    }

    @Override
    public int hashCode() {
        return paths == null ? -1 : Arrays.hashCode(paths);
    }

    @Override
    public String toString() {
        return paths == null ? "all inputs" : String.join(", ", paths);
    }
}
