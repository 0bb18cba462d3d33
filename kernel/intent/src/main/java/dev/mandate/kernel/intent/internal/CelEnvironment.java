package dev.mandate.kernel.intent.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.CelSource;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.ast.CelMutableExpr;
import dev.cel.common.ast.CelMutableExprConverter;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelFunctionResolver;
import dev.cel.runtime.CelLateFunctionBindings;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.cel.runtime.Program;
import dev.mandate.api.intent.ConstraintFunction;
import dev.mandate.api.intent.ValueType;

/**
 * The CEL environment constraints compile in: the variables {@code element}, {@code actor},
 * {@code request}, {@code blastRadius}, {@code drift} (each {@code map(string, dyn)}) and {@code now}
 * ({@code timestamp}), the standard library with macros, the strings, sets and lists extensions,
 * and the functions contributed as {@link ConstraintFunction} services.
 *
 * <p>Contributed functions are bound late: programs keep their compiled form and find the
 * function's implementation at evaluation time through {@link #functions()}. A function that goes
 * away therefore makes the constraints that call it fail to evaluate (and the decision fail closed)
 * instead of calling into a stopped bundle. Immutable and thread-safe; a new environment is built
 * whenever the set of functions changes.
 */
final class CelEnvironment {

    /** At most this many iterations over all comprehensions of one evaluation. */
    static final int MAX_ITERATIONS = 10_000;
    /** At most this many characters per expression. */
    static final int MAX_EXPRESSION_LENGTH = 4_096;

    static final CelOptions OPTIONS = CelOptions.current()
            .enableHeterogeneousNumericComparisons(true)
            .comprehensionMaxIterations(MAX_ITERATIONS)
            .maxExpressionCodePointSize(MAX_EXPRESSION_LENGTH)
            .maxParseRecursionDepth(64)
            .build();

    static final List<String> VARIABLES = List.of("element", "actor", "request", "blastRadius", "drift", "now");

    private static final Pattern FUNCTION_NAME = Pattern.compile("[a-z][A-Za-z0-9]{0,62}");
    private static final CelType OBJECT = MapType.create(SimpleType.STRING, SimpleType.DYN);

    /** Where a CEL problem is, relative to the expression: line from 1, column from 0. */
    record CelProblem(int line, int column, String message) {
    }

    /** A compiled expression, or what is wrong with it; {@code shared} if it was type-checked with others. */
    record Compiled(Program program, CelAbstractSyntaxTree ast, List<CelProblem> problems, boolean shared) {
        boolean ok() {
            return program != null;
        }
    }

    private final CelCompiler whenCompiler;
    private final CelCompiler matchCompiler;
    private final CelCompiler templateCompiler;
    private final CelRuntime runtime;
    private final CelFunctionResolver functions;
    private final Map<String, ConstraintFunction> functionsByName;

    private CelEnvironment(List<ConstraintFunction> accepted) {
        List<CelFunctionDecl> declarations = new ArrayList<>();
        List<CelFunctionBinding> bindings = new ArrayList<>();
        Map<String, ConstraintFunction> byName = new LinkedHashMap<>();
        for (ConstraintFunction function : accepted) {
            String overloadId = overloadId(function);
            List<CelType> parameters = function.parameters().stream().map(CelEnvironment::celType).toList();
            declarations.add(CelFunctionDecl.newFunctionDeclaration(function.name(),
                    CelOverloadDecl.newGlobalOverload(overloadId, celType(function.result()), parameters)));
            List<Class<?>> argumentClasses = function.parameters().stream().<Class<?>>map(CelEnvironment::javaType)
                    .toList();
            bindings.add(CelFunctionBinding.from(overloadId, argumentClasses, arguments -> call(function, arguments)));
            byName.put(function.name(), function);
        }
        CelCompilerBuilder base = CelCompilerFactory.standardCelCompilerBuilder()
                .setOptions(OPTIONS)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .addLibraries(CelExtensions.strings(), CelExtensions.sets(OPTIONS), CelExtensions.lists())
                .addFunctionDeclarations(declarations);
        this.matchCompiler = base.addVar("element", OBJECT).addVar("now", SimpleType.TIMESTAMP)
                .setResultType(SimpleType.BOOL).build();
        this.whenCompiler = matchCompiler.toCompilerBuilder().addVar("actor", OBJECT).addVar("request", OBJECT)
                .addVar("blastRadius", OBJECT).addVar("drift", OBJECT).build();
        this.templateCompiler = whenCompiler.toCompilerBuilder().setResultType(SimpleType.DYN).build();
        this.runtime = CelRuntimeFactory.standardCelRuntimeBuilder()
                .setOptions(OPTIONS)
                .addLibraries(CelExtensions.strings(), CelExtensions.sets(OPTIONS), CelExtensions.lists())
                .build();
        this.functions = CelLateFunctionBindings.from(bindings);
        this.functionsByName = Collections.unmodifiableMap(byName);
    }

    /**
     * Builds the environment for these functions. A function with a malformed or duplicate name, or
     * one that the CEL environment refuses, is left out and reported to {@code warnings}.
     */
    static CelEnvironment create(Collection<ConstraintFunction> candidates, Consumer<String> warnings) {
        List<ConstraintFunction> accepted = new ArrayList<>();
        Set<String> names = new java.util.HashSet<>();
        for (ConstraintFunction function : candidates) {
            String name;
            try {
                name = function.name();
                function.parameters();
                function.result();
            } catch (RuntimeException e) {
                warnings.accept("constraint function " + function + " cannot describe itself: " + e.getMessage());
                continue;
            }
            if (name == null || !FUNCTION_NAME.matcher(name).matches()) {
                warnings.accept("constraint function '" + name + "' ignored: a name is lower camel case");
            } else if (!names.add(name)) {
                warnings.accept("constraint function '" + name + "' ignored: another function has that name");
            } else if (function.parameters() == null || function.parameters().stream().anyMatch(java.util.Objects::isNull)
                    || function.result() == null) {
                warnings.accept("constraint function '" + name + "' ignored: its parameter or result types are missing");
            } else {
                List<ConstraintFunction> trial = new ArrayList<>(accepted);
                trial.add(function);
                try {
                    new CelEnvironment(trial);
                    accepted.add(function);
                } catch (RuntimeException e) {
                    warnings.accept("constraint function '" + name + "' ignored: " + e.getMessage());
                }
            }
        }
        return new CelEnvironment(accepted);
    }

    /** The names of the contributed functions available. */
    Set<String> functionNames() {
        return functionsByName.keySet();
    }

    /** The implementations of the contributed functions, passed to every evaluation. */
    CelFunctionResolver functions() {
        return functions;
    }

    /** A condition over every variable, yielding a bool. */
    Compiled compileWhen(String expression) {
        return compile(whenCompiler, expression);
    }

    /** An applicability selector: a bool over {@code element} (and {@code now}) only. */
    Compiled compileMatch(String expression) {
        return compile(matchCompiler, expression);
    }

    /** A message part: any value over every variable. */
    Compiled compileTemplate(String expression) {
        return compile(templateCompiler, expression);
    }

    /**
     * How many compiled expressions an environment keeps. Packs repeat expressions (message parts
     * such as {@code element.id}, shared conditions); CEL's checker builds its whole declaration
     * environment for every check, so a repeat costs as much as the first compilation without this.
     */
    static final int COMPILED_CACHE_SIZE = 20_000;

    /** Expressions compiled in this environment (by compiler and text); immutable results, cleared when full. */
    private final Map<String, Compiled> compiled = new java.util.concurrent.ConcurrentHashMap<>();

    private Compiled compile(CelCompiler compiler, String expression) {
        String key = key(compiler, expression);
        Compiled known = compiled.get(key);
        if (known != null) {
            return known;
        }
        Compiled result = compileNow(compiler, expression);
        remember(key, result);
        return result;
    }

    private String key(CelCompiler compiler, String expression) {
        return (compiler == whenCompiler ? "w" : compiler == matchCompiler ? "m" : "t") + expression;
    }

    private void remember(String key, Compiled result) {
        if (compiled.size() >= COMPILED_CACHE_SIZE) {
            compiled.clear();
        }
        compiled.put(key, result);
    }

    /** At most this many conditions are type-checked together by {@link #precompileWhen}. */
    static final int BATCH = 32;

    /** A condition parsed alone, waiting for its type check. */
    private record Parsed(String text, CelAbstractSyntaxTree ast, long maxId) {
    }

    /**
     * Compiles these conditions ahead into what {@link #compileWhen} returns, type-checking them
     * together, {@value #BATCH} at a time: CEL's checker builds its whole declaration environment
     * (the standard library's overloads and ours) for every check, which costs more than checking a
     * typical condition, so one check of a list of the conditions of a blueprint saves most of it.
     *
     * <p>Each condition is parsed once, alone, so a text cannot reach into its neighbours; the list
     * that is checked is assembled from the parsed trees (their expression ids moved apart), and each
     * element's checked tree is taken back with its own ids and its own source, exactly the tree a
     * check of the condition alone yields. A condition that does not parse keeps its parse problems.
     * One that the shared check does not type {@code bool}, or one of a few that fail to check
     * together (a failing batch is halved until the failure is among at most three), is checked
     * alone, from the same parsed tree, and keeps its own problems where they are.
     */
    void precompileWhen(java.util.Collection<String> expressions) {
        List<Parsed> batch = new ArrayList<>(BATCH);
        for (String expression : new java.util.LinkedHashSet<>(expressions)) {
            if (expression == null || expression.isBlank() || compiled.containsKey(key(whenCompiler, expression))
                    || expression.codePointCount(0, expression.length()) > MAX_EXPRESSION_LENGTH) {
                continue;
            }
            CelValidationResult parsed = whenCompiler.parse(expression);
            if (parsed.hasError()) {
                remember(key(whenCompiler, expression), failed(parsed));
                continue;
            }
            CelAbstractSyntaxTree ast;
            try {
                ast = parsed.getAst();
            } catch (CelValidationException e) {
                continue;
            }
            batch.add(new Parsed(expression, ast, shift(CelMutableExprConverter.fromCelExpr(ast.getExpr()), 0)));
            if (batch.size() == BATCH) {
                checkTogether(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            checkTogether(batch);
        }
    }

    /** Whether this condition was compiled in a shared check. */
    boolean compiledAhead(String expression) {
        Compiled known = compiled.get(key(whenCompiler, expression));
        return known != null && known.shared();
    }

    private void checkTogether(List<Parsed> conditions) {
        if (conditions.size() == 1) {
            checkAlone(conditions.get(0));
            return;
        }
        List<CelMutableExpr> elements = new ArrayList<>(conditions.size());
        long[] offsets = new long[conditions.size()];
        long offset = 0;
        for (int i = 0; i < conditions.size(); i++) {
            CelMutableExpr element = CelMutableExprConverter.fromCelExpr(conditions.get(i).ast().getExpr());
            offsets[i] = offset;
            offset = shift(element, offset);
            elements.add(element);
        }
        CelExpr list = CelMutableExprConverter.fromMutableExpr(
                CelMutableExpr.ofList(offset + 1, CelMutableExpr.CelMutableList.create(elements)));
        CelValidationResult result = templateCompiler.check(
                CelAbstractSyntaxTree.newParsedAst(list, CelSource.newBuilder("").build()));
        CelAbstractSyntaxTree ast = null;
        if (!result.hasError()) {
            try {
                ast = result.getAst();
            } catch (CelValidationException e) {
                ast = null;
            }
        }
        if (ast == null || ast.getExpr().getKind() != CelExpr.ExprKind.Kind.LIST
                || ast.getExpr().list().elements().size() != conditions.size()) {
            // one bad condition should not cost the others their shared check: halve until it is among few
            if (conditions.size() > 3) {
                int half = conditions.size() / 2;
                checkTogether(conditions.subList(0, half));
                checkTogether(conditions.subList(half, conditions.size()));
            } else {
                conditions.forEach(this::checkAlone);
            }
            return;
        }
        for (int i = 0; i < conditions.size(); i++) {
            Parsed condition = conditions.get(i);
            CelExpr element = ast.getExpr().list().elements().get(i);
            if (!SimpleType.BOOL.equals(ast.getType(element.id()).orElse(null))) {
                checkAlone(condition);
                continue;
            }
            long from = offsets[i];
            long to = from + condition.maxId();
            CelMutableExpr own = CelMutableExprConverter.fromCelExpr(element);
            shift(own, -from);
            Map<Long, dev.cel.common.ast.CelReference> references = new java.util.HashMap<>();
            ast.getReferenceMap().forEach((id, reference) -> {
                if (id > from && id <= to) {
                    references.put(id - from, reference);
                }
            });
            Map<Long, CelType> types = new java.util.HashMap<>();
            ast.getTypeMap().forEach((id, type) -> {
                if (id > from && id <= to) {
                    types.put(id - from, type);
                }
            });
            CelAbstractSyntaxTree single = CelAbstractSyntaxTree.newCheckedAst(
                    CelMutableExprConverter.fromMutableExpr(own), condition.ast().getSource(), references, types);
            try {
                remember(key(whenCompiler, condition.text()),
                        new Compiled(runtime.createProgram(single), single, List.of(), true));
            } catch (CelEvaluationException e) {
                checkAlone(condition);
            }
        }
    }

    private void checkAlone(Parsed condition) {
        remember(key(whenCompiler, condition.text()), checked(whenCompiler, condition.ast()));
    }

    /**
     * Adds {@code offset} to the id of every node of this tree (and of its map and struct entries);
     * returns the highest id after the shift.
     */
    private static long shift(CelMutableExpr expr, long offset) {
        expr.setId(expr.id() + offset);
        long max = expr.id();
        switch (expr.getKind()) {
            case SELECT -> max = Math.max(max, shift(expr.select().operand(), offset));
            case CALL -> {
                if (expr.call().target().isPresent()) {
                    max = Math.max(max, shift(expr.call().target().get(), offset));
                }
                for (CelMutableExpr argument : expr.call().args()) {
                    max = Math.max(max, shift(argument, offset));
                }
            }
            case LIST -> {
                for (CelMutableExpr element : expr.list().elements()) {
                    max = Math.max(max, shift(element, offset));
                }
            }
            case STRUCT -> {
                for (CelMutableExpr.CelMutableStruct.Entry entry : expr.struct().entries()) {
                    entry.setId(entry.id() + offset);
                    max = Math.max(max, Math.max(entry.id(), shift(entry.value(), offset)));
                }
            }
            case MAP -> {
                for (CelMutableExpr.CelMutableMap.Entry entry : expr.map().entries()) {
                    entry.setId(entry.id() + offset);
                    max = Math.max(max, Math.max(entry.id(),
                            Math.max(shift(entry.key(), offset), shift(entry.value(), offset))));
                }
            }
            case COMPREHENSION -> {
                CelMutableExpr.CelMutableComprehension loop = expr.comprehension();
                for (CelMutableExpr part : List.of(loop.iterRange(), loop.accuInit(), loop.loopCondition(),
                        loop.loopStep(), loop.result())) {
                    max = Math.max(max, shift(part, offset));
                }
            }
            default -> {
                // constants, identifiers: no children
            }
        }
        return max;
    }

    private Compiled compileNow(CelCompiler compiler, String expression) {
        if (expression.codePointCount(0, expression.length()) > MAX_EXPRESSION_LENGTH) {
            return new Compiled(null, null, List.of(new CelProblem(1, 0,
                    "expression is longer than " + MAX_EXPRESSION_LENGTH + " characters")), false);
        }
        CelValidationResult parsed = compiler.parse(expression);
        if (parsed.hasError()) {
            return failed(parsed);
        }
        try {
            return checked(compiler, parsed.getAst());
        } catch (CelValidationException e) {
            return new Compiled(null, null, List.of(new CelProblem(1, 0, clean(e.getMessage()))), false);
        }
    }

    /** The check of a parsed expression and its program, as {@code compiler.compile} would give them. */
    private Compiled checked(CelCompiler compiler, CelAbstractSyntaxTree parsed) {
        CelValidationResult result = compiler.check(parsed);
        if (result.hasError()) {
            return failed(result);
        }
        try {
            CelAbstractSyntaxTree ast = result.getAst();
            return new Compiled(runtime.createProgram(ast), ast, List.of(), false);
        } catch (CelValidationException | CelEvaluationException e) {
            return new Compiled(null, null, List.of(new CelProblem(1, 0, clean(e.getMessage()))), false);
        }
    }

    private static Compiled failed(CelValidationResult result) {
        List<CelProblem> problems = new ArrayList<>();
        for (CelIssue issue : result.getErrors()) {
            problems.add(new CelProblem(Math.max(1, issue.getSourceLocation().getLine()),
                    Math.max(0, issue.getSourceLocation().getColumn()), clean(issue.getMessage())));
        }
        return new Compiled(null, null, problems, false);
    }

    private static String clean(String message) {
        if (message == null) {
            return "invalid expression";
        }
        return message.replace(" (in container '')", "").replace('\n', ' ').trim();
    }

    private static Object call(ConstraintFunction function, Object[] arguments) throws CelEvaluationException {
        List<Object> javaArguments = new ArrayList<>(arguments.length);
        for (Object argument : arguments) {
            javaArguments.add(CelValues.toJava(argument));
        }
        try {
            return CelValues.toCel(function.apply(Collections.unmodifiableList(javaArguments)));
        } catch (RuntimeException e) {
            throw new CelEvaluationException("function '" + function.name() + "' failed: " + e.getMessage(), e);
        }
    }

    private static String overloadId(ConstraintFunction function) {
        StringBuilder id = new StringBuilder("mandate_").append(function.name());
        for (ValueType type : function.parameters()) {
            id.append('_').append(type.name().toLowerCase(java.util.Locale.ROOT));
        }
        return id.toString();
    }

    private static CelType celType(ValueType type) {
        return switch (type) {
            case STRING -> SimpleType.STRING;
            case INT -> SimpleType.INT;
            case DOUBLE -> SimpleType.DOUBLE;
            case BOOL -> SimpleType.BOOL;
            case LIST -> ListType.create(SimpleType.DYN);
            case MAP -> MapType.create(SimpleType.DYN, SimpleType.DYN);
            case DYN -> SimpleType.DYN;
        };
    }

    private static Class<?> javaType(ValueType type) {
        return switch (type) {
            case STRING -> String.class;
            case INT -> Long.class;
            case DOUBLE -> Double.class;
            case BOOL -> Boolean.class;
            case LIST -> List.class;
            case MAP -> Map.class;
            case DYN -> Object.class;
        };
    }

    @Override
    public String toString() {
        return "cel environment with functions " + Arrays.toString(functionsByName.keySet().toArray());
    }
}
