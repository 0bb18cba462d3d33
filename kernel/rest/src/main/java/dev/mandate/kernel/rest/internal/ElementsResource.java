package dev.mandate.kernel.rest.internal;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import dev.mandate.api.enforcement.RestExtensions;
import dev.mandate.api.intent.IntentService;
import dev.mandate.api.model.BlastRadius;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.ElementPage;
import dev.mandate.api.model.ElementQuery;
import dev.mandate.api.model.ModelSnapshot;
import dev.mandate.api.model.ModelStore;
import dev.mandate.api.model.Relation;
import dev.mandate.api.model.RelationType;
import dev.mandate.api.model.UnknownRevisionException;
import dev.mandate.kernel.intent.BlueprintCatalog;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

import javax.ws.rs.DefaultValue;
import javax.ws.rs.GET;
import javax.ws.rs.NotFoundException;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.MediaType;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtensionSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * The canonical model, read-only: {@code GET /mandate/v1/elements} (filters, {@code label=key=value},
 * {@code attr=path.to.field=value}, {@code governed=true|false}: whether a blueprint in force applies;
 * {@code owner} is the accountable owner, from the ownership rules in force before the connector's
 * owner field), one element with its relations (now or at {@code ?revision=N}), its blast radius.
 */
@Component(service = ElementsResource.class)
@JaxrsResource
@JaxrsExtensionSelect({RestExtensions.JSON_PROVIDER, RestExtensions.PROBLEM_MAPPER})
@Path("mandate/v1/elements")
@Produces(MediaType.APPLICATION_JSON)
public class ElementsResource {

    static final String DEFAULT_RELATIONS = "DEPENDS_ON,CONTAINS,HOSTED_ON,BACKED_UP_BY";

    private final ModelStore model;
    private final IntentService intent;

    /**
     * One element as it was at one revision, with its relations then: outgoing first, then incoming.
     *
     * @param element   the element; its fields are the response's top-level fields
     * @param revision  the revision answered
     * @param relations the element's relations at that revision
     */
    public record ElementAtRevision(@JsonUnwrapped Element element, long revision, List<Relation> relations) {
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile BlueprintCatalog catalog;

    @Activate
    public ElementsResource(@Reference ModelStore model, @Reference IntentService intent) {
        this.model = model;
        this.intent = intent;
    }

    @GET
    public ElementPage list(@QueryParam("kind") String kind, @QueryParam("provider") String provider,
            @QueryParam("owner") String owner, @QueryParam("env") String environment,
            @QueryParam("zone") String trustZone, @QueryParam("q") String text, @QueryParam("cursor") String cursor,
            @QueryParam("limit") @DefaultValue("100") int limit, @QueryParam("label") List<String> labels,
            @QueryParam("attr") List<String> attributes, @QueryParam("governed") String governed) {
        ElementQuery query = new ElementQuery(blankToNull(kind), blankToNull(provider), blankToNull(owner),
                blankToNull(environment), blankToNull(trustZone), blankToNull(text), blankToNull(cursor), limit,
                ElementQuery.conditions("label", labels), ElementQuery.conditions("attribute", attributes));
        if (blankToNull(governed) == null) {
            return AccountableOwners.query(model.current(), intent, query);
        }
        if (!"true".equals(governed) && !"false".equals(governed)) {
            throw new IllegalArgumentException("governed must be 'true' or 'false', was '" + governed + "'");
        }
        BlueprintCatalog blueprints = catalog;
        if (blueprints == null) {
            throw new javax.ws.rs.ServiceUnavailableException(Problem.of(
                    javax.ws.rs.core.Response.Status.SERVICE_UNAVAILABLE, "intent-unavailable",
                    "the intent service is not running, so governance is not known").toResponse());
        }
        return governed(model.current(), query, blueprints, Boolean.parseBoolean(governed), intent);
    }

    /**
     * The page of a query restricted to elements a blueprint does (or does not) govern: every
     * element the other filters select is checked (governance is not indexed in the model), the
     * page starts after the cursor and the total counts them all. The owner condition is on the
     * accountable owner ({@link AccountableOwners}).
     */
    static ElementPage governed(ModelSnapshot snapshot, ElementQuery query, BlueprintCatalog blueprints,
            boolean governed, IntentService intent) {
        List<Element> items = new java.util.ArrayList<>();
        int total = 0;
        String next = null;
        String scan = null;
        do {
            ElementPage page = snapshot.query(new ElementQuery(query.kind(), query.provider(), null,
                    query.environment(), query.trustZone(), query.text(), scan, 1000,
                    query.labels(), query.attributes()));
            for (Element element : page.items()) {
                if (!AccountableOwners.matches(intent, query.owner(), element)
                        || blueprints.governing(element).isEmpty() == governed) {
                    continue;
                }
                total++;
                if (query.cursor() != null && element.id().compareTo(query.cursor()) <= 0) {
                    continue;
                }
                if (items.size() < query.limit()) {
                    items.add(element);
                } else if (next == null) {
                    next = items.get(items.size() - 1).id();
                }
            }
            scan = page.nextCursor();
        } while (scan != null);
        return new ElementPage(snapshot.revision(), items, total, next);
    }

    @GET
    @Path("{id: .+}")
    public ElementAtRevision element(@PathParam("id") String id, @QueryParam("revision") Long revision) {
        if (revision == null) {
            ModelSnapshot now = model.current();
            Element element = now.element(id).orElseThrow(() -> notFound(id));
            return new ElementAtRevision(element, now.revision(), model.relationsAt(id, now.revision()));
        }
        try {
            Element element = model.elementAt(id, revision).orElseThrow(() -> new NotFoundException(Problem.of(
                    javax.ws.rs.core.Response.Status.NOT_FOUND, "unknown-element",
                    "no element '" + id + "' in the model at revision " + revision).toResponse()));
            return new ElementAtRevision(element, revision, model.relationsAt(id, revision));
        } catch (UnknownRevisionException e) {
            throw new NotFoundException(Problem.of(javax.ws.rs.core.Response.Status.NOT_FOUND, "unknown-revision",
                    "model revision " + revision + " is unknown or no longer kept").toResponse());
        }
    }

    @GET
    @Path("{id: .+}/blast-radius")
    public BlastRadius blastRadius(@PathParam("id") String id,
            @QueryParam("relations") @DefaultValue(DEFAULT_RELATIONS) String relations,
            @QueryParam("cap") @DefaultValue("10000") int cap) {
        if (cap < 1) {
            throw new IllegalArgumentException("cap must be at least 1, was " + cap);
        }
        ModelSnapshot snapshot = model.current();
        if (snapshot.element(id).isEmpty()) {
            throw notFound(id);
        }
        return snapshot.blastRadius(id, parseRelations(relations), cap);
    }

    static Set<RelationType> parseRelations(String list) {
        Set<RelationType> types = EnumSet.noneOf(RelationType.class);
        Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(RelationType::parse)
                .forEach(types::add);
        return types;
    }

    private static NotFoundException notFound(String id) {
        return new NotFoundException(Problem.of(javax.ws.rs.core.Response.Status.NOT_FOUND, "unknown-element",
                "no element '" + id + "' in the model").toResponse());
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
