package dev.mandate.kernel.rest.internal;

import dev.mandate.api.enforcement.RestExtensions;
import dev.mandate.kernel.conformance.Assessment;
import dev.mandate.kernel.conformance.ConformanceService;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtensionSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/** {@code GET /mandate/v1/conformance}: the live self-assessment against IOM Appendix A and B. */
@Component(service = ConformanceResource.class)
@JaxrsResource
@JaxrsExtensionSelect({RestExtensions.JSON_PROVIDER, RestExtensions.PROBLEM_MAPPER})
@Path("mandate/v1/conformance")
@Produces(MediaType.APPLICATION_JSON)
public class ConformanceResource {

    private final ConformanceService conformance;

    @Activate
    public ConformanceResource(@Reference ConformanceService conformance) {
        this.conformance = conformance;
    }

    @GET
    public Assessment assess() {
        return conformance.assess();
    }
}
