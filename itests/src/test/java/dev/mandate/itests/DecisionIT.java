package dev.mandate.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.util.regex.Pattern;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.fasterxml.jackson.databind.JsonNode;

/** The REST contract against the demo estate the distribution ships: decisions, problems, the model. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DecisionIT extends MandateTestSupport {

    static final String ORDERS_PROD = "aws:rds:db-instance:eu-west-1:111122223333:orders-prod";

    static final String AI_DELETES_ORDERS_PROD = """
            {"actor":{"id":"agent-7","kind":"AI","agent":{"model":"x","promptSha256":"ab"}},
             "action":"delete","target":"%s","justification":"cleanup"}""";

    static final Pattern BASELINE_SOURCE = Pattern.compile("baseline-.*@\\d+\\.\\d+\\.\\d+#.+");

    /** The demo estate is collected asynchronously after boot: wait until the model holds it. */
    @Before
    public void demoEstateLoaded() {
        awaitDemoEstate(this);
    }

    static JsonNode awaitDemoEstate(MandateTestSupport test) {
        HttpResponse<String> page = poll("the demo estate in the model (revision > 0, at least 300 elements)",
                () -> test.get("/mandate/v1/elements?limit=1"),
                response -> response.statusCode() == 200
                        && json(response).path("revision").asLong() > 0
                        && json(response).path("total").asInt() >= 300);
        return json(page);
    }

    @Test
    public void anAiAgentMayNotDeleteAProductionDatabase() {
        HttpResponse<String> response = postJson("/mandate/v1/decisions", AI_DELETES_ORDERS_PROD.formatted(ORDERS_PROD));

        assertEquals(response.body(), 200, response.statusCode());
        JsonNode decision = json(response);
        assertEquals(response.body(), "DENY", decision.path("outcome").asText());
        assertTrue("no reason cites a baseline blueprint: " + response.body(), citesBaseline(decision));
        assertTrue(response.body(), decision.path("modelRevision").asLong() > 0);
        assertTrue(response.body(), decision.path("evidence").asText().startsWith("sha256:"));
    }

    @Test
    public void aMalformedRequestIsAProblem() {
        HttpResponse<String> response = postJson("/mandate/v1/decisions", "{\"actor\": {\"id\": \"agent-7\",");

        assertEquals(response.body(), 400, response.statusCode());
        assertTrue(contentType(response), contentType(response).startsWith("application/problem+json"));
        assertEquals(response.body(), 400, json(response).path("status").asInt());
    }

    @Test
    public void anUnknownTargetIsNotFound() {
        HttpResponse<String> response = postJson("/mandate/v1/decisions",
                AI_DELETES_ORDERS_PROD.formatted("aws:rds:db-instance:eu-west-1:111122223333:no-such-database"));

        assertEquals(response.body(), 404, response.statusCode());
        assertTrue(contentType(response), contentType(response).startsWith("application/problem+json"));
    }

    @Test
    public void theModelIsPagedAndEveryElementAddressable() {
        HttpResponse<String> response = get("/mandate/v1/elements");

        assertEquals(response.body(), 200, response.statusCode());
        JsonNode page = json(response);
        assertTrue(response.body(), page.path("items").isArray() && page.path("items").size() > 0);
        assertTrue(response.body(), page.path("total").asInt() >= 300);
        assertTrue(response.body(), page.path("items").size() <= page.path("total").asInt());

        HttpResponse<String> element = get("/mandate/v1/elements/" + ORDERS_PROD);
        assertEquals(element.body(), 200, element.statusCode());
        assertEquals(element.body(), ORDERS_PROD, json(element).path("id").asText());
        assertEquals(element.body(), "aws:rds:db-instance", json(element).path("kind").asText());
        // the element comes with its revision and relations; ?revision=N answers the same from the history
        long revision = json(element).path("revision").asLong();
        assertTrue(element.body(), revision >= 1);
        assertTrue(element.body(), json(element).path("relations").size() > 0);
        HttpResponse<String> atRevision = get("/mandate/v1/elements/" + ORDERS_PROD + "?revision=" + revision);
        assertEquals(atRevision.body(), 200, atRevision.statusCode());
        assertEquals(atRevision.body(), json(element).path("relations"), json(atRevision).path("relations"));
        assertEquals(atRevision.body(), json(element).path("attributes"), json(atRevision).path("attributes"));
        HttpResponse<String> unknownRevision = get("/mandate/v1/elements/" + ORDERS_PROD + "?revision=" + (revision + 1000));
        assertEquals(unknownRevision.body(), 404, unknownRevision.statusCode());
        assertTrue(unknownRevision.body(), unknownRevision.body().contains("unknown-revision"));

        HttpResponse<String> missing = get("/mandate/v1/elements/aws:rds:db-instance:eu-west-1:111122223333:no-such-database");
        assertEquals(missing.body(), 404, missing.statusCode());
        assertTrue(contentType(missing), contentType(missing).startsWith("application/problem+json"));
    }

    static boolean citesBaseline(JsonNode decision) {
        for (JsonNode reason : decision.path("reasons")) {
            if (BASELINE_SOURCE.matcher(reason.path("source").asText()).matches()) {
                return true;
            }
        }
        return false;
    }
}
