package dev.mandate.kernel.rest.internal;

import java.util.List;

import dev.mandate.api.evidence.EvidenceLedger;
import dev.mandate.api.evidence.EvidenceRecord;
import dev.mandate.api.evidence.VerificationResult;

import javax.ws.rs.DefaultValue;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.MediaType;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/** The ledger: {@code GET /mandate/v1/evidence?since=} and {@code GET /mandate/v1/evidence/verify}. */
@Component(service = EvidenceResource.class)
@JaxrsResource
@Path("mandate/v1/evidence")
@Produces(MediaType.APPLICATION_JSON)
public class EvidenceResource {

    private final EvidenceLedger ledger;

    @Activate
    public EvidenceResource(@Reference EvidenceLedger ledger) {
        this.ledger = ledger;
    }

    @GET
    public List<EvidenceRecord> records(@QueryParam("since") @DefaultValue("1") long since,
            @QueryParam("limit") @DefaultValue("100") int limit) {
        if (since < 1) {
            throw new IllegalArgumentException("since must be a sequence number of at least 1, was " + since);
        }
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be between 1 and 1000, was " + limit);
        }
        return ledger.read(since, limit);
    }

    @GET
    @Path("verify")
    public VerificationResult verify() {
        return ledger.verify();
    }
}
