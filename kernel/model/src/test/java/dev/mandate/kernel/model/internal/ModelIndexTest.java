package dev.mandate.kernel.model.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.mandate.api.model.BlastRadius;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.ElementIds;
import dev.mandate.api.model.ElementPage;
import dev.mandate.api.model.ElementQuery;
import dev.mandate.api.model.Relation;
import dev.mandate.api.model.RelationType;

import org.junit.jupiter.api.Test;

class ModelIndexTest {

    private static Element element(String id, String owner, String environment, String trustZone, String name) {
        return new Element(id, ElementIds.kindOf(id), id.substring(0, id.indexOf(':')), environment, trustZone, owner,
                Map.of(), name == null ? Map.of() : Map.of("name", name), Map.of());
    }

    private static String id(String name) {
        return "aws:ec2:instance:eu-west-1:1:" + name;
    }

    /**
     * db <- app1 (DEPENDS_ON), db <- app2, app1 <- web, web <- app1 (a cycle), app2 <- batch;
     * db CONTAINS snapshot; lonely depends on nothing.
     */
    private static ModelIndex graph() {
        ModelIndex.Builder builder = ModelIndex.EMPTY.toBuilder();
        builder.put(element(id("db"), "team-data", "prod", "eu-restricted", null));
        builder.put(element(id("app1"), "team-payments", "prod", "eu-internal", null));
        builder.put(element(id("app2"), null, "staging", "eu-internal", null));
        builder.put(element(id("web"), "team-web", "prod", "dmz", null));
        builder.put(element(id("batch"), "team-payments", "dev", "eu-internal", null));
        builder.put(element(id("snapshot"), "team-data", "prod", "eu-restricted", null));
        builder.put(element(id("lonely"), null, null, null, null));
        builder.putRelation(Relation.of(RelationType.DEPENDS_ON, id("app2"), id("db")));
        builder.putRelation(Relation.of(RelationType.DEPENDS_ON, id("app1"), id("db")));
        builder.putRelation(Relation.of(RelationType.DEPENDS_ON, id("web"), id("app1")));
        builder.putRelation(Relation.of(RelationType.DEPENDS_ON, id("app1"), id("web")));
        builder.putRelation(Relation.of(RelationType.DEPENDS_ON, id("batch"), id("app2")));
        builder.putRelation(Relation.of(RelationType.CONTAINS, id("db"), id("snapshot")));
        builder.putRelation(Relation.of(RelationType.CONNECTS_TO, id("lonely"), id("db")));
        return builder.build(7);
    }

    @Test
    void theBlastRadiusWalksDependentsBreadthFirstInIdOrderAndSurvivesACycle() {
        BlastRadius radius = graph().blastRadius(id("db"), EnumSet.of(RelationType.DEPENDS_ON, RelationType.CONTAINS), 100);

        assertThat(radius.elements()).containsExactly(id("app1"), id("app2"), id("snapshot"), id("web"), id("batch"));
        assertThat(radius.count()).isEqualTo(5);
        assertThat(radius.depth()).isEqualTo(2);
        assertThat(radius.truncated()).isFalse();
        assertThat(radius.owners()).containsExactly("team-data", "team-payments", "team-web");
        assertThat(radius.environments()).containsExactly("dev", "prod", "staging");
        assertThat(radius.trustZones()).containsExactly("dmz", "eu-internal", "eu-restricted");
    }

    @Test
    void theBlastRadiusStopsAtItsCapAndSaysSo() {
        BlastRadius radius = graph().blastRadius(id("db"), Set.of(RelationType.DEPENDS_ON, RelationType.CONTAINS), 2);

        assertThat(radius.elements()).containsExactly(id("app1"), id("app2"));
        assertThat(radius.count()).isEqualTo(2);
        assertThat(radius.depth()).isEqualTo(1);
        assertThat(radius.truncated()).isTrue();
        assertThat(radius.owners()).containsExactly("team-data", "team-payments");
    }

    @Test
    void theBlastRadiusFollowsOnlyTheRelationTypesAsked() {
        ModelIndex index = graph();

        assertThat(index.blastRadius(id("db"), Set.of(RelationType.CONTAINS), 10).elements())
                .containsExactly(id("snapshot"));
        assertThat(index.blastRadius(id("db"), Set.of(RelationType.CONNECTS_TO), 10).elements())
                .containsExactly(id("lonely"));
        BlastRadius none = index.blastRadius(id("lonely"), Set.of(RelationType.DEPENDS_ON), 10);
        assertThat(none.count()).isZero();
        assertThat(none.depth()).isZero();
        assertThat(none.owners()).isEmpty();
        assertThat(index.blastRadius(id("web"), Set.of(RelationType.DEPENDS_ON), 10).elements())
                .containsExactly(id("app1"));
        assertThatThrownBy(() -> index.blastRadius(id("ghost"), Set.of(), 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("unknown element '" + id("ghost") + "'");
    }

    @Test
    void aLargeBlastRadiusIsWalkedOncePerRevisionAndANewRevisionWalksAgain() {
        ModelIndex.Builder builder = ModelIndex.EMPTY.toBuilder();
        builder.put(element(id("hub"), "team-core", "prod", "internal", null));
        for (int i = 19; i >= 0; i--) {
            String app = id(String.format("app-%02d", i));
            builder.put(element(app, "team-" + (i % 3), i % 2 == 0 ? "prod" : "dev", "internal", null));
            builder.putRelation(Relation.of(RelationType.DEPENDS_ON, app, id("hub")));
            if (i % 4 == 0) {
                // reached through two relation types: listed once, in id order among the others
                builder.putRelation(Relation.of(RelationType.CONTAINS, id("hub"), app));
            }
        }
        ModelIndex index = builder.build(1);
        Set<RelationType> types = EnumSet.of(RelationType.DEPENDS_ON, RelationType.CONTAINS);

        BlastRadius first = index.blastRadius(id("hub"), types, 100);
        BlastRadius again = index.blastRadius(id("hub"), types, 100);

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            expected.add(id(String.format("app-%02d", i)));
        }
        assertThat(first.elements()).containsExactlyElementsOf(expected);
        assertThat(first.owners()).containsExactly("team-0", "team-1", "team-2", "team-core");
        assertThat(first.environments()).containsExactly("dev", "prod");
        assertThat(again).isSameAs(first);
        assertThat(index.memoisedRadii()).isEqualTo(1);
        // another cap is another answer
        assertThat(index.blastRadius(id("hub"), types, 5).elements()).containsExactlyElementsOf(expected.subList(0, 5));

        ModelIndex.Builder next = index.toBuilder();
        next.remove(id("app-00"));
        ModelIndex changed = next.build(2);
        assertThat(changed.blastRadius(id("hub"), types, 100).count()).isEqualTo(19);
        assertThat(index.blastRadius(id("hub"), types, 100).count()).isEqualTo(20);
    }

    @Test
    void pagesFollowIdOrderWithACursorAndCountTheMatches() {
        ModelIndex.Builder builder = ModelIndex.EMPTY.toBuilder();
        for (int i = 0; i < 25; i++) {
            builder.put(element(id(String.format("i-%02d", i)), i % 5 == 0 ? null : "team-web", i % 2 == 0 ? "prod" : "dev",
                    null, "server " + i));
        }
        ModelIndex index = builder.build(3);

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            ElementPage page = index.query(new ElementQuery(null, null, null, null, null, null, cursor, 10));
            assertThat(page.total()).isEqualTo(25);
            assertThat(page.revision()).isEqualTo(3);
            page.items().forEach(element -> seen.add(element.id()));
            cursor = page.nextCursor();
            pages++;
        } while (cursor != null);

        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(25).isSorted().doesNotHaveDuplicates();

        ElementPage prod = index.query(new ElementQuery(null, null, null, "prod", null, null, null, 5));
        assertThat(prod.total()).isEqualTo(13);
        assertThat(prod.items()).hasSize(5).allMatch(element -> "prod".equals(element.environment()));
        ElementPage rest = index.query(new ElementQuery(null, null, null, "prod", null, null, prod.nextCursor(), 100));
        assertThat(rest.items()).hasSize(8);
        assertThat(rest.nextCursor()).isNull();
    }

    @Test
    void queriesFilterByOwnerNoneByKindAndByText() {
        ModelIndex index = graph();

        assertThat(index.query(new ElementQuery(null, null, ElementQuery.NO_OWNER, null, null, null, null, 10)).items())
                .extracting(Element::id).containsExactly(id("app2"), id("lonely"));
        assertThat(index.query(new ElementQuery(null, null, "team-payments", null, null, null, null, 10)).items())
                .extracting(Element::id).containsExactly(id("app1"), id("batch"));
        assertThat(index.query(new ElementQuery("aws:ec2:instance", "aws", null, null, "dmz", null, null, 10)).items())
                .extracting(Element::id).containsExactly(id("web"));
        assertThat(index.query(new ElementQuery("aws:rds:db-instance", null, null, null, null, null, null, 10)).total())
                .isZero();
        assertThat(index.query(new ElementQuery(null, null, null, null, null, "APP", null, 10)).items())
                .extracting(Element::id).containsExactly(id("app1"), id("app2"));

        ModelIndex.Builder builder = ModelIndex.EMPTY.toBuilder();
        builder.put(element(id("x1"), null, null, null, "Orders Primary"));
        builder.put(element(id("x2"), null, null, null, "billing"));
        assertThat(builder.build(1).query(new ElementQuery(null, null, null, null, null, "orders", null, 10)).items())
                .extracting(Element::id).containsExactly(id("x1"));
    }

    @Test
    void queriesFilterByLabelsAndByAttributePaths() {
        ModelIndex.Builder builder = ModelIndex.EMPTY.toBuilder();
        builder.put(new Element(id("a"), "aws:ec2:instance", "aws", "prod", null, null,
                Map.of("app", "orders", "tier", "web"), Map.of("placement", Map.of("az", "eu-west-1a"),
                        "ports", List.of(80, 443), "public", true), Map.of()));
        builder.put(new Element(id("b"), "aws:ec2:instance", "aws", "prod", null, null,
                Map.of("app", "orders", "tier", "db"), Map.of("placement", Map.of("az", "eu-west-1b"),
                        "ports", List.of(5432), "public", false), Map.of()));
        builder.put(new Element(id("c"), "aws:ec2:instance", "aws", "prod", null, null, Map.of(), Map.of(), Map.of()));
        ModelIndex index = builder.build(1);

        assertThat(index.query(query(Map.of("app", "orders"), Map.of())).items()).extracting(Element::id)
                .containsExactly(id("a"), id("b"));
        assertThat(index.query(query(Map.of("app", "orders", "tier", "db"), Map.of())).items())
                .extracting(Element::id).containsExactly(id("b"));
        assertThat(index.query(query(Map.of(), Map.of("placement.az", "eu-west-1a"))).items())
                .extracting(Element::id).containsExactly(id("a"));
        assertThat(index.query(query(Map.of(), Map.of("ports.1", "443"))).items()).extracting(Element::id)
                .containsExactly(id("a"));
        ElementPage notPublic = index.query(query(Map.of("tier", "db"), Map.of("public", "false")));
        assertThat(notPublic.items()).extracting(Element::id).containsExactly(id("b"));
        assertThat(notPublic.total()).isEqualTo(1);
        assertThat(index.query(query(Map.of(), Map.of("placement", "eu-west-1a"))).items()).isEmpty();
        assertThat(index.query(query(Map.of(), Map.of("ports.7", "80"))).items()).isEmpty();
        assertThat(ElementQuery.conditions("label", List.of("app=orders", "team=a=b")))
                .containsExactly(Map.entry("app", "orders"), Map.entry("team", "a=b"));
        assertThatThrownBy(() -> ElementQuery.conditions("label", List.of("orders")))
                .hasMessage("label condition 'orders' is not key=value");
    }

    private static ElementQuery query(Map<String, String> labels, Map<String, String> attributes) {
        return new ElementQuery(null, null, null, null, null, null, null, 10, labels, attributes);
    }

    @Test
    void idsAddedAndRemovedInOneBuilderPageCorrectlyAndOlderRevisionsKeepTheirPages() {
        ModelIndex.Builder builder = ModelIndex.EMPTY.toBuilder();
        builder.put(element(id("b"), null, null, null, null));
        builder.put(element(id("a"), null, null, null, null));
        builder.remove(id("a"));
        builder.put(element(id("c"), null, null, null, null));
        builder.put(element(id("a"), null, null, null, null));
        builder.putRelation(Relation.of(RelationType.DEPENDS_ON, id("c"), id("ghost")));
        ModelIndex first = builder.build(1);
        ModelIndex.Builder next = first.toBuilder();
        next.remove(id("b"));
        next.put(element(id("d"), null, null, null, null));
        ModelIndex second = next.build(2);

        assertThat(first.query(ElementQuery.all(10)).items()).extracting(Element::id)
                .containsExactly(id("a"), id("b"), id("c"));
        assertThat(first.query(ElementQuery.all(10)).total()).isEqualTo(3);
        assertThat(second.query(ElementQuery.all(10)).items()).extracting(Element::id)
                .containsExactly(id("a"), id("c"), id("d"));
        assertThat(second.danglingRelations()).containsExactly(Relation.of(RelationType.DEPENDS_ON, id("c"), id("ghost")));
        assertThat(second.element(id("ghost"))).isEmpty();
        assertThat(second.size()).isEqualTo(3);
    }

    @Test
    void aMalformedCursorIsRefused() {
        assertThatThrownBy(() -> graph().query(new ElementQuery(null, null, null, null, null, null, "%%%", 10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("malformed cursor '%%%'");
    }
}
