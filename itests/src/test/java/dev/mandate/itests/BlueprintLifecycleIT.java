package dev.mandate.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A blueprint pack's life in a running instance: a pack bundle is upgraded in place and the same
 * request decides differently; a broken version is rejected with file, line, column and reason
 * (over REST, in the shell and in the evidence ledger) while the good version stays in force; a new
 * version rolled out in shadow is reported, promoted with one command, and stays promoted when the
 * intent service restarts. The packs are built here, as a vendor would ship them: a jar with the
 * {@code Mandate-Blueprints} header and YAML documents.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BlueprintLifecycleIT extends MandateTestSupport {

    private static final String DECISIONS = "/mandate/v1/decisions";
    private static final String TARGET = DecisionIT.ORDERS_PROD;
    private static final String UPDATE = """
            {"actor":{"id":"alice","kind":"HUMAN","team":"team-payments"},"action":"update",
             "target":"%s","justification":"maintenance window","context":{"ticket":"%s"}}""";

    @Before
    public void demoEstateLoaded() {
        DecisionIT.awaitDemoEstate(this);
    }

    @Test
    public void aPackIsUpgradedInPlaceAndABrokenVersionIsRejectedWhileTheGoodOneStaysInForce() throws Exception {
        String request = UPDATE.formatted(TARGET, "LIFECYCLE-1");
        long evidenceBefore = lastEvidenceSequence();

        // v1: the update needs approval
        Bundle pack = bundleContext.installBundle("it:lifecycle-pack", pack("it.lifecycle.pack", "1.0.0",
                Map.of("blueprints/lifecycle.yaml", lifecycle("1.0.0", "require-approval", "request.action"))));
        pack.start();
        blueprintVersion("it-lifecycle", "1.0.0");
        JsonNode first = decide(request);
        assertEquals(first.toString(), "REQUIRE_APPROVAL", first.path("outcome").asText());
        assertTrue(first.toString(), cites(first, "it-lifecycle@1.0.0#maintenance"));

        // v2 replaces it in place: the same request is denied
        pack.update(pack("it.lifecycle.pack", "2.0.0",
                Map.of("blueprints/lifecycle.yaml", lifecycle("2.0.0", "deny", "request.action"))));
        blueprintVersion("it-lifecycle", "2.0.0");
        JsonNode second = decide(request);
        assertEquals(second.toString(), "DENY", second.path("outcome").asText());
        assertTrue(second.toString(), cites(second, "it-lifecycle@2.0.0#maintenance"));
        assertTrue(second.toString(), !cites(second, "it-lifecycle@1.0.0#maintenance"));

        // the shell shows the version in force in full
        String shown = executeCommand("mandate:blueprint it-lifecycle");
        int databases = json(get("/mandate/v1/elements?kind=aws:rds:db-instance&limit=1")).path("total").asInt();
        assertTrue(shown, databases > 0);
        for (String expected : List.of("Version      2.0.0", "Owner        team-platform", "Hash         sha256:",
                "Source       bundle:it.lifecycle.pack/blueprints/lifecycle.yaml", "Mode         enforce",
                "Applies to   kinds aws:rds:db-instance; providers any; environments any",
                "Governs      " + databases + " elements", "maintenance", "deny")) {
            assertTrue("'" + expected + "' missing in:\n" + shown, shown.contains(expected));
        }
        JsonNode detail = json(get("/mandate/v1/blueprints/it-lifecycle/detail"));
        assertEquals(detail.toString(), "enforce", detail.path("mode").asText());
        assertEquals(detail.toString(), "aws:rds:db-instance", detail.path("appliesTo").path("kinds").path(0).asText());

        // v3 does not compile (an undeclared variable): rejected, v2 stays in force
        pack.update(pack("it.lifecycle.pack", "3.0.0",
                Map.of("blueprints/lifecycle.yaml", lifecycle("3.0.0", "allow", "requested.action"))));
        JsonNode rejection = poll("the rejection of v3 listed over REST", () -> json(get("/mandate/v1/intent/rejections")),
                list -> rejectionOf(list, "bundle:it.lifecycle.pack") != null);
        JsonNode problem = rejectionOf(rejection, "bundle:it.lifecycle.pack").path("problems").path(0);
        assertEquals(problem.toString(), "blueprints/lifecycle.yaml", problem.path("file").asText());
        assertEquals(problem.toString(), 16, problem.path("line").asInt());
        assertTrue(problem.toString(), problem.path("column").asInt() > 0);
        assertTrue(problem.toString(), problem.path("message").asText().contains("requested"));
        String located = "blueprints/lifecycle.yaml:16:" + problem.path("column").asInt() + ":";
        String listed = executeCommand("mandate:blueprint-rejections");
        assertTrue(listed, listed.contains("bundle:it.lifecycle.pack") && listed.contains(located));

        assertEquals("2.0.0", json(get("/mandate/v1/blueprints/it-lifecycle")).path("version").asText());
        JsonNode third = decide(request);
        assertEquals(third.toString(), "DENY", third.path("outcome").asText());
        assertTrue(third.toString(), cites(third, "it-lifecycle@2.0.0#maintenance"));

        // every step is evidence: loaded v1, replaced by v2, v3 rejected with its location
        List<JsonNode> evidence = evidenceSince(evidenceBefore, "it-lifecycle");
        assertTrue(evidence.toString(), has(evidence, "blueprint.loaded", "1.0.0"));
        assertTrue(evidence.toString(), has(evidence, "blueprint.replaced", "2.0.0"));
        JsonNode rejected = evidenceSince(evidenceBefore, "source", "bundle:it.lifecycle.pack").stream()
                .filter(record -> "blueprint.rejected".equals(record.path("type").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no blueprint.rejected evidence"));
        assertTrue(rejected.toString(), rejected.path("payload").path("errors").path(0).asText().startsWith(located));
        assertEquals(rejected.toString(), "bundle:it.lifecycle.pack/blueprints/lifecycle.yaml",
                rejected.path("payload").path("origin").asText());

        // uninstalling the pack withdraws it, as evidence
        pack.uninstall();
        poll("it-lifecycle withdrawn", () -> get("/mandate/v1/blueprints/it-lifecycle"),
                response -> response.statusCode() == 404);
        assertTrue(has(evidenceSince(evidenceBefore, "it-lifecycle"), "blueprint.withdrawn", "2.0.0"));
    }

    @Test
    public void aShadowVersionIsReportedPromotedWithOneCommandAndStaysPromotedAcrossARestart() throws Exception {
        String request = UPDATE.formatted(TARGET, "SHADOW-1");
        long evidenceBefore = lastEvidenceSequence();
        Map<String, String> files = new LinkedHashMap<>();
        files.put("blueprints/rollout-v1.yaml", rollout("1.0.0", "require-approval", false));
        files.put("blueprints/rollout-v2.yaml", rollout("2.0.0", "deny", true));
        Bundle pack = bundleContext.installBundle("it:rollout-pack", pack("it.rollout.pack", "1.0.0", files));
        pack.start();
        blueprintVersion("it-rollout", "1.0.0");

        // decisions count v1 only; the shadow v2 would have denied
        JsonNode decided = decide(request);
        assertEquals(decided.toString(), "REQUIRE_APPROVAL", decided.path("outcome").asText());
        assertTrue(decided.toString(), cites(decided, "it-rollout@1.0.0#maintenance"));
        assertTrue(decided.toString(), !cites(decided, "it-rollout@2.0.0#maintenance"));
        decide(UPDATE.formatted(TARGET, "SHADOW-2"));

        JsonNode report = json(get("/mandate/v1/blueprints/it-rollout/shadow-report"));
        assertEquals(report.toString(), "1.0.0", report.path("inForce").asText());
        assertEquals(report.toString(), "2.0.0", report.path("shadow").asText());
        assertTrue(report.toString(), report.path("evaluations").asLong() >= 2);
        JsonNode difference = report.path("differences").path(0);
        assertEquals(report.toString(), TARGET, difference.path("target").asText());
        assertEquals(report.toString(), "require-approval", difference.path("inForceEffect").asText());
        assertEquals(report.toString(), "deny", difference.path("shadowEffect").asText());
        String shown = executeCommand("mandate:blueprint-shadow-report it-rollout");
        assertTrue(shown, shown.contains("in force 1.0.0, shadow 2.0.0") && shown.contains(TARGET));
        assertTrue(executeCommand("mandate:blueprint it-rollout"), executeCommand("mandate:blueprint it-rollout")
                .contains("Shadow       2.0.0"));

        // one command puts v2 in force
        String promoted = executeCommand("mandate:blueprint-promote it-rollout");
        assertTrue(promoted, promoted.contains("version 2.0.0 is in force"));
        assertEquals("2.0.0", json(get("/mandate/v1/blueprints/it-rollout")).path("version").asText());
        JsonNode after = decide(UPDATE.formatted(TARGET, "SHADOW-3"));
        assertEquals(after.toString(), "DENY", after.path("outcome").asText());
        assertTrue(after.toString(), cites(after, "it-rollout@2.0.0#maintenance"));
        assertEquals(404, get("/mandate/v1/blueprints/it-rollout/shadow-report").statusCode());
        JsonNode evidence = evidenceSince(evidenceBefore, "it-rollout").stream()
                .filter(record -> "blueprint.promoted".equals(record.path("type").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no blueprint.promoted evidence"));
        assertEquals(evidence.toString(), "1.0.0", evidence.path("payload").path("previousVersion").asText());
        assertTrue(evidence.toString(), evidence.path("payload").path("shadowEvaluations").asLong() >= 2);

        // the promotion outlives a restart of the intent service
        Bundle intent = bundle("dev.mandate.kernel.intent");
        intent.stop();
        intent.start();
        HttpResponse<String> blueprint = poll("it-rollout in force again after the restart",
                () -> get("/mandate/v1/blueprints/it-rollout"), response -> response.statusCode() == 200);
        assertEquals(blueprint.body(), "2.0.0", json(blueprint).path("version").asText());
        HttpResponse<String> restarted = poll("a decision after the restart", () -> postJson(DECISIONS,
                UPDATE.formatted(TARGET, "SHADOW-4")), response -> response.statusCode() == 200);
        assertTrue(restarted.body(), cites(json(restarted), "it-rollout@2.0.0#maintenance"));
        assertEquals(restarted.body(), "DENY", json(restarted).path("outcome").asText());

        pack.uninstall();
        poll("it-rollout withdrawn", () -> get("/mandate/v1/blueprints/it-rollout"),
                response -> response.statusCode() == 404);
    }

    @Test
    public void aYamlDroppedIntoDeployIsLoadedUpgradedRejectedWhenBrokenAndWithdrawnWhenDeleted() throws Exception {
        Path deploy = Path.of(System.getProperty("karaf.base"), "deploy");
        Path file = deploy.resolve("it-deployed.yaml");
        String source = "file:" + file.toAbsolutePath().normalize();
        String request = UPDATE.formatted(TARGET, "DEPLOY-1");
        long evidenceBefore = lastEvidenceSequence();

        // dropped in: loaded, and it decides
        drop(file, deployed("1.0.0", "require-approval", "request.action"));
        JsonNode loaded = blueprintVersion("it-deployed", "1.0.0");
        assertEquals(loaded.toString(), source, loaded.path("origin").asText());
        boolean listed = false;
        for (JsonNode blueprint : json(get("/mandate/v1/blueprints"))) {
            listed |= "it-deployed".equals(blueprint.path("name").asText());
        }
        assertTrue("it-deployed missing in GET /mandate/v1/blueprints", listed);
        JsonNode first = decide(request);
        assertEquals(first.toString(), "REQUIRE_APPROVAL", first.path("outcome").asText());
        assertTrue(first.toString(), cites(first, "it-deployed@1.0.0#maintenance"));

        // replaced by a higher version: upgraded in place
        drop(file, deployed("2.0.0", "deny", "request.action"));
        blueprintVersion("it-deployed", "2.0.0");
        JsonNode second = decide(request);
        assertEquals(second.toString(), "DENY", second.path("outcome").asText());
        assertTrue(second.toString(), cites(second, "it-deployed@2.0.0#maintenance"));

        // replaced by a broken version: rejected with file, line, column and reason; 2.0.0 stays in force
        drop(file, deployed("3.0.0", "allow", "requested.action"));
        JsonNode rejections = poll("the rejection of the deployed v3 listed over REST",
                () -> json(get("/mandate/v1/intent/rejections")), list -> rejectionOf(list, source) != null);
        JsonNode problem = rejectionOf(rejections, source).path("problems").path(0);
        assertEquals(problem.toString(), "it-deployed.yaml", problem.path("file").asText());
        assertEquals(problem.toString(), 16, problem.path("line").asInt());
        assertTrue(problem.toString(), problem.path("column").asInt() > 0);
        assertTrue(problem.toString(), problem.path("message").asText().contains("requested"));
        assertEquals("2.0.0", json(get("/mandate/v1/blueprints/it-deployed")).path("version").asText());
        JsonNode third = decide(request);
        assertEquals(third.toString(), "DENY", third.path("outcome").asText());
        JsonNode rejected = evidenceSince(evidenceBefore, "source", source).stream()
                .filter(record -> "blueprint.rejected".equals(record.path("type").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no blueprint.rejected evidence"));
        JsonNode payload = rejected.path("payload");
        assertEquals(rejected.toString(), "it-deployed", payload.path("name").asText());
        assertEquals(rejected.toString(), "3.0.0", payload.path("version").asText());
        JsonNode located = payload.path("problems").path(0);
        assertEquals(rejected.toString(), "it-deployed.yaml", located.path("file").asText());
        assertEquals(rejected.toString(), 16, located.path("line").asInt());
        assertEquals(rejected.toString(), problem.path("column").asInt(), located.path("column").asInt());
        assertTrue(rejected.toString(), located.path("reason").asText().contains("requested"));

        // deleted: withdrawn, as evidence
        Files.delete(file);
        poll("it-deployed withdrawn", () -> get("/mandate/v1/blueprints/it-deployed"),
                response -> response.statusCode() == 404);
        List<JsonNode> evidence = evidenceSince(evidenceBefore, "it-deployed");
        assertTrue(evidence.toString(), has(evidence, "blueprint.loaded", "1.0.0"));
        assertTrue(evidence.toString(), has(evidence, "blueprint.replaced", "2.0.0"));
        assertTrue(evidence.toString(), has(evidence, "blueprint.withdrawn", "2.0.0"));
        poll("the rejection of the deleted file forgotten", () -> json(get("/mandate/v1/intent/rejections")),
                list -> rejectionOf(list, source) == null);
    }

    /**
     * Puts a file into the deploy folder in one step (written beside it, then moved), with a
     * modification time FileInstall cannot mistake for the previous content's.
     */
    private static void drop(Path file, String text) throws IOException {
        Path next = file.resolveSibling(file.getFileName() + ".next");
        Files.writeString(next, text, StandardCharsets.UTF_8);
        FileTime previous = Files.exists(file) ? Files.getLastModifiedTime(file) : FileTime.fromMillis(0);
        Files.setLastModifiedTime(next, FileTime.fromMillis(Math.max(System.currentTimeMillis(),
                previous.toMillis() + 2000)));
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The lifecycle blueprint under another name, as an operator would drop it into {@code deploy/}. */
    private static String deployed(String version, String effect, String action) {
        return lifecycle(version, effect, action).replace("name: it-lifecycle", "name: it-deployed")
                .replace("(integration test pack)", "(integration test, deploy folder)");
    }

    // ------------------------------------------------------------------ packs

    /** A blueprint for every RDS instance: a human update is {@code effect}; {@code action} is the CEL it reads. */
    private static String lifecycle(String version, String effect, String action) {
        return """
                apiVersion: mandate.dev/v1
                kind: Blueprint
                metadata:
                  name: it-lifecycle
                  version: %s
                  owner: team-platform
                  description: database maintenance by people is announced first (integration test pack)
                spec:
                  appliesTo:
                    kinds: [aws:rds:db-instance]
                  constraints:
                    - id: maintenance
                      effect: %s
                      severity: medium
                      message: database maintenance needs an announced window
                      when: %s == "update" && actor.kind == "HUMAN"
                """.formatted(version, effect, action);
    }

    private static String rollout(String version, String effect, boolean shadow) {
        return """
                apiVersion: mandate.dev/v1
                kind: Blueprint
                metadata:
                  name: it-rollout
                  version: %s
                  owner: team-platform
                  description: database maintenance rules, rolled out in shadow first (integration test pack)
                spec:
                  rollout: %s
                  appliesTo:
                    kinds: [aws:rds:db-instance]
                  constraints:
                    - id: maintenance
                      effect: %s
                      severity: medium
                      message: database maintenance needs an announced window
                      when: request.action == "update" && actor.kind == "HUMAN"
                """.formatted(version, shadow ? "shadow" : "active", effect);
    }

    /** A pack bundle: the {@code Mandate-Blueprints} header and the given files, nothing else. */
    private static ByteArrayInputStream pack(String symbolicName, String version, Map<String, String> files) {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", symbolicName);
        main.putValue("Bundle-Version", version);
        main.putValue("Mandate-Blueprints", "blueprints");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
            jar.putNextEntry(new JarEntry("blueprints/"));
            jar.closeEntry();
            for (Map.Entry<String, String> file : files.entrySet()) {
                jar.putNextEntry(new JarEntry(file.getKey()));
                jar.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                jar.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ByteArrayInputStream(bytes.toByteArray());
    }

    // ---------------------------------------------------------------- helpers

    private JsonNode blueprintVersion(String name, String version) {
        return json(poll(name + " " + version + " in force", () -> get("/mandate/v1/blueprints/" + name),
                response -> response.statusCode() == 200 && version.equals(json(response).path("version").asText())));
    }

    private JsonNode decide(String request) {
        HttpResponse<String> response = postJson(DECISIONS, request);
        assertEquals(response.body(), 200, response.statusCode());
        return json(response);
    }

    private static boolean cites(JsonNode decision, String source) {
        for (JsonNode reason : decision.path("reasons")) {
            if (source.equals(reason.path("source").asText())) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode rejectionOf(JsonNode rejections, String source) {
        for (JsonNode rejection : rejections) {
            if (source.equals(rejection.path("source").asText())) {
                return rejection;
            }
        }
        return null;
    }

    private long lastEvidenceSequence() {
        long last = 0;
        while (true) {
            JsonNode page = json(get("/mandate/v1/evidence?since=" + (last + 1) + "&limit=1000"));
            if (page.size() == 0) {
                return last;
            }
            last = page.path(page.size() - 1).path("sequence").asLong();
        }
    }

    /** The evidence records after {@code sequence} whose payload names this blueprint. */
    private List<JsonNode> evidenceSince(long sequence, String name) {
        return evidenceSince(sequence, "name", name);
    }

    /** The evidence records after {@code sequence} whose payload has this value in this field. */
    private List<JsonNode> evidenceSince(long sequence, String field, String value) {
        List<JsonNode> records = new ArrayList<>();
        long next = sequence + 1;
        while (true) {
            JsonNode page = json(get("/mandate/v1/evidence?since=" + next + "&limit=1000"));
            if (page.size() == 0) {
                return records;
            }
            for (JsonNode record : page) {
                if (value.equals(record.path("payload").path(field).asText())) {
                    records.add(record);
                }
                next = record.path("sequence").asLong() + 1;
            }
        }
    }

    private static boolean has(List<JsonNode> evidence, String type, String version) {
        return evidence.stream().anyMatch(record -> type.equals(record.path("type").asText())
                && version.equals(record.path("payload").path("version").asText()));
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle bundle : bundleContext.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }
}
