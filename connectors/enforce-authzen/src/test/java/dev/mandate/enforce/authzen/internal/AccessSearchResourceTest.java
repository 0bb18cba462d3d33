package dev.mandate.enforce.authzen.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mandate.api.evidence.EvidenceRecord;
import dev.mandate.kernel.auth.internal.ApiTokens;
import dev.mandate.kernel.auth.internal.CallerAuthenticatorImpl;
import dev.mandate.kernel.decision.internal.DecisionWorld;
import dev.mandate.kernel.decision.internal.EnforcementPointImpl;

import javax.ws.rs.core.Response;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The AuthZEN search APIs and caller authentication on the real decision path (the kernel's model store on H2,
 * the intent engine with the baseline pack, the decision point and the enforcement point): a search answers
 * exactly what evaluating each candidate answers, page by page; the authenticated PEP is recorded.
 */
class AccessSearchResourceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "envoy-pep-token-0123456789abcdefghijklmnopqrstuvwxyz";
    private static final String OTHER = "someone-token-0123456789abcdefghijklmnopqrstuvwxyz";
    private static final String BEARER = "Bearer " + TOKEN;
    private static final String PLAN = "9b74c9897bac770ffc029102a200c5de3b2b2d3c7e1b0e5a7f0c8d9e6a5b4c3d";
    private static final String PAUL = "{\"type\":\"user\",\"id\":\"paul\",\"properties\":{\"team\":\"team-payments\","
            + "\"groups\":[\"grp-payments\"],\"assurance\":\"mfa\"}}";
    private static final String AGENT = "{\"type\":\"agent\",\"id\":\"agent-7\",\"properties\":{\"model\":"
            + "\"claude-sonnet-4-5\",\"plan_sha256\":\"" + PLAN + "\"}}";

    private static DecisionWorld world;
    private static AuthZenAdapter adapter;
    private static AccessSearchResource search;
    private static AccessEvaluationResource evaluations;

    @BeforeAll
    static void start() throws Exception {
        world = new DecisionWorld("authzen-search");
        EnforcementPointImpl enforcement = new EnforcementPointImpl(world.decisionPoint, world.ledger);
        adapter = new AuthZenAdapter(AuthZenAdapter.settingsOf("", new String[] {"user=HUMAN", "agent=AI"}, 100,
                false).access(true, new String[] {"mandate-pep"}, 3, 1000));
        CallerAuthenticatorImpl authenticator = new CallerAuthenticatorImpl(null, null, ApiTokens.of(new String[] {
            "envoy-pep:sha256:" + sha256(TOKEN) + ":mandate-pep", "someone:sha256:" + sha256(OTHER)}), List.of(),
                List.of());
        search = new AccessSearchResource(enforcement, adapter, world.store, authenticator);
        evaluations = new AccessEvaluationResource(enforcement, adapter, authenticator);
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    private static String sha256(String token) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
                token.getBytes(StandardCharsets.UTF_8)));
    }

    private static ByteArrayInputStream body(String json) {
        return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, Object> read(Response response) throws Exception {
        assertThat(response.getStatus()).as(new String((byte[]) response.getEntity(), StandardCharsets.UTF_8))
                .isEqualTo(200);
        return JSON.readValue((byte[]) response.getEntity(), new TypeReference<Map<String, Object>>() { });
    }

    /** The ids a resource search finds, following next_token to the end, and how many pages it took. */
    @SuppressWarnings("unchecked")
    private static List<String> searchAll(String subject, String action, String type, List<Integer> pages)
            throws Exception {
        List<String> found = new ArrayList<>();
        String token = "";
        do {
            Map<String, Object> page = read(search.resource(body("{\"subject\":" + subject + ",\"action\":{\"name\":\""
                    + action + "\"},\"resource\":{\"type\":\"" + type + "\"},\"page\":{\"token\":\"" + token
                    + "\"}}"), null, BEARER));
            List<Map<String, Object>> results = (List<Map<String, Object>>) page.get("results");
            results.forEach(r -> {
                assertThat(r.get("type")).isEqualTo(type);
                found.add((String) r.get("id"));
            });
            pages.add(results.size());
            token = (String) ((Map<String, Object>) page.get("page")).get("next_token");
        } while (!token.isEmpty());
        return found;
    }

    private static boolean evaluate(String subject, String action, String id) throws Exception {
        Map<String, Object> answer = read(evaluations.evaluation(body("{\"subject\":" + subject + ",\"action\":"
                + "{\"name\":\"" + action + "\"},\"resource\":{\"type\":\"element\",\"id\":\"" + id + "\"}}"), null,
                BEARER));
        return Boolean.TRUE.equals(answer.get("decision"));
    }

    @Test
    void aResourceSearchFindsExactlyTheElementsEachEvaluationAllowsPageByPage() throws Exception {
        List<String> candidates = world.store.current().query(new dev.mandate.api.model.ElementQuery(
                "aws:ec2:instance", null, null, null, null, null, null, 1000)).items().stream()
                .map(dev.mandate.api.model.Element::id).toList();
        List<String> allowed = new ArrayList<>();
        for (String id : candidates) {
            if (evaluate(PAUL, "restart", id)) {
                allowed.add(id);
            }
        }
        assertThat(allowed).as("some instances allowed, some not: the search has something to tell")
                .isNotEmpty().hasSizeLessThan(candidates.size());

        List<Integer> pages = new ArrayList<>();
        assertThat(searchAll(PAUL, "restart", "aws:ec2:instance", pages)).containsExactlyElementsOf(allowed);
        assertThat(pages).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(3));
        assertThat(pages.size()).isGreaterThan(1);
    }

    @Test
    void anAgentFindsNoProductionDatabaseItMayDelete() throws Exception {
        List<String> deletable = searchAll(AGENT, "delete", "aws:rds:db-instance", new ArrayList<>());
        assertThat(deletable).doesNotContain(world.target("orders-db"), world.target("ledger-db"));
        int before = world.ledger.records().size();
        searchAll(AGENT, "delete", "aws:rds:db-instance", new ArrayList<>());
        List<EvidenceRecord> recorded = world.ledger.records().subList(before, world.ledger.records().size());
        assertThat(recorded).as("every candidate is decided and recorded as a what-if").isNotEmpty();
        assertThat(recorded.toString()).contains("envoy-pep");
    }

    @Test
    @SuppressWarnings("unchecked")
    void anActionSearchListsTheActionsEachEvaluationAllows() throws Exception {
        String ordersDb = world.target("orders-db");
        Map<String, Object> answer = read(search.action(body("{\"subject\":" + AGENT + ",\"resource\":{\"type\":"
                + "\"element\",\"id\":\"" + ordersDb + "\"}}"), null, BEARER));
        List<String> names = ((List<Map<String, Object>>) answer.get("results")).stream()
                .map(r -> (String) r.get("name")).toList();
        List<String> expected = new ArrayList<>();
        for (dev.mandate.api.decision.Action action : dev.mandate.api.decision.Action.values()) {
            if (evaluate(AGENT, action.wireName(), ordersDb)) {
                expected.add(action.wireName());
            }
        }
        assertThat(names).containsExactlyElementsOf(expected).doesNotContain("delete");
        assertThat(((Map<String, Object>) answer.get("page")).get("next_token")).isEqualTo("");
    }

    @Test
    void subjectSearchIsNotOfferedAndSaysWhy() {
        Response response = search.subject(body("{}"), "r-1", BEARER);
        assertThat(response.getStatus()).isEqualTo(501);
        assertThat(new String((byte[]) response.getEntity(), StandardCharsets.UTF_8))
                .contains("subject search is not offered");
        assertThat(AuthZenMetadataResource.metadata("https://pdp.example.com")).containsEntry(
                "search_resource_endpoint", "https://pdp.example.com/access/v1/search/resource").containsEntry(
                "search_action_endpoint", "https://pdp.example.com/access/v1/search/action")
                .doesNotContainKey("search_subject_endpoint");
    }

    @Test
    void aMalformedSearchIsA400WithThePointer() {
        Response noType = search.resource(body("{\"subject\":" + PAUL + ",\"action\":{\"name\":\"restart\"},"
                + "\"resource\":{}}"), null, BEARER);
        assertThat(noType.getStatus()).isEqualTo(400);
        assertThat(new String((byte[]) noType.getEntity(), StandardCharsets.UTF_8)).contains("/resource/type");
        Response badToken = search.resource(body("{\"subject\":" + PAUL + ",\"action\":{\"name\":\"restart\"},"
                + "\"resource\":{\"type\":\"aws:ec2:instance\"},\"page\":{\"token\":\"%%%\"}}"), null, BEARER);
        assertThat(badToken.getStatus()).isEqualTo(400);
        assertThat(new String((byte[]) badToken.getEntity(), StandardCharsets.UTF_8)).contains("/page/token");
    }

    @Test
    void anUnauthenticatedPepIsRefused401AndOneWithoutTheRole403() {
        String request = "{\"subject\":" + PAUL + ",\"action\":{\"name\":\"read\"},\"resource\":{\"type\":\"element\","
                + "\"id\":\"" + world.target("orders-db") + "\"}}";
        Response anonymous = evaluations.evaluation(body(request), "r-2", null);
        assertThat(anonymous.getStatus()).isEqualTo(401);
        assertThat(anonymous.getHeaderString("WWW-Authenticate")).isEqualTo("Bearer realm=\"mandate\"");
        assertThat(anonymous.getHeaderString("X-Request-ID")).isEqualTo("r-2");
        assertThat(anonymous.getMediaType().toString()).isEqualTo("application/problem+json");
        assertThat(new String((byte[]) anonymous.getEntity(), StandardCharsets.UTF_8)).contains("\"status\":401");

        Response wrong = evaluations.evaluations(body(request), null, "Bearer not-a-token");
        assertThat(wrong.getStatus()).isEqualTo(401);
        assertThat(wrong.getHeaderString("WWW-Authenticate")).contains("error=\"invalid_token\"");

        Response noRole = search.resource(body(request), null, "Bearer " + OTHER);
        assertThat(noRole.getStatus()).isEqualTo(403);
        assertThat(new String((byte[]) noRole.getEntity(), StandardCharsets.UTF_8))
                .contains("'someone' holds none of the roles mandate-pep needed here");
    }
}
