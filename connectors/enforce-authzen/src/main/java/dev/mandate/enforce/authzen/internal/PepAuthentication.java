package dev.mandate.enforce.authzen.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mandate.api.auth.CallerAuthentication;
import dev.mandate.api.auth.CallerAuthenticator;

import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Response;

/**
 * Admits the callers of the AuthZEN endpoints (policy enforcement points): with authentication on, the request's
 * credentials must hold ({@link CallerAuthenticator}) and the caller hold one of the configured roles; a refusal is
 * 401 or 403 with the {@code WWW-Authenticate} challenges and an RFC 9457 problem (AuthZEN leaves the error body
 * to the PDP), and the request's {@code X-Request-ID} echoed. Thread-safe.
 */
final class PepAuthentication {

    /** Who was admitted ({@code caller} is {@code null} with authentication off), or the refusal to send. */
    record Admission(String caller, Response refusal) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CallerAuthenticator authenticator;
    private final AuthZenAdapter adapter;

    /** @param authenticator the kernel's authenticator; {@code null} refuses every call while authentication is on */
    PepAuthentication(CallerAuthenticator authenticator, AuthZenAdapter adapter) {
        this.authenticator = authenticator;
        this.adapter = adapter;
    }

    Admission admit(String authorization, String requestId) {
        AuthZenAdapter.Settings settings = adapter.settings();
        if (!settings.authenticate()) {
            return new Admission(null, null);
        }
        CallerAuthentication result = authenticator == null
                ? CallerAuthentication.unauthenticated("no caller authentication is running", List.of())
                : authenticator.authenticate(authorization, settings.callerRoles());
        if (result.succeeded()) {
            return new Admission(result.caller().id(), null);
        }
        boolean forbidden = result.status() == 403;
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "https://mandate.dev/problems/" + (forbidden ? "forbidden" : "unauthenticated"));
        problem.put("title", forbidden ? "Forbidden" : "Unauthorized");
        problem.put("status", result.status());
        problem.put("detail", result.error());
        Response.ResponseBuilder builder;
        try {
            builder = Response.status(result.status()).type(AccessEvaluationResource.PROBLEM_JSON)
                    .entity(JSON.writeValueAsBytes(problem));
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
        result.challenges().forEach(challenge -> builder.header(HttpHeaders.WWW_AUTHENTICATE, challenge));
        if (requestId != null) {
            builder.header(AccessEvaluationResource.REQUEST_ID, requestId);
        }
        return new Admission(null, builder.build());
    }
}
