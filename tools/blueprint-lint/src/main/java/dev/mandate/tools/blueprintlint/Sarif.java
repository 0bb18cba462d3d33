package dev.mandate.tools.blueprintlint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.mandate.kernel.intent.Problem;

/** Writes problems as a SARIF 2.1.0 log (OASIS Static Analysis Results Interchange Format), one run, one rule. */
final class Sarif {

    static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
    static final String RULE_ID = "mandate/intent-document";

    private Sarif() {
    }

    static void write(Path file, List<Problem> problems) throws IOException {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), log(problems));
    }

    static Map<String, Object> log(List<Problem> problems) {
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("id", RULE_ID);
        rule.put("name", "IntentDocumentWouldNotLoad");
        rule.put("shortDescription", Map.of("text", "an intent document that the Mandate kernel would reject"));
        rule.put("fullDescription", Map.of("text", "YAML syntax, required fields, versions, effects, CEL parsing "
                + "and type checking, owners that are known teams, name conflicts: anything that makes the kernel "
                + "reject the file and keep what was in force"));
        rule.put("defaultConfiguration", Map.of("level", "error"));

        Map<String, Object> driver = new LinkedHashMap<>();
        driver.put("name", "mandate-blueprint-lint");
        String version = Sarif.class.getPackage().getImplementationVersion();
        driver.put("semanticVersion", version == null ? "0.1.0" : version);
        driver.put("rules", List.of(rule));

        List<Object> results = new ArrayList<>();
        for (Problem problem : problems) {
            Map<String, Object> region = new LinkedHashMap<>();
            region.put("startLine", Math.max(1, problem.line()));
            if (problem.column() > 0) {
                region.put("startColumn", problem.column());
            }
            Map<String, Object> physical = new LinkedHashMap<>();
            physical.put("artifactLocation", Map.of("uri", problem.file()));
            physical.put("region", region);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("ruleId", RULE_ID);
            result.put("ruleIndex", 0);
            result.put("level", "error");
            result.put("message", Map.of("text", problem.message()));
            result.put("locations", List.of(Map.of("physicalLocation", physical)));
            results.add(result);
        }
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("tool", Map.of("driver", driver));
        run.put("columnKind", "unicodeCodePoints");
        run.put("results", results);
        Map<String, Object> log = new LinkedHashMap<>();
        log.put("$schema", SCHEMA);
        log.put("version", "2.1.0");
        log.put("runs", List.of(run));
        return log;
    }
}
