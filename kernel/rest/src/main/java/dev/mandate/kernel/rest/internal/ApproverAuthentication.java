package dev.mandate.kernel.rest.internal;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ResourceInfo;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

import dev.mandate.api.decision.Actor;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.osgi.service.metatype.annotations.Designate;

/**
 * HTTP Basic authentication (RFC 7617) for the resources marked {@link Authenticated}: the caller's
 * user name and password are checked against the JAAS realm, and the actor they map to is the
 * request's principal, so that who approves comes from authentication, never from the body. A
 * request without valid credentials is a 401 problem with a {@code WWW-Authenticate} challenge. Use
 * HTTPS: Basic credentials are only encoded.
 */
@Component(service = ContainerRequestFilter.class, configurationPid = "dev.mandate.kernel.rest.auth")
@Designate(ocd = ApproverAuthenticationConfig.class)
@JaxrsExtension
public class ApproverAuthentication implements ContainerRequestFilter {

    static final String CHALLENGE = "Basic realm=\"mandate\", charset=\"UTF-8\"";
    /** Paths that need authentication even where the resource class cannot be seen (fail closed). */
    static final List<String> PROTECTED_PATHS = List.of("mandate/v1/approvals");

    @Context
    ResourceInfo resource;

    private volatile Authenticator authenticator;

    @Activate
    public ApproverAuthentication(ApproverAuthenticationConfig config) {
        configure(config);
    }

    ApproverAuthentication(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Modified
    void configure(ApproverAuthenticationConfig config) {
        authenticator = new JaasAuthenticator(config.realm(), null, List.of(config.aiRoles()),
                List.of(config.systemRoles()));
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (!protectedResource() && !protectedPath(request.getUriInfo().getPath())) {
            return;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            request.abortWith(unauthorized("authentication required: send HTTP Basic credentials of a user of the realm"));
            return;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            request.abortWith(unauthorized("the Basic credentials are not base64"));
            return;
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            request.abortWith(unauthorized("the Basic credentials are not 'user:password'"));
            return;
        }
        String user = decoded.substring(0, colon);
        char[] password = decoded.substring(colon + 1).toCharArray();
        Optional<Actor> actor;
        try {
            actor = authenticator.authenticate(user, password);
        } finally {
            Arrays.fill(password, '\0');
        }
        if (actor.isEmpty()) {
            request.abortWith(unauthorized("user '" + user + "' could not be authenticated"));
            return;
        }
        boolean secure = request.getSecurityContext() != null && request.getSecurityContext().isSecure();
        request.setSecurityContext(new ActorSecurityContext(new ActorPrincipal(actor.get()), secure));
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

    private static Response unauthorized(String detail) {
        return Response.fromResponse(Problem.of(Response.Status.UNAUTHORIZED, "unauthenticated", detail).toResponse())
                .header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE).build();
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
            return SecurityContext.BASIC_AUTH;
        }
    }
}
