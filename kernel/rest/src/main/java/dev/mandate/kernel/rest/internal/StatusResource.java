package dev.mandate.kernel.rest.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mandate.api.enforcement.RestExtensions;
import dev.mandate.api.evidence.EvidenceLedger;
import dev.mandate.api.intent.IntentService;
import dev.mandate.api.model.ModelSnapshot;
import dev.mandate.api.model.ModelStore;
import dev.mandate.kernel.reconciler.ConnectorRun;
import dev.mandate.kernel.reconciler.ReconcilerStatus;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtensionSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code GET /mandate/v1/status}: model revision and size, elements without an accountable owner (by the
 * ownership rules in force, else the connector's owner), intent and ledger heads.
 */
@Component(service = StatusResource.class)
@JaxrsResource
@JaxrsExtensionSelect({RestExtensions.JSON_PROVIDER, RestExtensions.PROBLEM_MAPPER})
@Path("mandate/v1/status")
@Produces(MediaType.APPLICATION_JSON)
public class StatusResource {

    private final ModelStore model;
    private final IntentService intent;
    private final EvidenceLedger ledger;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ReconcilerStatus reconciler;

    @Activate
    public StatusResource(@Reference ModelStore model, @Reference IntentService intent,
            @Reference EvidenceLedger ledger) {
        this.model = model;
        this.intent = intent;
        this.ledger = ledger;
    }

    /** The last count of elements without an accountable owner, for one model revision and intent generation. */
    private record UnownedCount(long revision, long generation, int count) {
    }

    private volatile UnownedCount unowned = new UnownedCount(-1, -1, 0);

    /** Elements without an accountable owner; counted once per model revision and intent generation. */
    private int unowned(ModelSnapshot snapshot) {
        long generation = intent.generation();
        UnownedCount last = unowned;
        if (last.revision() == snapshot.revision() && last.generation() == generation) {
            return last.count();
        }
        UnownedCount counted = new UnownedCount(snapshot.revision(), generation,
                AccountableOwners.countUnowned(snapshot, intent));
        unowned = counted;
        return counted.count();
    }

    @GET
    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        ModelSnapshot snapshot = model.current();
        Map<String, Object> modelStatus = new LinkedHashMap<>();
        modelStatus.put("revision", snapshot.revision());
        modelStatus.put("elements", snapshot.size());
        modelStatus.put("withoutOwner", unowned(snapshot));
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
        ReconcilerStatus connectors = reconciler;
        if (connectors != null) {
            List<Map<String, Object>> runs = new ArrayList<>();
            for (ConnectorRun run : connectors.runs()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("id", run.connectorId());
                entry.put("domain", run.domain());
                entry.put("state", run.state());
                entry.put("health", run.health());
                entry.put("lastSuccess", run.lastSuccess());
                entry.put("lastError", run.lastError());
                entry.put("elements", run.elementCount());
                entry.put("relations", run.relationCount());
                runs.add(entry);
            }
            status.put("connectors", runs);
        }
        return status;
    }
}
