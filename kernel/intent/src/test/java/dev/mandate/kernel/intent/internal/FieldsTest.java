package dev.mandate.kernel.intent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class FieldsTest {

    private static final String[] NAMES = {"id", "kind", "groups", "attributes"};

    @Test
    void readsAsTheLinkedHashMapItStandsFor() {
        Fields fields = new Fields(NAMES, "a-1", "HUMAN", List.of("team-0"), Map.of("clearance", 3L));
        Map<String, Object> same = new LinkedHashMap<>();
        same.put("id", "a-1");
        same.put("kind", "HUMAN");
        same.put("groups", List.of("team-0"));
        same.put("attributes", Map.of("clearance", 3L));

        assertThat(fields).isEqualTo(same);
        assertThat(same).isEqualTo(fields);
        assertThat(fields.hashCode()).isEqualTo(same.hashCode());
        assertThat(fields.toString()).isEqualTo(same.toString());
        assertThat(fields.keySet()).containsExactly("id", "kind", "groups", "attributes");
        // a name built at run time finds its field as the literal does
        assertThat(fields.get(new String("groups"))).isEqualTo(List.of("team-0"));
        assertThat(fields.containsKey(new String("kind"))).isTrue();
        assertThat(fields.get("team")).isNull();
        assertThat(fields.containsKey("team")).isFalse();
        assertThat(fields.containsKey(null)).isFalse();
        assertThat(fields).hasSize(4);
    }

    @Test
    void namesAndValuesMustPair() {
        assertThatThrownBy(() -> new Fields(NAMES, "a-1")).isInstanceOf(IllegalArgumentException.class);
    }
}
