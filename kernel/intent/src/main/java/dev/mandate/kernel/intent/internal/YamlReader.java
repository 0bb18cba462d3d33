package dev.mandate.kernel.intent.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.mandate.kernel.intent.Problem;

/**
 * Reads a file of YAML documents (separated by {@code ---}) into located trees. Thread-safe.
 */
final class YamlReader {

    /** Intent files are small; a larger one is a mistake (or an attack on the loader). */
    static final int MAX_CHARS = 1 << 20;
    private static final int MAX_DEPTH = 64;

    private final YAMLFactory factory = new YAMLFactory();

    /** The documents of a file, or the problem that stopped reading it. */
    record Result(List<YamlNode> documents, List<Problem> problems) {
    }

    Result read(String fileName, String text) {
        if (text.length() > MAX_CHARS) {
            return failure(new Problem(fileName, 1, 1,
                    "file is too large: " + text.length() + " characters (at most " + MAX_CHARS + ")"));
        }
        List<YamlNode> documents = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        try (JsonParser parser = factory.createParser(text)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                YamlNode document = readValue(parser, token, fileName, problems, 0);
                // an empty document (a trailing ---) carries nothing
                if (!document.isNull()) {
                    documents.add(document);
                }
            }
        } catch (JsonProcessingException e) {
            JsonLocation location = e.getLocation();
            problems.add(new Problem(fileName, location == null ? 0 : location.getLineNr(),
                    location == null ? 0 : location.getColumnNr(), "yaml syntax: " + syntaxMessage(e)));
        } catch (IOException e) {
            problems.add(new Problem(fileName, 0, 0, "yaml could not be read: " + e.getMessage()));
        }
        return problems.isEmpty() ? new Result(documents, List.of()) : new Result(List.of(), problems);
    }

    private static Result failure(Problem problem) {
        return new Result(List.of(), List.of(problem));
    }

    private YamlNode readValue(JsonParser parser, JsonToken token, String fileName, List<Problem> problems,
            int depth) throws IOException {
        JsonLocation at = parser.currentTokenLocation();
        int line = at.getLineNr();
        int column = at.getColumnNr();
        if (depth > MAX_DEPTH) {
            throw new JsonProcessingException("nesting deeper than " + MAX_DEPTH + " levels", at) {
                private static final long serialVersionUID = 1L;
            };
        }
        switch (token) {
            case START_OBJECT: {
                LinkedHashMap<String, YamlNode> fields = new LinkedHashMap<>();
                JsonToken next;
                while ((next = parser.nextToken()) == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    JsonLocation keyAt = parser.currentTokenLocation();
                    YamlNode value = readValue(parser, parser.nextToken(), fileName, problems, depth + 1);
                    if (fields.containsKey(name)) {
                        problems.add(new Problem(fileName, keyAt.getLineNr(), keyAt.getColumnNr(),
                                "duplicate key '" + name + "'"));
                    }
                    fields.put(name, value);
                }
                return YamlNode.map(line, column, fields);
            }
            case START_ARRAY: {
                List<YamlNode> items = new ArrayList<>();
                JsonToken next;
                while ((next = parser.nextToken()) != JsonToken.END_ARRAY && next != null) {
                    items.add(readValue(parser, next, fileName, problems, depth + 1));
                }
                return YamlNode.list(line, column, items);
            }
            case VALUE_NULL:
                return YamlNode.nullValue(line, column);
            case VALUE_TRUE:
                return YamlNode.scalar(line, column, "true", true);
            case VALUE_FALSE:
                return YamlNode.scalar(line, column, "false", true);
            default:
                return YamlNode.scalar(line, column, parser.getText(), false);
        }
    }

    /** snakeyaml's message spans lines with a code excerpt; keep its sentences only. */
    private static String syntaxMessage(JsonProcessingException e) {
        String original = e.getOriginalMessage();
        if (original == null) {
            return "unreadable document";
        }
        List<String> parts = new ArrayList<>();
        for (String part : original.split("\\R")) {
            if (!part.isBlank() && !Character.isWhitespace(part.charAt(0))) {
                parts.add(part.trim());
            }
        }
        String joined = parts.isEmpty() ? original.trim() : String.join(": ", parts);
        return joined.isEmpty() ? "unreadable document" : Character.toLowerCase(joined.charAt(0)) + joined.substring(1);
    }
}
