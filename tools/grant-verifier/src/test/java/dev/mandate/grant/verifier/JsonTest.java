package dev.mandate.grant.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import dev.mandate.grant.verifier.internal.Json;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void readsWhatGrantsAndKeySetsHold() {
        Object value = Json.parse(" {\"a\":[1,-2.5e1,true,false,null],\"s\":\"x\\\"\\u00e9\\n\",\"o\":{}} ");
        assertThat(value).isEqualTo(Map.of("a", java.util.Arrays.asList(1L, -25.0, true, false, null), "s", "x\"é\n",
                "o", Map.of()));
        assertThat(Json.parse("[]")).isEqualTo(List.of());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "{\"a\":1,}", "[1 2]", "{\"a\":1}x", "\"\\q\"", "01x", "{\"a\":1,\"a\":2}", "tru",
        "\"a\nb\""})
    void refusesWhatIsNotJson(String text) {
        assertThatThrownBy(() -> Json.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(" at offset ");
    }

    @Test
    void refusesDeepNesting() {
        assertThatThrownBy(() -> Json.parse("[".repeat(100) + "]".repeat(100))).hasMessageStartingWith("nested too deeply");
    }
}
