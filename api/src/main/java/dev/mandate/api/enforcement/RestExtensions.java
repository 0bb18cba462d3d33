package dev.mandate.api.enforcement;

/**
 * How a REST resource of an adapter waits for Mandate's JAX-RS extensions. Mandate's JSON provider (which
 * writes JSON and {@value #PROBLEM_JSON}) and its problem mapper (every failure an RFC 9457 problem) join the
 * JAX-RS whiteboard under the names below. A resource that needs them selects them,
 * {@code @JaxrsExtensionSelect({RestExtensions.JSON_PROVIDER, RestExtensions.PROBLEM_MAPPER})}, and the
 * whiteboard serves it only once both are there: without that, a request in the moment after a start or a
 * feature install can reach the resource before its writer and get a 500 "no message body writer".
 */
public final class RestExtensions {

    /** The media type of RFC 9457 problem details. */
    public static final String PROBLEM_JSON = "application/problem+json";
    /** The {@code osgi.jaxrs.name} of Mandate's JSON provider. */
    public static final String JSON_PROVIDER_NAME = "dev.mandate.json";
    /** The {@code osgi.jaxrs.name} of Mandate's problem mapper. */
    public static final String PROBLEM_MAPPER_NAME = "dev.mandate.problems";
    /** Extension filter selecting Mandate's JSON provider. */
    public static final String JSON_PROVIDER = "(osgi.jaxrs.name=" + JSON_PROVIDER_NAME + ")";
    /** Extension filter selecting Mandate's problem mapper. */
    public static final String PROBLEM_MAPPER = "(osgi.jaxrs.name=" + PROBLEM_MAPPER_NAME + ")";

    private RestExtensions() {
    }
}
