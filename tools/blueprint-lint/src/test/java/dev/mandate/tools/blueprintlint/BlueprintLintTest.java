package dev.mandate.tools.blueprintlint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class BlueprintLintTest {

    private static final Path PACKS = Path.of("../../blueprint-modules");

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return BlueprintLint.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void everyShippedPackLintsCleanTogether() {
        int status = run(PACKS.resolve("baseline/src/main/resources/blueprints").toString(),
                PACKS.resolve("aws-landing-zone/src/main/resources/blueprints").toString(),
                PACKS.resolve("azure-landing-zone/src/main/resources/blueprints").toString(),
                PACKS.resolve("data-residency/src/main/resources/blueprints").toString(),
                PACKS.resolve("pci-segmentation/src/main/resources/blueprints").toString());

        assertThat(stdout()).isEmpty();
        assertThat(status).isEqualTo(BlueprintLint.OK);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("0 problem(s)");
    }

    @Test
    void aPackNeedsItsOwnerTeamFromContext() {
        String pack = PACKS.resolve("aws-landing-zone/src/main/resources/blueprints").toString();
        assertThat(run(pack)).isEqualTo(BlueprintLint.PROBLEMS);
        assertThat(stdout()).contains("owner 'team-platform' is not a known team");

        out.reset();
        assertThat(run("--context", PACKS.resolve("baseline/src/main/resources/blueprints/team-platform.yaml")
                .toString(), pack)).isEqualTo(BlueprintLint.OK);
    }

    @Test
    void problemsArePrintedWithLocationAndWrittenAsSarif() throws IOException {
        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, """
                apiVersion: mandate.dev/v1
                kind: Team
                metadata: {name: team-a, version: 1.0.0}
                spec: {displayName: A}
                ---
                apiVersion: mandate.dev/v1
                kind: Blueprint
                metadata: {name: bad, version: 1.0.0, owner: team-a}
                spec:
                  constraints:
                    - id: typo
                      when: requst.action == "delete"
                      effect: deny
                      message: no
                """);
        Path sarif = dir.resolve("out.sarif");

        int status = run("--sarif", sarif.toString(), broken.toString());

        assertThat(status).isEqualTo(BlueprintLint.PROBLEMS);
        String file = BlueprintLint.display(broken);
        assertThat(stdout()).startsWith(file + ":12:").contains("requst");
        JsonNode log = new ObjectMapper().readTree(sarif.toFile());
        assertThat(log.get("version").asText()).isEqualTo("2.1.0");
        assertThat(log.get("$schema").asText()).isEqualTo(Sarif.SCHEMA);
        JsonNode result = log.get("runs").get(0).get("results").get(0);
        assertThat(result.get("level").asText()).isEqualTo("error");
        assertThat(result.get("ruleId").asText()).isEqualTo(Sarif.RULE_ID);
        assertThat(result.get("message").get("text").asText()).contains("requst");
        JsonNode location = result.get("locations").get(0).get("physicalLocation");
        assertThat(location.get("artifactLocation").get("uri").asText()).isEqualTo(file);
        assertThat(location.get("region").get("startLine").asInt()).isEqualTo(12);
        assertThat(location.get("region").get("startColumn").asInt()).isPositive();
        assertThat(log.get("runs").get(0).get("tool").get("driver").get("rules").get(0).get("id").asText())
                .isEqualTo(Sarif.RULE_ID);
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertThat(run()).isEqualTo(BlueprintLint.USAGE);
        assertThat(run("--sarif")).isEqualTo(BlueprintLint.USAGE);
        assertThat(run("--loud", "x.yaml")).isEqualTo(BlueprintLint.USAGE);
        assertThat(run(dir.resolve("missing.yaml").toString())).isEqualTo(BlueprintLint.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot read");
    }

    @Test
    void anEmptySarifLogHasNoResults() {
        Map<String, Object> log = Sarif.log(List.of());
        assertThat(log).containsEntry("version", "2.1.0");
        assertThat(((List<?>) log.get("runs"))).hasSize(1);
    }
}
