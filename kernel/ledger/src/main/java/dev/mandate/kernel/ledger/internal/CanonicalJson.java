package dev.mandate.kernel.ledger.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import dev.mandate.kernel.ledger.verify.Jcs;

/**
 * Payloads to and from their stored RFC 8785 text: a payload that is already a JSON tree (maps,
 * lists, strings, numbers, booleans, null) is written as it is; anything else (records, java.time
 * values) becomes a tree through Jackson first. Thread-safe. Public for the in-memory ledger of the
 * test-jar ({@code dev.mandate.kernel.ledger.testing}), which stores payloads as this ledger does.
 */
public final class CanonicalJson {
    private static final TypeReference<LinkedHashMap<String, Object>> OBJECT = new TypeReference<>() {
    };

    private final ObjectMapper mapper = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    /** The canonical text of a payload. */
    public String write(Object value) {
        try {
            return Jcs.write(isTree(value) ? value : mapper.convertValue(value, Object.class));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("evidence payload is not representable as json: " + e.getMessage(), e);
        }
    }

    public Map<String, Object> readObject(String json) {
        try {
            return mapper.readValue(json, OBJECT);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored evidence payload is not a json object: " + e.getOriginalMessage(), e);
        }
    }

    /** Whether the value is already a JSON tree of maps, lists, strings, numbers, booleans and nulls. */
    public static boolean isTree(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
                || value instanceof Long || value instanceof Double) {
            return true;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!(entry.getKey() instanceof String) || !isTree(entry.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (value instanceof List<?> list) {
            for (Object item : list) {
                if (!isTree(item)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }
}
