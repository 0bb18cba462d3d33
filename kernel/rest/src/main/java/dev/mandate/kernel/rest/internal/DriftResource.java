package dev.mandate.kernel.rest.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mandate.api.enforcement.RestExtensions;
import dev.mandate.kernel.reconciler.DriftFinding;
import dev.mandate.kernel.reconciler.DriftKind;
import dev.mandate.kernel.reconciler.DriftService;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.MediaType;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtensionSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code GET /mandate/v1/drift?kind=&owner=&class=}: the current drift findings between the intended,
 * built and running layers. {@code kind} is unmanaged, missing, diverged, unauthorized or dataflow; {@code owner}
 * a team id or {@code none}; {@code class} an element kind or a prefix of one ({@code aws:ec2}).
 */
@Component(service = DriftResource.class)
@JaxrsResource
@JaxrsExtensionSelect({RestExtensions.JSON_PROVIDER, RestExtensions.PROBLEM_MAPPER})
@Path("mandate/v1/drift")
@Produces(MediaType.APPLICATION_JSON)
public class DriftResource {

    private final DriftService drift;

    @Activate
    public DriftResource(@Reference DriftService drift) {
        this.drift = drift;
    }

    @GET
    public Map<String, Object> findings(@QueryParam("kind") String kind, @QueryParam("owner") String owner,
            @QueryParam("class") String elementClass) {
        DriftKind wanted = kind == null || kind.isBlank() ? null : DriftKind.of(kind);
        List<Map<String, Object>> items = new ArrayList<>();
        Map<String, Integer> byKind = new LinkedHashMap<>();
        for (DriftFinding finding : drift.findings(wanted, owner, elementClass)) {
            byKind.merge(finding.kind().wireName(), 1, Integer::sum);
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", finding.id());
            item.put("kind", finding.kind().wireName());
            item.put("element", finding.elementId());
            item.put("elementKind", finding.elementKind());
            item.put("owner", finding.owner());
            item.put("severity", finding.severity());
            item.put("severitySource", finding.severitySource());
            if (finding.path() != null) {
                item.put("path", finding.path());
                item.put("expected", finding.expected());
                item.put("actual", finding.actual());
            }
            item.put("rightLayer", finding.rightLayer());
            item.put("message", finding.message());
            item.put("openedAt", finding.openedAt().toString());
            item.put("openedRevision", finding.openedRevision());
            items.add(item);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("revision", drift.revision());
        body.put("count", items.size());
        body.put("byKind", byKind);
        body.put("findings", items);
        return body;
    }
}
