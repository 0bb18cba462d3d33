package dev.mandate.kernel.model.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

class HashChunksTest {

    @Test
    void randomChangesAgreeWithAHashMapAndOlderVersionsStayAsTheyWere() {
        Random random = new Random(3);
        Map<String, String> expected = new HashMap<>();
        HashChunks<String> version = HashChunks.empty();
        List<HashChunks<String>> versions = new ArrayList<>();
        List<Map<String, String>> expectations = new ArrayList<>();
        for (int round = 0; round < 20; round++) {
            HashChunks.Editor<String> editor = version.edit();
            for (int i = 0; i < (round == 0 ? 20_000 : 500); i++) {
                String key = "k" + random.nextInt(30_000);
                if (random.nextInt(4) == 0) {
                    assertThat(editor.remove(key)).isEqualTo(expected.remove(key));
                } else {
                    assertThat(editor.put(key, key + "@" + round)).isEqualTo(expected.put(key, key + "@" + round));
                }
            }
            version = editor.build();
            versions.add(version);
            expectations.add(new HashMap<>(expected));
        }
        for (int v = 0; v < versions.size(); v++) {
            for (int k = 0; k < 30_000; k += 7) {
                assertThat(versions.get(v).get("k" + k)).isEqualTo(expectations.get(v).get("k" + k));
            }
        }
    }
}
