package dev.mandate.kernel.model.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

class SortedChunksTest {

    private static List<String> values(Iterator<String> iterator) {
        List<String> values = new ArrayList<>();
        iterator.forEachRemaining(values::add);
        return values;
    }

    @Test
    void randomChangesAgreeWithATreeMapAndOlderVersionsStayAsTheyWere() {
        Random random = new Random(7);
        TreeMap<String, String> expected = new TreeMap<>();
        SortedChunks<String> version = SortedChunks.empty();
        List<SortedChunks<String>> versions = new ArrayList<>();
        List<TreeMap<String, String>> expectations = new ArrayList<>();
        for (int round = 0; round < 30; round++) {
            SortedChunks.Editor<String> editor = version.edit();
            int changes = round < 3 ? 5_000 : 300;
            for (int i = 0; i < changes; i++) {
                String key = "k" + random.nextInt(20_000);
                if (random.nextInt(4) == 0) {
                    assertThat(editor.remove(key)).isEqualTo(expected.remove(key));
                } else {
                    String value = key + "@" + round;
                    assertThat(editor.put(key, value)).isEqualTo(expected.put(key, value));
                }
                assertThat(editor.get(key)).isEqualTo(expected.get(key));
            }
            version = editor.build();
            versions.add(version);
            expectations.add(new TreeMap<>(expected));
        }
        for (int i = 0; i < versions.size(); i++) {
            SortedChunks<String> old = versions.get(i);
            TreeMap<String, String> then = expectations.get(i);
            assertThat(old.size()).isEqualTo(then.size());
            assertThat(values(old.iterator())).containsExactlyElementsOf(then.values());
            String from = then.isEmpty() ? "k" : then.keySet().toArray(new String[0])[then.size() / 3];
            assertThat(values(old.after(from))).containsExactlyElementsOf(then.tailMap(from, false).values());
            assertThat(values(old.after(from + "!"))).containsExactlyElementsOf(then.tailMap(from + "!", false).values());
            for (Map.Entry<String, String> entry : then.entrySet()) {
                if (entry.getKey().hashCode() % 7 == 0) {
                    assertThat(old.get(entry.getKey())).isEqualTo(entry.getValue());
                }
            }
        }
        assertThat(versions.get(29).size()).isGreaterThan(SortedChunks.MAX_CHUNK * 4);
    }

    @Test
    void removingEverythingLeavesAnEmptyMapThatTakesNewKeys() {
        SortedChunks.Editor<String> editor = SortedChunks.<String>empty().edit();
        for (int i = 0; i < 2_000; i++) {
            editor.put(String.format("id-%05d", i), "v" + i);
        }
        SortedChunks<String> full = editor.build();
        SortedChunks.Editor<String> emptier = full.edit();
        for (int i = 1_999; i >= 0; i--) {
            assertThat(emptier.remove(String.format("id-%05d", i))).isEqualTo("v" + i);
        }
        SortedChunks<String> empty = emptier.build();

        assertThat(empty.size()).isZero();
        assertThat(values(empty.iterator())).isEmpty();
        assertThat(empty.get("id-00001")).isNull();
        assertThat(full.get("id-00001")).isEqualTo("v1");
        assertThat(full.size()).isEqualTo(2_000);
        SortedChunks.Editor<String> again = empty.edit();
        again.put("b", "2");
        again.put("a", "1");
        assertThat(values(again.build().iterator())).containsExactly("1", "2");
    }
}
