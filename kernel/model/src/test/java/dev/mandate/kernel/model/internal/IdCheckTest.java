package dev.mandate.kernel.model.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.mandate.api.model.ElementIds;

import org.junit.jupiter.api.Test;

class IdCheckTest {
    @Test
    void acceptsWhatTheIdSchemeAccepts() {
        List<String> ids = new ArrayList<>(List.of("aws:ec2:vpc:eu-west-1:111122223333:vpc-1", "a:b:c:d", "a:b:c",
                "a:b:c:", ":a:b:c:d", "A:b:c:d", "a-:b:c:d", "-a:b:c:d", "a::c:d:e", "a:b c:d:e", "a:b:c:d\t",
                "a:b:c:d\u000B", "a:b:c:d\u00a0", "azure:é:ü:日本", "0:1:2:3", "a_b:c:d:e", "a:b:c:d:", "", "a",
                "a:b:c:" + "x".repeat(1017), "a:b:c:" + "x".repeat(1018)));
        Random random = new Random(7);
        String alphabet = "aazz0099--Z_é. \t\n\r\f\u000B\u00a0";
        for (int n = 0; n < 200_000; n++) {
            StringBuilder id = new StringBuilder();
            for (int segment = random.nextInt(7); segment >= 0; segment--) {
                for (int i = random.nextInt(4); i > 0; i--) {
                    id.append(alphabet.charAt(random.nextInt(random.nextInt(4) == 0 ? alphabet.length() : 8)));
                }
                id.append(segment > 0 ? ":" : "");
            }
            ids.add(id.toString());
        }
        int valid = 0;
        for (String id : ids) {
            assertThat(IdCheck.isValid(id)).as("'%s'", id).isEqualTo(ElementIds.isValid(id));
            valid += ElementIds.isValid(id) ? 1 : 0;
        }
        assertThat(IdCheck.isValid(null)).isFalse();
        assertThat(valid).as("valid ids among the samples").isGreaterThan(1000);
    }
}
