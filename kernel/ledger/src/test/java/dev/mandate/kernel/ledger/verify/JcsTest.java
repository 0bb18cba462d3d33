package dev.mandate.kernel.ledger.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 8785 against the RFC's own examples and test vectors. */
class JcsTest {

    /** RFC 8785 Appendix B: IEEE 754 bit patterns and the text ECMAScript (and so JCS) writes for them. */
    @ParameterizedTest
    @CsvSource({
        "0000000000000000, 0",
        "8000000000000000, 0",
        "0000000000000001, 5e-324",
        "8000000000000001, -5e-324",
        "7fefffffffffffff, 1.7976931348623157e+308",
        "ffefffffffffffff, -1.7976931348623157e+308",
        "4340000000000000, 9007199254740992",
        "c340000000000000, -9007199254740992",
        "4430000000000000, 295147905179352830000",
        "44b52d02c7e14af5, 9.999999999999997e+22",
        "44b52d02c7e14af6, 1e+23",
        "44b52d02c7e14af7, 1.0000000000000001e+23",
        "444b1ae4d6e2ef4e, 999999999999999700000",
        "444b1ae4d6e2ef4f, 999999999999999900000",
        "444b1ae4d6e2ef50, 1e+21",
        "3eb0c6f7a0b5ed8c, 9.999999999999997e-7",
        "3eb0c6f7a0b5ed8d, 0.000001",
        "41b3de4355555553, 333333333.3333332",
        "41b3de4355555554, 333333333.33333325",
        "41b3de4355555555, 333333333.3333333",
        "41b3de4355555556, 333333333.3333334",
        "41b3de4355555557, 333333333.33333343",
        "becbf647612f3696, -0.0000033333333333333333",
        "43143ff3c1cb0959, 1424953923781206.2"
    })
    void numbersAreWrittenAsEcmaScriptWritesThem(String bits, String expected) {
        double value = Double.longBitsToDouble(Long.parseUnsignedLong(bits, 16));

        assertThat(Jcs.number(value)).isEqualTo(expected);
        assertThat(Jcs.canonicalize("[" + expected + "]")).isEqualTo("[" + expected + "]");
    }

    @ParameterizedTest
    @CsvSource({"7fffffffffffffff", "7ff0000000000000", "fff0000000000000"})
    void nanAndTheInfinitiesHaveNoJson(String bits) {
        double value = Double.longBitsToDouble(Long.parseUnsignedLong(bits, 16));

        assertThatThrownBy(() -> Jcs.number(value)).isInstanceOf(IllegalArgumentException.class);
    }

    /** RFC 8785 §3.2.2: the sample input and its canonical output, byte for byte. */
    @Test
    void theRfcSampleIsCanonicalizedByteForByte() {
        String input = "{\n  \"numbers\": [333333333.33333329, 1E30, 4.50,\n                2e-3, 0.000000000000000000000000001],\n"
                + "  \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\",\n"
                + "  \"literals\": [null, true, false]\n}";

        String canonical = Jcs.canonicalize(input);

        assertThat(canonical).isEqualTo("{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
                + "\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
        // RFC 8785 §3.2.4, the UTF-8 bytes in hexadecimal
        assertThat(HexFormat.ofDelimiter(" ").formatHex(canonical.getBytes(StandardCharsets.UTF_8))).isEqualTo(
                "7b 22 6c 69 74 65 72 61 6c 73 22 3a 5b 6e 75 6c 6c 2c 74 72 "
                + "75 65 2c 66 61 6c 73 65 5d 2c 22 6e 75 6d 62 65 72 73 22 3a "
                + "5b 33 33 33 33 33 33 33 33 33 2e 33 33 33 33 33 33 33 2c 31 "
                + "65 2b 33 30 2c 34 2e 35 2c 30 2e 30 30 32 2c 31 65 2d 32 37 "
                + "5d 2c 22 73 74 72 69 6e 67 22 3a 22 e2 82 ac 24 5c 75 30 30 "
                + "30 66 5c 6e 41 27 42 5c 22 5c 5c 5c 5c 5c 22 2f 22 7d");
    }

    /** RFC 8785 §3.2.3: property names sorted by their UTF-16 code units, not by code points or UTF-8. */
    @Test
    void namesAreSortedByUtf16CodeUnits() {
        String input = "{\"\\u20ac\":\"Euro Sign\",\"\\r\":\"Carriage Return\",\"\\ufb33\":\"Hebrew Letter Dalet With Dagesh\","
                + "\"1\":\"One\",\"\\ud83d\\ude00\":\"Emoji: Grinning Face\",\"\\u0080\":\"Control\",\"\\u00f6\":"
                + "\"Latin Small Letter O With Diaeresis\"}";

        String canonical = Jcs.canonicalize(input);

        assertThat(canonical).isEqualTo("{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\","
                + "\"ö\":\"Latin Small Letter O With Diaeresis\",\"€\":\"Euro Sign\",\"\ud83d\ude00\":\"Emoji: Grinning Face\","
                + "\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}");
    }

    @Test
    void controlCharactersUseShortEscapesWhereJsonHasThemAndLowerCaseHexOtherwise() {
        assertThat(Jcs.write("\b\t\n\f\r\u0000\u001f\u007f/<>&\"\\"))
                .isEqualTo("\"\\b\\t\\n\\f\\r\\u0000\\u001f\u007f/<>&\\\"\\\\\"");
    }

    @Test
    void escapesAfterARunOfPlainCharactersAreWrittenToo() {
        assertThat(Jcs.write("plain text then \"quotes\" and a\nbreak")).isEqualTo("\"plain text then \\\"quotes\\\" and a\\nbreak\"");
        assertThat(Jcs.write("only plain text, 🚀 ü")).isEqualTo("\"only plain text, 🚀 ü\"");
        assertThat(Jcs.write("")).isEqualTo("\"\"");
    }

    @Test
    void treesOfJavaValuesAreWrittenLikeTheirJson() {
        Map<String, Object> tree = Map.of("b", List.of(1, 2L, 2.5, true), "a", Map.of("y", "z"), "c", Map.of());

        assertThat(Jcs.write(tree)).isEqualTo("{\"a\":{\"y\":\"z\"},\"b\":[1,2,2.5,true],\"c\":{}}");
        assertThat(Jcs.canonicalize(Jcs.write(tree))).isEqualTo(Jcs.write(tree));
    }

    @Test
    void duplicateNamesAndTrailingTextAreRefused() {
        assertThatThrownBy(() -> Jcs.parse("{\"a\":1,\"a\":2}")).hasMessageStartingWith("duplicate member name 'a'");
        assertThatThrownBy(() -> Jcs.parse("{} x")).hasMessageStartingWith("unexpected text after the json value");
    }
}
