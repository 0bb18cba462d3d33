package dev.mandate.kernel.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.mandate.api.intent.BlueprintInfo;
import dev.mandate.api.intent.ElementOwnership;
import dev.mandate.api.intent.Evaluation;
import dev.mandate.api.intent.EvaluationContext;
import dev.mandate.api.intent.IntentService;
import dev.mandate.api.intent.Team;
import dev.mandate.api.model.ChangeSet;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.ElementPage;
import dev.mandate.api.model.Layer;
import dev.mandate.api.model.Relation;
import dev.mandate.api.model.RelationType;
import dev.mandate.kernel.jdbc.testing.TestDatabase;
import dev.mandate.kernel.ledger.internal.EvidenceLedgerImpl;
import dev.mandate.kernel.model.internal.ModelStoreImpl;
import dev.mandate.kernel.model.testing.LoadedModelStore;

import javax.ws.rs.NotFoundException;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.MultivaluedHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The elements and status resources over a real model store on H2, written through the API's JSON
 * provider: an element at an older revision with its relations then, and owner queries by the
 * accountable owner the ownership rules name.
 */
class ElementsResourceTest {
    private static final String VPC = "aws:ec2:vpc:eu-west-1:111122223333:vpc-1";
    private static final String DB = "aws:rds:db-instance:eu-west-1:111122223333:orders-prod";
    private static final String APP = "aws:ec2:instance:eu-west-1:111122223333:i-0abc";

    private final JsonProvider json = new JsonProvider();
    private final ObjectMapper reader = new ObjectMapper();
    private final OwnershipRules ownership = new OwnershipRules();
    private ModelStoreImpl model;
    private ElementsResource resource;

    @BeforeEach
    void start() {
        model = LoadedModelStore.on(TestDatabase.inMemory("rest-" + UUID.randomUUID()));
        resource = new ElementsResource(model, ownership);
    }

    @AfterEach
    void stop() {
        model.close();
    }

    @Test
    void anElementAtAnOlderRevisionComesWithItsRelationsThen() throws IOException {
        Relation contains = new Relation(RelationType.CONTAINS, VPC, DB, Map.of("via", "subnet-a"));
        model.commit(running(List.of(element(VPC, "team-platform", "10.0.0.0/16"), element(DB, null, "small"),
                element(APP, null, "web")), List.of(contains)));
        Relation dependsOn = new Relation(RelationType.DEPENDS_ON, APP, DB, Map.of("port", 5432));
        model.commit(running(List.of(element(DB, null, "large")), List.of(dependsOn)));
        model.commit(new ChangeSet("aws-prod", Layer.RUNNING, List.of(), List.of(), List.of(), List.of(contains)));

        JsonNode first = write(resource.element(DB, 1L));
        assertThat(first.path("id").asText()).isEqualTo(DB);
        assertThat(first.path("revision").asLong()).isEqualTo(1);
        assertThat(first.path("attributes").path("size").asText()).isEqualTo("small");
        assertThat(first.path("relations")).hasSize(1);
        assertThat(first.path("relations").get(0).path("type").asText()).isEqualTo("CONTAINS");
        assertThat(first.path("relations").get(0).path("from").asText()).isEqualTo(VPC);
        assertThat(first.path("relations").get(0).path("properties").path("via").asText()).isEqualTo("subnet-a");

        JsonNode second = write(resource.element(DB, 2L));
        assertThat(second.path("attributes").path("size").asText()).isEqualTo("large");
        assertThat(second.path("relations")).extracting(relation -> relation.path("type").asText())
                .containsExactly("CONTAINS", "DEPENDS_ON");

        JsonNode now = write(resource.element(DB, null));
        assertThat(now.path("revision").asLong()).isEqualTo(3);
        assertThat(now.path("relations")).hasSize(1);
        assertThat(now.path("relations").get(0).path("from").asText()).isEqualTo(APP);
        assertThat(write(resource.element(DB, 3L))).isEqualTo(now);
    }

    @Test
    void anUnknownRevisionOrAnElementMissingThenIsANotFoundProblem() {
        model.commit(running(List.of(element(VPC, null, "10.0.0.0/16")), List.of()));
        model.commit(running(List.of(element(DB, null, "small")), List.of()));

        assertThat(problem(() -> resource.element(DB, 9L))).isEqualTo(
                "unknown-revision: model revision 9 is unknown or no longer kept");
        assertThat(problem(() -> resource.element(DB, 0L))).startsWith("unknown-revision");
        assertThat(problem(() -> resource.element(DB, 1L))).isEqualTo(
                "unknown-element: no element '" + DB + "' in the model at revision 1");
    }

    @Test
    void ownerNoneListsTheElementsWithoutAnAccountableOwnerByTheOwnershipRules() throws Exception {
        List<Element> elements = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            elements.add(element("aws:ec2:instance:eu-west-1:111122223333:i-" + i, i == 0 ? "team-web" : null, "web"));
        }
        elements.add(element(DB, null, "small"));
        elements.add(element(VPC, "team-platform", "10.0.0.0/16"));
        model.commit(running(elements, List.of()));
        // the rules name an owner for the database and for i-1, i-3 and i-5; the VPC keeps its connector's owner
        ownership.rules.put(DB, "team-payments");
        for (int i = 1; i < 7; i += 2) {
            ownership.rules.put("aws:ec2:instance:eu-west-1:111122223333:i-" + i, "team-batch");
        }

        List<String> unowned = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            ElementPage page = resource.list(null, null, "none", null, null, null, cursor, 2, List.of(), List.of(), null);
            assertThat(page.total()).isEqualTo(3);
            page.items().forEach(element -> unowned.add(element.id()));
            cursor = page.nextCursor();
            pages++;
        } while (cursor != null);
        assertThat(unowned).containsExactly("aws:ec2:instance:eu-west-1:111122223333:i-2",
                "aws:ec2:instance:eu-west-1:111122223333:i-4", "aws:ec2:instance:eu-west-1:111122223333:i-6");
        assertThat(pages).isEqualTo(2);
        assertThat(resource.list(null, null, "team-payments", null, null, null, null, 10, List.of(), List.of(), null).items())
                .extracting(Element::id).containsExactly(DB);
        assertThat(resource.list(null, null, "team-batch", null, null, null, null, 2, List.of(), List.of(), null).total())
                .isEqualTo(3);
        assertThat(resource.list(null, "aws", "team-platform", null, null, null, null, 10, List.of(), List.of(), null)
                .items()).extracting(Element::id).containsExactly(VPC);

        EvidenceLedgerImpl ledger = new EvidenceLedgerImpl(TestDatabase.inMemory("ledger-" + UUID.randomUUID()),
                Clock.systemUTC());
        StatusResource status = new StatusResource(model, ownership, ledger);
        assertThat(modelStatus(status).get("withoutOwner")).isEqualTo(3);
        ownership.rules.remove(DB);
        ownership.generation++;
        assertThat(modelStatus(status).get("withoutOwner")).isEqualTo(4);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> modelStatus(StatusResource status) {
        return (Map<String, Object>) status.status().get("model");
    }

    private JsonNode write(Object value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        json.writeTo(value, value.getClass(), value.getClass(), new Annotation[0], MediaType.APPLICATION_JSON_TYPE,
                new MultivaluedHashMap<>(), out);
        return reader.readTree(out.toString(StandardCharsets.UTF_8));
    }

    /** The problem a resource call answers with, as {@code <type>: <detail>}. */
    private static String problem(Runnable call) {
        NotFoundException thrown = catchThrowableOfType(NotFoundException.class, call::run);
        assertThat(thrown).as("a not-found problem").isNotNull();
        assertThat(thrown.getResponse().getStatus()).isEqualTo(404);
        Problem problem = (Problem) thrown.getResponse().getEntity();
        return problem.type().substring(problem.type().lastIndexOf('/') + 1) + ": " + problem.detail();
    }

    private static Element element(String id, String owner, Object marker) {
        return new Element(id, null, null, "prod", "eu-internal", owner, Map.of(), Map.of("size", marker), Map.of());
    }

    private static ChangeSet running(List<Element> upserts, List<Relation> relations) {
        return new ChangeSet("aws-prod", Layer.RUNNING, upserts, List.of(), relations, List.of());
    }

    /**
     * Test double of the intent service with only what owner queries read: ownership rules by
     * element id and a generation. The other methods are never called by these resources.
     */
    private static final class OwnershipRules implements IntentService {
        final Map<String, String> rules = new java.util.HashMap<>();
        long generation = 1;

        @Override
        public Optional<ElementOwnership> ownership(Element element) {
            String team = rules.get(element.id());
            return team == null ? Optional.empty()
                    : Optional.of(new ElementOwnership(team, List.of(), List.of(), "ownership:test@1#" + team));
        }

        @Override
        public long generation() {
            return generation;
        }

        @Override
        public List<BlueprintInfo> blueprints() {
            return List.of();
        }

        @Override
        public Optional<BlueprintInfo> blueprint(String name) {
            return Optional.empty();
        }

        @Override
        public List<Team> teams() {
            return List.of();
        }

        @Override
        public Optional<Team> team(String id) {
            return Optional.empty();
        }

        @Override
        public Evaluation evaluate(EvaluationContext context) {
            throw new AssertionError("owner queries evaluate no constraints");
        }
    }
}
