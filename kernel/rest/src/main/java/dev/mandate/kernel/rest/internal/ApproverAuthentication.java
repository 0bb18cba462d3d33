package dev.mandate.kernel.rest.internal;

import java.security.Principal;
import java.util.List;

import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ResourceInfo;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

import dev.mandate.api.auth.CallerAuthentication;
import dev.mandate.api.auth.CallerAuthenticator;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;

/**
 * Authentication for the resources marked {@link Authenticated}: the caller's credentials (HTTP Basic against
 * the JAAS realm, an OAuth 2 access token or an API token, as {@code dev.mandate.kernel.auth} configures them)
 * are checked by the kernel's {@link CallerAuthenticator}, and the actor they map to is the request's principal,
 * so that who approves comes from authentication, never from the body. A request without valid credentials is a
 * 401 problem with the {@code WWW-Authenticate} challenges. Use HTTPS: Basic credentials are only encoded.
 */
@Component(service = ContainerRequestFilter.class)
@JaxrsExtension
public class ApproverAuthentication implements ContainerRequestFilter {

    /** Paths that need authentication even where the resource class cannot be seen (fail closed). */
    static final List<String> PROTECTED_PATHS = List.of("mandate/v1/approvals");

    @Context
    ResourceInfo resource;

    private final CallerAuthenticator authenticator;

    @Activate
    public ApproverAuthentication(@Reference CallerAuthenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (!protectedResource() && !protectedPath(request.getUriInfo().getPath())) {
            return;
        }
        CallerAuthentication result = authenticator.authenticate(request.getHeaderString(HttpHeaders.AUTHORIZATION),
                List.of());
        if (!result.succeeded()) {
            request.abortWith(refused(result));
            return;
        }
        boolean secure = request.getSecurityContext() != null && request.getSecurityContext().isSecure();
        request.setSecurityContext(new ActorSecurityContext(new ActorPrincipal(result.caller()), secure));
    }

    private boolean protectedResource() {
        ResourceInfo info = resource;
        if (info == null || info.getResourceClass() == null) {
            return false;
        }
        return info.getResourceClass().isAnnotationPresent(Authenticated.class)
                || (info.getResourceMethod() != null && info.getResourceMethod().isAnnotationPresent(Authenticated.class));
    }

    static boolean protectedPath(String path) {
        String relative = path == null ? "" : path.startsWith("/") ? path.substring(1) : path;
        return PROTECTED_PATHS.stream().anyMatch(prefix -> relative.equals(prefix) || relative.startsWith(prefix + "/"));
    }

    private static Response refused(CallerAuthentication result) {
        Response.Status status = result.status() == 403 ? Response.Status.FORBIDDEN : Response.Status.UNAUTHORIZED;
        Response.ResponseBuilder builder = Response.fromResponse(Problem.of(status,
                status == Response.Status.FORBIDDEN ? "forbidden" : "unauthenticated", result.error()).toResponse());
        result.challenges().forEach(challenge -> builder.header(HttpHeaders.WWW_AUTHENTICATE, challenge));
        return builder.build();
    }

    /** The security context of an authenticated request. */
    private record ActorSecurityContext(ActorPrincipal principal, boolean secure) implements SecurityContext {
        @Override
        public Principal getUserPrincipal() {
            return principal;
        }

        @Override
        public boolean isUserInRole(String role) {
            return principal.actor().groups().contains(role);
        }

        @Override
        public boolean isSecure() {
            return secure;
        }

        @Override
        public String getAuthenticationScheme() {
            return "password".equals(principal.actor().assurance()) ? SecurityContext.BASIC_AUTH : "Bearer";
        }
    }
}
