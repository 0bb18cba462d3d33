package dev.mandate.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

import com.fasterxml.jackson.databind.JsonNode;

/** Blueprint packs and connectors come and go as features while the instance runs, with no restart. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HotDeployIT extends MandateTestSupport {

    private static final String DECISIONS = "/mandate/v1/decisions";
    private static final String REQUEST = DecisionIT.AI_DELETES_ORDERS_PROD.formatted(DecisionIT.ORDERS_PROD);

    @Before
    public void demoEstateLoaded() {
        DecisionIT.awaitDemoEstate(this);
    }

    @Test
    public void removingTheBaselinePackWithdrawsItsConstraintsAndInstallingItRestoresThem() {
        decisionCitingBaseline(true);

        String uninstall = executeCommand("feature:uninstall -r mandate-blueprints-baseline");
        assertFalse(uninstall, isFeatureInstalled("mandate-blueprints-baseline"));
        decisionCitingBaseline(false);

        executeCommand("feature:install -r mandate-blueprints-baseline");
        decisionCitingBaseline(true);
    }

    @Test
    public void removingTheFileConnectorKeepsWhatItReportedAndItComesBack() {
        int before = DecisionIT.awaitDemoEstate(this).path("total").asInt();

        String uninstall = executeCommand("feature:uninstall -r mandate-connector-file");
        poll("the file connector bundle gone", () -> bundle("dev.mandate.connector.file"), bundle -> bundle == null);
        assertFalse(uninstall, isFeatureInstalled("mandate-connector-file"));
        JsonNode withoutConnector = json(get("/mandate/v1/elements?limit=1"));
        assertEquals("elements were dropped when their connector left", before, withoutConnector.path("total").asInt());
        assertEquals(200, get("/mandate/v1/elements/" + DecisionIT.ORDERS_PROD).statusCode());

        executeCommand("feature:install -r mandate-connector-file");
        Bundle connector = poll("the file connector bundle active again", () -> bundle("dev.mandate.connector.file"),
                bundle -> bundle != null && bundle.getState() == Bundle.ACTIVE);
        assertTrue(connector.getSymbolicName(), isFeatureInstalled("mandate-connector-file"));
        JsonNode withConnector = json(get("/mandate/v1/elements?limit=1"));
        assertEquals(before, withConnector.path("total").asInt());
    }

    private JsonNode decisionCitingBaseline(boolean cited) {
        HttpResponse<String> response = poll("a decision that " + (cited ? "cites" : "no longer cites")
                        + " a baseline blueprint",
                () -> postJson(DECISIONS, REQUEST),
                candidate -> candidate.statusCode() == 200 && DecisionIT.citesBaseline(json(candidate)) == cited);
        return json(response);
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle bundle : bundleContext.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        return null;
    }
}
