package dev.mandate.tools.blueprintlint;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.mandate.kernel.intent.Problem;
import dev.mandate.kernel.intent.internal.IntentRegistry;
import dev.mandate.kernel.intent.internal.IntentSource;

/**
 * Lints intent files the way the kernel loads them, without Karaf:
 * {@code java -jar mandate-blueprint-lint.jar [--context <path>]... [--sarif out.sarif] <files or folders>}.
 * Every {@code .yaml}/{@code .yml} file is read (folders recursively); the files are loaded together,
 * as a folder scan loads them, so a blueprint may name an owner team declared in another file.
 * {@code --context} files (a pack's teams, for example) are loaded first and not reported on.
 * Prints {@code file:line:column: message} per problem; exit status 0 when every file would load,
 * 1 when there are problems, 2 on a usage error.
 */
public final class BlueprintLint {

    static final int OK = 0;
    static final int PROBLEMS = 1;
    static final int USAGE = 2;

    private BlueprintLint() {
    }

    public static void main(String[] args) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "off");
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the lint; returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        List<Path> inputs = new ArrayList<>();
        List<Path> context = new ArrayList<>();
        Path sarif = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if ("--sarif".equals(arg) || "--context".equals(arg)) {
                if (i + 1 >= args.length) {
                    err.println("option '" + arg + "' needs a path");
                    return USAGE;
                }
                Path value = Path.of(args[++i]);
                if ("--sarif".equals(arg)) {
                    sarif = value;
                } else {
                    context.add(value);
                }
            } else if ("--help".equals(arg) || "-h".equals(arg)) {
                out.println("usage: java -jar mandate-blueprint-lint.jar [--context <path>]... [--sarif <out.sarif>] "
                        + "<files or folders>");
                return OK;
            } else if (arg.startsWith("--")) {
                err.println("unknown option '" + arg + "' (known: --sarif, --context, --help)");
                return USAGE;
            } else {
                inputs.add(Path.of(arg));
            }
        }
        if (inputs.isEmpty()) {
            err.println("usage: java -jar mandate-blueprint-lint.jar [--context <path>]... [--sarif <out.sarif>] "
                    + "<files or folders>");
            return USAGE;
        }
        List<Path> files;
        List<Path> contextFiles;
        try {
            files = collect(inputs);
            contextFiles = collect(context);
        } catch (IOException e) {
            err.println("cannot read '" + e.getMessage() + "'");
            return USAGE;
        }
        List<Problem> problems;
        try {
            problems = lint(files, contextFiles);
        } catch (IOException e) {
            err.println("cannot read '" + e.getMessage() + "'");
            return USAGE;
        }
        problems.forEach(out::println);
        if (sarif != null) {
            try {
                Sarif.write(sarif, problems);
            } catch (IOException e) {
                err.println("cannot write the sarif report '" + sarif + "': " + e.getMessage());
                return USAGE;
            }
        }
        err.println(files.size() + " file(s), " + problems.size() + " problem(s)");
        return problems.isEmpty() ? OK : PROBLEMS;
    }

    /** The problems the files would meet when loaded together, after the context files; in file order. */
    static List<Problem> lint(List<Path> files, List<Path> context) throws IOException {
        IntentRegistry registry = new IntentRegistry((type, payload) -> { });
        if (!context.isEmpty()) {
            registry.loadAll(sources(context));
        }
        Map<String, IntentRegistry.LoadResult> results = registry.loadAll(sources(files));
        List<Problem> problems = new ArrayList<>();
        results.values().forEach(result -> problems.addAll(result.problems()));
        problems.sort(Comparator.comparing(Problem::file).thenComparingInt(Problem::line)
                .thenComparingInt(Problem::column));
        return problems;
    }

    private static List<IntentSource> sources(List<Path> files) throws IOException {
        Map<String, IntentSource> sources = new LinkedHashMap<>();
        for (Path file : files) {
            String name = display(file);
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IOException(name, e);
            }
            sources.put("file:" + name, new IntentSource("file:" + name,
                    List.of(new IntentSource.File(name, "file:" + name, text))));
        }
        return List.copyOf(sources.values());
    }

    /** Paths as given, with forward slashes: what SARIF and review tools expect relative to the checkout. */
    static String display(Path file) {
        return file.normalize().toString().replace('\\', '/');
    }

    private static List<Path> collect(List<Path> inputs) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path input : inputs) {
            if (Files.isDirectory(input)) {
                try (Stream<Path> walk = Files.walk(input)) {
                    walk.filter(Files::isRegularFile).filter(BlueprintLint::isYaml).sorted().forEach(files::add);
                }
            } else if (Files.isRegularFile(input)) {
                files.add(input);
            } else {
                throw new IOException(input.toString());
            }
        }
        return files;
    }

    private static boolean isYaml(Path path) {
        String name = path.getFileName().toString();
        return name.endsWith(".yaml") || name.endsWith(".yml");
    }
}
