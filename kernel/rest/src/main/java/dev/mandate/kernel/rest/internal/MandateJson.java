package dev.mandate.kernel.rest.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import dev.mandate.api.decision.AgentInfo;

/**
 * The JSON conventions of the API: ISO-8601 times, enums by their wire names ({@code delete},
 * {@code require-approval}, {@code AI}), unknown request fields refused so a typo is reported
 * instead of silently ignored.
 */
final class MandateJson {
    private MandateJson() {
    }

    static ObjectMapper newMapper() {
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(SerializationFeature.WRITE_ENUMS_USING_TO_STRING)
                .enable(DeserializationFeature.READ_ENUMS_USING_TO_STRING)
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                // the JAX-RS runtime owns the response stream
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                // AgentInfo.isComplete() is a check, not a field: an actor written out reads back in
                .addMixIn(AgentInfo.class, AgentInfoFields.class)
                .build();
    }

    @JsonIgnoreProperties(value = "complete", allowGetters = false)
    private abstract static class AgentInfoFields {
    }
}
