package dev.mandate.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code GET /mandate/v1/conformance} on the demo estate: every Appendix A row judged from live
 * facts that agree with the rest of the API, and the Appendix B score adding up to its band.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConformanceIT extends MandateTestSupport {

    @Before
    public void demoEstateLoadedAndADecisionMade() {
        DecisionIT.awaitDemoEstate(this);
        HttpResponse<String> decision = postJson("/mandate/v1/decisions",
                DecisionIT.AI_DELETES_ORDERS_PROD.formatted(DecisionIT.ORDERS_PROD));
        assertEquals(decision.body(), 200, decision.statusCode());
    }

    @Test
    public void theSelfAssessmentShowsTheDemoEstatesRealNumbers() {
        HttpResponse<String> response = get("/mandate/v1/conformance");

        assertEquals(response.body(), 200, response.statusCode());
        JsonNode assessment = json(response);
        JsonNode rows = assessment.path("appendixA");
        assertEquals(response.body(), 7, rows.size());
        List<String> ids = new ArrayList<>();
        rows.forEach(row -> ids.add(row.path("id").asText()));
        assertEquals(List.of("iom-a-1", "iom-a-2", "iom-a-3", "iom-a-4", "iom-a-5", "iom-a-6", "iom-a-7"), ids);

        // ownership: the same element count the model reports, and the demo's unowned elements show
        long total = json(get("/mandate/v1/elements?limit=1")).path("total").asLong();
        JsonNode ownership = rows.get(3).path("facts");
        assertEquals(response.body(), total, ownership.path("elements").asLong());
        long owned = ownership.path("withOwner").asLong();
        assertTrue(response.body(), owned > 0 && owned <= total);
        assertEquals(response.body(), owned == total, rows.get(3).path("met").asBoolean());
        assertEquals(response.body(), Math.round(1000.0 * owned / total) / 1000.0,
                ownership.path("ownerShare").asDouble(), 1e-9);

        // blueprints: the baseline pack is in force and governs part of the estate
        JsonNode intent = rows.get(1).path("facts");
        assertTrue(response.body(), intent.path("blueprints").asInt() >= 1);
        assertTrue(response.body(), intent.path("governedElements").asInt() > 0);

        // reconciliation: the file connector of the demo estate is bound and has run
        JsonNode state = rows.get(0).path("facts");
        assertTrue(response.body(), state.path("connectors").asInt() >= 1);
        assertTrue(response.body(), state.path("oldestSuccessSeconds").asLong() >= 0);

        // execution: at least the decision made above, decided before anything ran
        JsonNode execution = rows.get(4).path("facts");
        assertTrue(response.body(), execution.path("decisions").asInt() >= 1);

        // evidence: the ledger verifies and the node key signs checkpoints
        JsonNode evidence = rows.get(5).path("facts");
        assertTrue(response.body(), evidence.path("ledgerVerified").asBoolean());
        assertTrue(response.body(), evidence.path("records").asLong() > 0);
        assertTrue(response.body(), rows.get(5).path("met").asBoolean());

        // AI: the AI decision above names its agent
        JsonNode ai = rows.get(6).path("facts");
        assertTrue(response.body(), ai.path("aiDecisions").asInt() >= 1);
        assertEquals(response.body(), ai.path("aiDecisions").asInt(), ai.path("aiDecisionsNamingTheAgent").asInt());

        boolean all = true;
        for (JsonNode row : rows) {
            all &= row.path("met").asBoolean();
            assertFalse(response.body(), row.path("because").asText().isBlank());
        }
        assertEquals(response.body(), all, assessment.path("conformant").asBoolean());

        JsonNode maturity = assessment.path("maturity");
        assertEquals(response.body(), 6, maturity.size());
        int sum = 0;
        for (JsonNode dimension : maturity) {
            assertEquals(response.body(), 4, dimension.path("criteria").size());
            int score = 0;
            for (JsonNode criterion : dimension.path("criteria")) {
                int value = criterion.path("score").asInt();
                assertTrue(response.body(), value >= 0 && value <= 3);
                score += value;
            }
            assertEquals(response.body(), score, dimension.path("score").asInt());
            sum += score;
        }
        int reported = assessment.path("total").asInt();
        assertEquals(response.body(), sum, reported);
        assertTrue(response.body(), reported > 0);
        String band = reported <= 18 ? "Pre-IOM" : reported <= 36 ? "Emerging" : reported <= 54 ? "Developing" : "Governed";
        assertEquals(response.body(), band, assessment.path("band").asText());
    }

    @Test
    public void theShellShowsTheSameAssessment() {
        String output = executeCommand("mandate:conformance --criteria");

        assertTrue(output, output.contains("IOM Appendix A at model revision"));
        assertTrue(output, output.contains("iom-a-7"));
        assertTrue(output, output.contains("IOM maturity:"));
        assertTrue(output, output.contains("ledger verifies"));
    }

    @Test
    public void theCheckpointKeyIsPublishedAsJwksAndPem() throws Exception {
        JsonNode jwks = json(get("/mandate/v1/evidence/keys"));
        assertEquals(jwks.toString(), "Ed25519", jwks.path("keys").get(0).path("crv").asText());

        HttpResponse<String> pem = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                .newBuilder(java.net.URI.create(baseUrl() + "/mandate/v1/evidence/keys"))
                .header("Accept", "application/x-pem-file").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(pem.body(), 200, pem.statusCode());
        assertTrue(pem.body(), pem.body().startsWith("-----BEGIN PUBLIC KEY-----"));
    }
}
