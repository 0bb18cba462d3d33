package dev.mandate.kernel.ledger.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * Canonical JSON in the manner of RFC 8785: object keys sorted by UTF-16 code units, no
 * insignificant white space, UTF-8. Numbers are written as Jackson writes them. Thread-safe.
 */
final class CanonicalJson {
    /** The hash a first record links to. */
    static final String GENESIS = "sha256:" + "0".repeat(64);

    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final TypeReference<LinkedHashMap<String, Object>> OBJECT = new TypeReference<>() {
    };

    private final ObjectMapper mapper = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    /** The canonical text of a payload (a JSON-like tree, records and java.time values allowed). */
    String write(Object value) {
        try {
            // through a tree, so that records and beans are sorted like maps
            return mapper.writeValueAsString(mapper.convertValue(value, Object.class));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalArgumentException("evidence payload is not representable as json: " + e.getMessage(), e);
        }
    }

    Map<String, Object> readObject(String json) {
        try {
            return mapper.readValue(json, OBJECT);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored evidence payload is not a json object: " + e.getOriginalMessage(), e);
        }
    }

    private String string(String value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a string cannot be written as json", e);
        }
    }

    /** ISO-8601 in UTC with exactly three fraction digits, as hashed. */
    static String timestamp(Instant instant) {
        return MILLIS.format(instant);
    }

    /**
     * The canonical JSON of {sequence, type, timestamp, modelRevision, payload, previousHash}: the
     * keys in sorted order, the payload as its stored canonical text.
     */
    String hashInput(long sequence, String type, Instant timestamp, long modelRevision, String payloadJson,
            String previousHash) {
        return "{\"modelRevision\":" + modelRevision
                + ",\"payload\":" + payloadJson
                + ",\"previousHash\":" + string(previousHash)
                + ",\"sequence\":" + sequence
                + ",\"timestamp\":" + string(timestamp(timestamp))
                + ",\"type\":" + string(type) + "}";
    }

    /** {@code sha256:<hex>} of the UTF-8 bytes of {@code text}. */
    static String sha256(String text) {
        try {
            return "sha256:" + HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the java runtime has no sha-256", e);
        }
    }
}
