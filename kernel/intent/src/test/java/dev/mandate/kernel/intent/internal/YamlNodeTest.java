package dev.mandate.kernel.intent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The canonical JSON a content hash is taken of is Jackson's rendering of the canonical tree, byte for byte. */
class YamlNodeTest {

    private final ObjectMapper json = new ObjectMapper();
    private final YamlReader reader = new YamlReader();

    @Test
    void canonicalJsonIsJacksonsRenderingOfTheShippedPacks() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Path.of("..", "..", "blueprint-modules"))) {
            files = walk.filter(path -> path.toString().endsWith(".yaml") && path.toString().contains("src/main"))
                    .toList();
        }
        assertThat(files).hasSizeGreaterThan(10);
        int documents = 0;
        for (Path file : files) {
            for (YamlNode document : reader.read(file.toString(), Files.readString(file)).documents()) {
                assertThat(canonical(document)).as(file.toString()).isEqualTo(json.writeValueAsString(document.canonical()));
                documents++;
            }
        }
        assertThat(documents).isGreaterThan(20);
    }

    @Test
    void stringsAreEscapedAsJacksonEscapesThem() throws IOException {
        List<String> texts = new ArrayList<>(List.of("quote \" backslash \\ slash / tab \t", "bell \u0007 nul \u0000 us \u001f del \u007f",
                "crlf \r\n form \f back \b", "unicode é € 𝄞 \u2028", ""));
        StringBuilder yaml = new StringBuilder("a:\n");
        for (int i = 0; i < texts.size(); i++) {
            yaml.append("  k").append(i).append(": \"").append(texts.get(i).replace("\\", "\\\\").replace("\"", "\\\"")
                    .replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n").replace("\f", "\\f").replace("\b", "\\b")
                    .replace("\u0007", "\\a").replace("\u0000", "\\0").replace("\u001f", "\\x1f")
                    .replace("\u007f", "\\x7f").replace("\u2028", "\\u2028")).append("\"\n");
        }
        yaml.append("b: [1, ~, {z: 2, y: [x]}]\nempty:\n\"key \\\" with quote\": v\n");
        YamlReader.Result read = reader.read("t.yaml", yaml.toString());
        assertThat(read.problems()).isEmpty();
        YamlNode document = read.documents().get(0);

        assertThat(document.get("a").fields()).hasSize(texts.size());
        assertThat(document.get("a").get("k1").text()).isEqualTo(texts.get(1));
        assertThat(canonical(document)).isEqualTo(json.writeValueAsString(document.canonical()));
    }

    private static String canonical(YamlNode node) {
        StringBuilder out = new StringBuilder();
        node.writeCanonical(out);
        return out.toString();
    }
}
