package dev.mandate.kernel.ledger.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class PayloadTextTest {
    private final CanonicalJson json = new CanonicalJson();

    @Test
    void aPayloadWithoutThatOutcomeIsCertainlyNotOne() {
        assertThat(PayloadText.mayHaveOutcome(json.write(Map.of("outcome", "DENY", "id", "d-1")), "ALLOW")).isFalse();
        assertThat(PayloadText.mayHaveOutcome(json.write(Map.of("id", "d-1")), "ALLOW")).isFalse();
        assertThat(PayloadText.mayHaveOutcome(json.write(Map.of("outcome", "ALLOWED")), "ALLOW")).isFalse();
        // the words inside a string are escaped, so they never look like the member
        assertThat(PayloadText.mayHaveOutcome(json.write(Map.of("note", "\"outcome\":\"ALLOW\"")), "ALLOW")).isFalse();
    }

    @Test
    void aPayloadWithThatOutcomeMayBeOneIgnoringCase() {
        assertThat(PayloadText.mayHaveOutcome(json.write(Map.of("id", "d-1", "outcome", "ALLOW", "z", 1)), "ALLOW"))
                .isTrue();
        assertThat(PayloadText.mayHaveOutcome(json.write(Map.of("outcome", "ALLOW")), "allow")).isTrue();
        // a nested member of that name may be a false "maybe"; the parsed record is checked afterwards
        assertThat(PayloadText.mayHaveOutcome(json.write(Map.of("changes", List.of(Map.of("outcome", "ALLOW")))),
                "ALLOW")).isTrue();
    }

    @Test
    void anOutcomeWhoseJsonFormCouldBeEscapedIsNeverRuledOut() {
        assertThat(PayloadText.mayHaveOutcome(json.write(Map.of("outcome", "a\"b")), "a\"b")).isTrue();
        assertThat(PayloadText.mayHaveOutcome(json.write(Map.of("outcome", "DENY")), "a b")).isTrue();
    }
}
