package dev.mandate.kernel.rest.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.mandate.api.evidence.EvidenceLedger;
import dev.mandate.api.intent.IntentService;
import dev.mandate.api.model.ElementQuery;
import dev.mandate.api.model.ModelSnapshot;
import dev.mandate.api.model.ModelStore;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/** {@code GET /mandate/v1/status}: model revision and size, unowned elements, intent and ledger heads. */
@Component(service = StatusResource.class)
@JaxrsResource
@Path("mandate/v1/status")
@Produces(MediaType.APPLICATION_JSON)
public class StatusResource {

    private final ModelStore model;
    private final IntentService intent;
    private final EvidenceLedger ledger;

    @Activate
    public StatusResource(@Reference ModelStore model, @Reference IntentService intent,
            @Reference EvidenceLedger ledger) {
        this.model = model;
        this.intent = intent;
        this.ledger = ledger;
    }

    @GET
    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        ModelSnapshot snapshot = model.current();
        Map<String, Object> modelStatus = new LinkedHashMap<>();
        modelStatus.put("revision", snapshot.revision());
        modelStatus.put("elements", snapshot.size());
        modelStatus.put("withoutOwner", snapshot.query(new ElementQuery(null, null, ElementQuery.NO_OWNER, null, null,
                null, null, 1)).total());
        status.put("model", modelStatus);
        Map<String, Object> intentStatus = new LinkedHashMap<>();
        intentStatus.put("blueprints", intent.blueprints().size());
        intentStatus.put("teams", intent.teams().size());
        intentStatus.put("generation", intent.generation());
        status.put("intent", intentStatus);
        Map<String, Object> evidence = new LinkedHashMap<>();
        ledger.head().ifPresentOrElse(head -> {
            evidence.put("records", head.sequence());
            evidence.put("head", head.hash());
        }, () -> evidence.put("records", 0));
        status.put("evidence", evidence);
        return status;
    }
}
