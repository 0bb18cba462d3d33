package dev.mandate.enforce.kubernetes;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mandate.api.enforcement.InvalidChangeException;

/**
 * An {@code admission.k8s.io/v1} AdmissionReview: either a question (it carries a {@code request}) or an
 * answer (it carries a {@code response}). Immutable and thread-safe.
 *
 * <p>{@link #parse(InputStream)} accepts the review the API server sends and, for tests and tools, a bare
 * AdmissionRequest (a JSON object with {@code uid} and {@code operation} at the top), which it wraps; JSON
 * pointers into the input ({@link #pointer(String)}) then point into what was sent. Parsing checks only the
 * envelope; the adapter checks the request and says where it is wrong.
 */
public final class AdmissionReview {

    /** The only AdmissionReview version served. */
    public static final String API_VERSION = "admission.k8s.io/v1";
    /** The kind of the envelope. */
    public static final String KIND = "AdmissionReview";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Object>> OBJECT = new TypeReference<>() {
    };

    private final Map<String, Object> request;
    private final Map<String, Object> response;
    private final String prefix;

    private AdmissionReview(Map<String, Object> request, Map<String, Object> response, String prefix) {
        this.request = request;
        this.response = response;
        this.prefix = prefix;
    }

    /**
     * Reads a review (or a bare request).
     *
     * @throws InvalidChangeException when it is empty, not a JSON object, another AdmissionReview version, or
     *                                carries no request object
     */
    public static AdmissionReview parse(InputStream json) throws InvalidChangeException {
        Map<String, Object> root;
        try {
            if (json == null) {
                throw new InvalidChangeException("/", "the admission review is empty");
            }
            root = readObject(json);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            String reason = e.getOriginalMessage() == null ? "malformed" : e.getOriginalMessage().split("\n", 2)[0];
            throw new InvalidChangeException("/", "the admission review is not a valid json object" + where + ": "
                    + lower(reason));
        } catch (IOException e) {
            throw new InvalidChangeException("/", "the admission review could not be read: " + e.getMessage());
        }
        if (root == null) {
            throw new InvalidChangeException("/", "the admission review is empty");
        }
        boolean bare = !root.containsKey("request") && !(root.get("kind") instanceof String)
                && root.containsKey("uid") && root.containsKey("operation");
        if (bare) {
            return new AdmissionReview(Collections.unmodifiableMap(root), null, "");
        }
        Object apiVersion = root.get("apiVersion");
        if (apiVersion != null && !API_VERSION.equals(apiVersion)) {
            throw new InvalidChangeException("/apiVersion", "admission review version '" + apiVersion
                    + "' is not served: configure the webhook with admissionReviewVersions: [v1]");
        }
        Object kind = root.get("kind");
        if (kind != null && !KIND.equals(kind)) {
            throw new InvalidChangeException("/kind", "expected an AdmissionReview, not '" + kind + "'");
        }
        Object request = root.get("request");
        if (request == null) {
            throw new InvalidChangeException("/request", "the admission review carries no request");
        }
        if (!(request instanceof Map<?, ?> map)) {
            throw new InvalidChangeException("/request", "the request of an admission review is an object, not "
                    + typeOf(request));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> requestMap = (Map<String, Object>) map;
        return new AdmissionReview(Collections.unmodifiableMap(requestMap), null, "/request");
    }

    /** Reads a review from text. */
    public static AdmissionReview parse(String json) throws InvalidChangeException {
        return parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    /** A review asking about {@code request} (an AdmissionRequest as parsed JSON). */
    public static AdmissionReview ofRequest(Map<String, Object> request) {
        return new AdmissionReview(Collections.unmodifiableMap(new LinkedHashMap<>(request)), null, "/request");
    }

    /**
     * An answer.
     *
     * @param uid      the request's uid, echoed
     * @param allowed  whether the change is admitted
     * @param code     the HTTP-like status code for a refusal ({@code 403}), or {@code null} for none
     * @param message  why, or {@code null}
     * @param warnings warnings shown to the client (kubectl prints them); may be empty
     */
    public static AdmissionReview answer(String uid, boolean allowed, Integer code, String message,
            List<String> warnings) {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("uid", uid);
        response.put("allowed", allowed);
        if (code != null || message != null) {
            Map<String, Object> status = new LinkedHashMap<>();
            if (code != null) {
                status.put("code", code);
            }
            if (message != null) {
                status.put("message", message);
            }
            if (!allowed) {
                status.put("status", "Failure");
                status.put("reason", code != null && code == 403 ? "Forbidden" : "InternalError");
            }
            response.put("status", Collections.unmodifiableMap(status));
        }
        if (warnings != null && !warnings.isEmpty()) {
            response.put("warnings", List.copyOf(warnings));
        }
        return new AdmissionReview(null, Collections.unmodifiableMap(response), "/response");
    }

    /** This answer with audit annotations added (recorded by the API server's audit log); a question is unchanged. */
    public AdmissionReview withAuditAnnotations(Map<String, String> annotations) {
        if (response == null || annotations.isEmpty()) {
            return this;
        }
        Map<String, Object> copy = new LinkedHashMap<>(response);
        Map<String, String> merged = new LinkedHashMap<>();
        if (copy.get("auditAnnotations") instanceof Map<?, ?> existing) {
            existing.forEach((k, v) -> merged.put(String.valueOf(k), String.valueOf(v)));
        }
        merged.putAll(annotations);
        copy.put("auditAnnotations", Collections.unmodifiableMap(merged));
        return new AdmissionReview(null, Collections.unmodifiableMap(copy), prefix);
    }

    /** The AdmissionRequest, or {@code null} for an answer. */
    public Map<String, Object> request() {
        return request;
    }

    /** The AdmissionResponse, or {@code null} for a question. */
    public Map<String, Object> response() {
        return response;
    }

    /** Whether this is a question. */
    public boolean isRequest() {
        return request != null;
    }

    /** The uid of the request or of the answer; {@code null} when absent or not text. */
    public String uid() {
        Object uid = (request != null ? request : response).get("uid");
        return uid instanceof String s ? s : null;
    }

    /** For an answer: whether the change is admitted. */
    public boolean allowed() {
        return response != null && Boolean.TRUE.equals(response.get("allowed"));
    }

    /** For an answer: the status message, or {@code null}. */
    public String message() {
        return response != null && response.get("status") instanceof Map<?, ?> status
                && status.get("message") instanceof String s ? s : null;
    }

    /** For an answer: the warnings. */
    @SuppressWarnings("unchecked")
    public List<String> warnings() {
        return response != null && response.get("warnings") instanceof List<?> list ? (List<String>) list : List.of();
    }

    /**
     * The JSON pointer, in the document that was parsed, of {@code relative} (a pointer inside the
     * AdmissionRequest, such as {@code /kind/kind}).
     */
    public String pointer(String relative) {
        return prefix + relative;
    }

    /** The review as JSON: {@code {apiVersion, kind, request|response}}. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("apiVersion", API_VERSION);
        map.put("kind", KIND);
        if (request != null) {
            map.put("request", request);
        } else {
            map.put("response", response);
        }
        return map;
    }

    /** The review as JSON bytes (UTF-8). */
    public byte[] toJson() {
        try {
            return MAPPER.writeValueAsBytes(toMap());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return new String(toJson(), StandardCharsets.UTF_8);
    }

    private static Map<String, Object> readObject(InputStream json) throws IOException, InvalidChangeException {
        com.fasterxml.jackson.databind.JsonNode node = MAPPER.readTree(json);
        if (node == null || node.isMissingNode()) {
            return null;
        }
        if (!node.isObject()) {
            throw new InvalidChangeException("/", "an admission review is a json object, not "
                    + node.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return MAPPER.convertValue(node, OBJECT);
    }

    static String typeOf(Object value) {
        if (value instanceof List<?>) {
            return "an array";
        }
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof Number) {
            return "a number";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        return value == null ? "null" : "an object";
    }

    private static String lower(String text) {
        return text.isEmpty() ? text : Character.toLowerCase(text.charAt(0)) + text.substring(1);
    }
}
