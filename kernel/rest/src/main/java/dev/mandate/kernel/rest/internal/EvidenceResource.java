package dev.mandate.kernel.rest.internal;

import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.mandate.api.enforcement.RestExtensions;
import dev.mandate.api.evidence.EvidenceLedger;
import dev.mandate.api.evidence.EvidenceQuery;
import dev.mandate.api.evidence.EvidenceRecord;
import dev.mandate.api.evidence.EvidenceSigner;
import dev.mandate.api.evidence.VerificationResult;
import dev.mandate.kernel.export.format.JsonLines;
import dev.mandate.kernel.export.format.Ocsf;
import dev.mandate.kernel.export.format.Oscal;
import dev.mandate.kernel.ledger.verify.Checkpoint;

import javax.ws.rs.DefaultValue;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.StreamingOutput;
import javax.ws.rs.core.UriInfo;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtensionSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * The ledger: {@code GET /mandate/v1/evidence} (filtered, paged), {@code GET /mandate/v1/evidence/export}
 * (JSON Lines, OCSF, OSCAL), {@code GET /mandate/v1/evidence/verify} and
 * {@code GET /mandate/v1/evidence/keys}, the public key(s) that verify checkpoints, as a JWK set
 * ({@code application/json}) or as PEM ({@code application/x-pem-file}, what
 * {@code mandate-evidence.jar verify --key} reads).
 */
@Component(service = EvidenceResource.class)
@JaxrsResource
@JaxrsExtensionSelect({RestExtensions.JSON_PROVIDER, RestExtensions.PROBLEM_MAPPER})
@Path("mandate/v1/evidence")
@Produces(MediaType.APPLICATION_JSON)
public class EvidenceResource {
    static final String PEM = "application/x-pem-file";
    static final int EXPORT_PAGE = 1000;
    /** Most records in one OCSF array or OSCAL document; JSON Lines streams any number. */
    static final int MAX_DOCUMENT = 100_000;

    private final EvidenceLedger ledger;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EvidenceSigner signer;

    @Activate
    public EvidenceResource(@Reference EvidenceLedger ledger) {
        this.ledger = ledger;
    }

    EvidenceResource(EvidenceLedger ledger, EvidenceSigner signer) {
        this.ledger = ledger;
        this.signer = signer;
    }

    /**
     * The records that meet the filters, in sequence order, from {@code since} on, at most
     * {@code limit}; when more may follow, a {@code Link: <…>; rel="next"} header names the next page.
     */
    @GET
    public Response records(@QueryParam("since") @DefaultValue("1") long since,
            @QueryParam("limit") @DefaultValue("100") int limit, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("type") String type, @QueryParam("element") String element,
            @QueryParam("actor") String actor, @QueryParam("team") String team,
            @QueryParam("blueprint") String blueprint, @QueryParam("outcome") String outcome,
            @Context UriInfo uri) {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be between 1 and 1000, was " + limit);
        }
        EvidenceQuery query = query(since, limit, from, to, type, element, actor, team, blueprint, outcome);
        List<EvidenceRecord> records = ledger.query(query);
        Response.ResponseBuilder response = Response.ok(records);
        if (records.size() == limit) {
            long next = records.get(records.size() - 1).sequence() + 1;
            response.link(uri.getRequestUriBuilder().replaceQueryParam("since", next).build(), "next");
        }
        return response.build();
    }

    /**
     * The records that meet the filters as {@code format} {@code jsonl} (one record per line, what
     * {@code mandate-evidence.jar verify} reads), {@code ocsf} (a JSON array of OCSF events) or
     * {@code oscal} (an OSCAL assessment-results document), streamed.
     */
    @GET
    @Path("export")
    @Produces({JsonLines.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    public Response export(@QueryParam("format") @DefaultValue("jsonl") String format,
            @QueryParam("since") @DefaultValue("1") long since, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("type") String type, @QueryParam("element") String element,
            @QueryParam("actor") String actor, @QueryParam("team") String team,
            @QueryParam("blueprint") String blueprint, @QueryParam("outcome") String outcome) {
        EvidenceQuery first = query(since, EXPORT_PAGE, from, to, type, element, actor, team, blueprint, outcome);
        return switch (format) {
            case "jsonl" -> Response.ok((StreamingOutput) out -> {
                Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
                for (List<EvidenceRecord> page : pages(first)) {
                    for (EvidenceRecord record : page) {
                        writer.write(JsonLines.line(record));
                        writer.write('\n');
                    }
                    writer.flush();
                }
            }, JsonLines.MEDIA_TYPE).build();
            case "ocsf" -> Response.ok(collect(first).stream().map(Ocsf::event).toList(), MediaType.APPLICATION_JSON)
                    .build();
            case "oscal" -> Response.ok(Oscal.assessmentResults(collect(first), Instant.now(),
                    "Mandate evidence against IOM Appendix A" + (first.toString().isEmpty() ? ""
                            : " (" + first + ")")), MediaType.APPLICATION_JSON).build();
            default -> throw new IllegalArgumentException("format must be one of jsonl, ocsf, oscal, was '" + format + "'");
        };
    }

    /** Pages of up to {@value #EXPORT_PAGE} records, read one after another as they are iterated. */
    private Iterable<List<EvidenceRecord>> pages(EvidenceQuery first) {
        return () -> new java.util.Iterator<>() {
            private EvidenceQuery next = first;
            private List<EvidenceRecord> page;

            @Override
            public boolean hasNext() {
                if (page == null && next != null) {
                    page = ledger.query(next);
                    next = page.size() < EXPORT_PAGE ? null : new EvidenceQuery(first.from(), first.to(), first.type(),
                            first.element(), first.actor(), first.team(), first.blueprint(), first.outcome(),
                            page.get(page.size() - 1).sequence(), EXPORT_PAGE);
                }
                return page != null && !page.isEmpty();
            }

            @Override
            public List<EvidenceRecord> next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                List<EvidenceRecord> current = page;
                page = null;
                return current;
            }
        };
    }

    private List<EvidenceRecord> collect(EvidenceQuery first) {
        List<EvidenceRecord> all = new ArrayList<>();
        for (List<EvidenceRecord> page : pages(first)) {
            all.addAll(page);
            if (all.size() > MAX_DOCUMENT) {
                throw new IllegalArgumentException("more than " + MAX_DOCUMENT + " records meet the filters; narrow them"
                        + " (from, to, type …) or export as jsonl");
            }
        }
        return all;
    }

    private static EvidenceQuery query(long since, int limit, String from, String to, String type, String element,
            String actor, String team, String blueprint, String outcome) {
        if (since < 1) {
            throw new IllegalArgumentException("since must be a sequence number of at least 1, was " + since);
        }
        return new EvidenceQuery(instant("from", from), instant("to", to), blank(type), blank(element), blank(actor),
                blank(team), blank(blueprint), blank(outcome), since - 1, limit);
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be an ISO-8601 instant such as 2026-11-26T08:00:00Z, was '"
                    + value + "'");
        }
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    @GET
    @Path("verify")
    public VerificationResult verify() {
        return ledger.verify();
    }

    /** The JWK set of the checkpoint keys (empty when this node signs no checkpoints). */
    @GET
    @Path("keys")
    public Map<String, Object> keys() {
        EvidenceSigner current = signer;
        if (current == null) {
            return Map.of("keys", List.of());
        }
        return current.publicKeys();
    }

    /** The checkpoint keys as PEM, one {@code PUBLIC KEY} block each. */
    @GET
    @Path("keys")
    @Produces(PEM)
    public String keysPem() {
        EvidenceSigner current = signer;
        if (current == null) {
            return "";
        }
        PublicKey key = current.publicKey();
        return Checkpoint.pem(key);
    }
}
