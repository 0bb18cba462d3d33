package dev.mandate.kernel.model.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * JSON as the model stores and hashes it: map keys sorted, no white space. Thread-safe.
 */
final class JsonCodec {
    private static final TypeReference<LinkedHashMap<String, Object>> OBJECT = new TypeReference<>() {
    };
    private static final TypeReference<LinkedHashMap<String, String>> STRINGS = new TypeReference<>() {
    };

    private final ObjectMapper mapper = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    /** Canonical JSON of a JSON-like tree. */
    String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("value is not representable as json: " + e.getOriginalMessage(), e);
        }
    }

    Map<String, Object> readObject(String json) {
        try {
            return mapper.readValue(json, OBJECT);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored json is not an object: " + e.getOriginalMessage(), e);
        }
    }

    Map<String, String> readStrings(String json) {
        try {
            return mapper.readValue(json, STRINGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored labels are not a string map: " + e.getOriginalMessage(), e);
        }
    }

    /** Appends {@code value} as a JSON string, quoted and escaped. */
    static void appendString(StringBuilder out, String value) {
        out.append('"').append(JsonStringEncoder.getInstance().quoteAsString(value)).append('"');
    }

    /** {@code sha256:<hex>} of the UTF-8 bytes of {@code canonicalJson}. */
    static String sha256(String canonicalJson) {
        return "sha256:" + HexFormat.of().formatHex(digest(canonicalJson.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] digest(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the java runtime has no sha-256", e);
        }
    }
}
