package dev.mandate.connector.file.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import dev.mandate.api.model.Element;
import dev.mandate.api.model.ElementIds;
import dev.mandate.api.model.Relation;
import dev.mandate.api.model.RelationType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads a folder of inventory files ({@code apiVersion: mandate.dev/v1}, {@code kind: Inventory}),
 * YAML or JSON, into elements and relations.
 *
 * <p>A file that cannot be read as a whole fails the read with an {@link InventoryFormatException}
 * ({@code file:line:column: reason}): a half-read inventory must never look complete. A single bad
 * element or relation in an otherwise valid file is left out and listed in {@link Inventory#skipped()}.
 * Thread-safe and stateless.
 */
final class InventoryReader {
    static final String API_VERSION = "mandate.dev/v1";
    static final String KIND = "Inventory";
    /** The largest inventory file read, in characters (snakeyaml's default is 3 MB). */
    static final int MAX_FILE_CODE_POINTS = 64 * 1024 * 1024;

    private static final Set<String> DOCUMENT_FIELDS = Set.of("apiVersion", "kind", "metadata", "elements", "relations");
    private static final List<String> ELEMENT_FIELDS = List.of("id", "kind", "provider", "environment", "trustZone",
            "owner", "labels", "attributes");
    private static final List<String> RELATION_FIELDS = List.of("type", "from", "to", "properties");

    private final ObjectMapper json = new ObjectMapper(
            JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());
    private final ObjectMapper yaml = new YAMLMapper(YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .loaderOptions(loaderOptions())
            .build());

    private static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_FILE_CODE_POINTS);
        return options;
    }

    /**
     * Reads every {@code *.yaml}, {@code *.yml} and {@code *.json} file under {@code folder}, recursively,
     * sorted by relative path; hidden files and folders (names starting with a dot) are ignored.
     *
     * @throws InventoryFormatException when a file is malformed
     * @throws IOException              when the folder or a file cannot be read
     * @throws InterruptedException     when the calling thread is interrupted between files
     */
    Inventory read(Path folder) throws IOException, InventoryFormatException, InterruptedException {
        if (!Files.isDirectory(folder)) {
            throw new IOException("inventory folder '" + folder + "' does not exist or is not a folder");
        }
        // a folder reached through a symbolic link (a mounted volume, a Kubernetes ConfigMap) is walked
        // as the folder it points to; files that are links are read, linked sub-folders are not followed
        Path root = folder.toRealPath();
        List<Path> files = inventoryFiles(root);
        Map<String, String> elementOrigins = new HashMap<>();
        Map<List<Object>, String> relationOrigins = new HashMap<>();
        List<Element> elements = new ArrayList<>();
        List<Relation> relations = new ArrayList<>();
        List<SkippedEntry> skipped = new ArrayList<>();
        for (Path relative : files) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("inventory read of '" + folder + "' interrupted");
            }
            String name = relative.toString().replace('\\', '/');
            for (Entry entry : parse(root.resolve(relative), name)) {
                String origin = name + " " + entry.section() + "[" + entry.index() + "]";
                try {
                    if (entry.section().equals("elements")) {
                        Element element = toElement(entry.node());
                        String first = elementOrigins.putIfAbsent(element.id(), origin);
                        if (first != null) {
                            throw new IllegalArgumentException("duplicate element id '" + element.id()
                                    + "' (first declared in " + first + ")");
                        }
                        elements.add(element);
                    } else {
                        Relation relation = toRelation(entry.node());
                        String first = relationOrigins.putIfAbsent(
                                List.of(relation.type(), relation.from(), relation.to()), origin);
                        if (first != null) {
                            throw new IllegalArgumentException("duplicate relation " + relation.type() + " from '"
                                    + relation.from() + "' to '" + relation.to() + "' (first declared in " + first + ")");
                        }
                        relations.add(relation);
                    }
                } catch (IllegalArgumentException e) {
                    skipped.add(new SkippedEntry(name, entry.section(), entry.index(), entry.line(), e.getMessage()));
                }
            }
        }
        return new Inventory(elements, relations, files.size(), skipped);
    }

    private static List<Path> inventoryFiles(Path folder) throws IOException {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile)
                    .map(folder::relativize)
                    .filter(InventoryReader::isInventoryFile)
                    .sorted((a, b) -> a.toString().replace('\\', '/').compareTo(b.toString().replace('\\', '/')))
                    .toList();
        }
    }

    private static boolean isInventoryFile(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return false;
            }
        }
        String name = relative.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
    }

    /** One raw entry of a section, with where it starts. */
    private record Entry(String section, int index, int line, JsonNode node) {
    }

    private List<Entry> parse(Path file, String name) throws IOException, InventoryFormatException {
        String shown = file.toString();
        boolean isJson = name.toLowerCase(Locale.ROOT).endsWith(".json");
        List<Entry> entries = new ArrayList<>();
        try (JsonParser parser = (isJson ? json : yaml).createParser(file.toFile())) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                throw new InventoryFormatException(shown, 1, 1,
                        "empty inventory file: expected apiVersion '" + API_VERSION + "' and kind '" + KIND + "'");
            }
            while (token != null) {
                if (token != JsonToken.START_OBJECT) {
                    throw error(shown, parser.currentTokenLocation(),
                            "expected an inventory document (a mapping with apiVersion, kind, elements, relations)");
                }
                readDocument(parser, shown, entries);
                token = parser.nextToken();
            }
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof MarkedYAMLException yamlError && yamlError.getProblemMark() != null) {
                // snakeyaml says what is wrong in "problem" and what it was reading in "context"
                Mark mark = yamlError.getProblemMark();
                String context = yamlError.getContext();
                throw new InventoryFormatException(shown, mark.getLine() + 1, mark.getColumn() + 1,
                        "yaml syntax error: " + firstLine(yamlError.getProblem())
                                + (context == null ? "" : " (" + firstLine(context) + ")"));
            }
            throw error(shown, e.getLocation(), lowercaseFirst(firstLine(e.getOriginalMessage())));
        } catch (IOException e) {
            throw new IOException("cannot read inventory file '" + shown + "': " + e.getMessage(), e);
        }
        return entries;
    }

    private void readDocument(JsonParser parser, String file, List<Entry> entries)
            throws IOException, InventoryFormatException {
        JsonLocation start = parser.currentTokenLocation();
        String apiVersion = null;
        JsonLocation apiVersionAt = start;
        String kind = null;
        JsonLocation kindAt = start;
        List<Entry> found = new ArrayList<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonLocation fieldAt = parser.currentTokenLocation();
            if (!DOCUMENT_FIELDS.contains(field)) {
                throw error(file, fieldAt, "unknown inventory field '" + field + "' (known: apiVersion, kind, "
                        + "metadata, elements, relations)");
            }
            JsonToken value = parser.nextToken();
            JsonLocation valueAt = parser.currentTokenLocation();
            switch (field) {
                case "apiVersion" -> {
                    apiVersion = scalar(parser, file, field);
                    apiVersionAt = valueAt;
                }
                case "kind" -> {
                    kind = scalar(parser, file, field);
                    kindAt = valueAt;
                }
                case "metadata" -> {
                    if (value != JsonToken.START_OBJECT && value != JsonToken.VALUE_NULL) {
                        throw error(file, valueAt, "metadata must be a mapping");
                    }
                    parser.skipChildren();
                }
                default -> readSection(parser, file, field, found);
            }
        }
        if (apiVersion == null) {
            throw error(file, start, "missing apiVersion: expected '" + API_VERSION + "'");
        }
        if (!API_VERSION.equals(apiVersion)) {
            throw error(file, apiVersionAt, "unsupported apiVersion '" + apiVersion + "': expected '" + API_VERSION + "'");
        }
        if (kind == null) {
            throw error(file, start, "missing kind: expected '" + KIND + "'");
        }
        if (!KIND.equals(kind)) {
            throw error(file, kindAt, "wrong kind '" + kind + "': an inventory file holds kind '" + KIND + "'");
        }
        entries.addAll(found);
    }

    private static String scalar(JsonParser parser, String file, String field)
            throws IOException, InventoryFormatException {
        if (!parser.currentToken().isScalarValue() || parser.currentToken() == JsonToken.VALUE_NULL) {
            throw error(file, parser.currentTokenLocation(), field + " must be a string");
        }
        return parser.getValueAsString();
    }

    private static void readSection(JsonParser parser, String file, String section, List<Entry> found)
            throws IOException, InventoryFormatException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return;
        }
        if (token != JsonToken.START_ARRAY) {
            throw error(file, parser.currentTokenLocation(), section + " must be a list");
        }
        int index = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            int line = parser.currentTokenLocation().getLineNr();
            JsonNode node = parser.readValueAsTree();
            found.add(new Entry(section, index++, line, node));
        }
    }

    private static InventoryFormatException error(String file, JsonLocation at, String reason) {
        int line = at == null ? 0 : Math.max(at.getLineNr(), 0);
        int column = at == null ? 0 : Math.max(at.getColumnNr(), 0);
        return new InventoryFormatException(file, line, column, reason);
    }

    /** Jackson's "Duplicate field 'kind'" as "duplicate field 'kind'"; leaves acronyms ("JSON …") alone. */
    private static String lowercaseFirst(String reason) {
        if (reason.length() > 1 && Character.isUpperCase(reason.charAt(0)) && Character.isLowerCase(reason.charAt(1))) {
            return Character.toLowerCase(reason.charAt(0)) + reason.substring(1);
        }
        return reason;
    }

    private static String firstLine(String message) {
        if (message == null || message.isBlank()) {
            return "malformed inventory file";
        }
        String line = message.strip().lines().findFirst().orElse(message).strip();
        return line.isEmpty() ? "malformed inventory file" : line;
    }

    // ---- entries ------------------------------------------------------------------------------

    static Element toElement(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("an element must be a mapping");
        }
        checkFields(node, ELEMENT_FIELDS, "element");
        String id = ElementIds.require(text(node, "id"));
        String kind = text(node, "kind");
        if (kind == null) {
            throw new IllegalArgumentException("element '" + id + "' has no kind");
        }
        if (!kind.equals(ElementIds.kindOf(id))) {
            throw new IllegalArgumentException("element '" + id + "' has kind '" + kind
                    + "' but its id says '" + ElementIds.kindOf(id) + "'");
        }
        String provider = text(node, "provider");
        if (provider == null) {
            throw new IllegalArgumentException("element '" + id + "' has no provider");
        }
        String idProvider = id.substring(0, id.indexOf(':'));
        if (!provider.equals(idProvider)) {
            throw new IllegalArgumentException("element '" + id + "' has provider '" + provider
                    + "' but its id says '" + idProvider + "'");
        }
        return new Element(id, kind, provider, text(node, "environment"), text(node, "trustZone"),
                text(node, "owner"), labels(node.get("labels"), id), object(node.get("attributes"), "attributes", id),
                Map.of());
    }

    static Relation toRelation(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("a relation must be a mapping");
        }
        checkFields(node, RELATION_FIELDS, "relation");
        RelationType type = RelationType.parse(text(node, "type"));
        String from = endpoint(node, "from");
        String to = endpoint(node, "to");
        if (from.equals(to)) {
            throw new IllegalArgumentException("relation " + type + " from '" + from + "' to itself");
        }
        return new Relation(type, from, to, object(node.get("properties"), "properties", from));
    }

    private static String endpoint(JsonNode node, String field) {
        String id = text(node, field);
        if (id == null) {
            throw new IllegalArgumentException("relation has no '" + field + "' element id");
        }
        try {
            return ElementIds.require(id);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("relation '" + field + "': " + e.getMessage(), e);
        }
    }

    private static void checkFields(JsonNode node, List<String> known, String what) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown " + what + " field '" + name + "' (known: "
                        + String.join(", ", known) + ")");
            }
        }
    }

    /** A scalar field as text; {@code null} when absent, null or blank. */
    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isValueNode()) {
            throw new IllegalArgumentException("field '" + field + "' must be a string");
        }
        String text = value.asText().strip();
        return text.isEmpty() ? null : text;
    }

    private static Map<String, String> labels(JsonNode node, String id) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("labels of '" + id + "' must be a mapping of strings");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            if (!value.isValueNode() || value.isNull()) {
                throw new IllegalArgumentException("label '" + field.getKey() + "' of '" + id + "' must be a string");
            }
            labels.put(field.getKey(), value.asText());
        }
        return labels;
    }

    private static Map<String, Object> object(JsonNode node, String what, String id) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException(what + " of '" + id + "' must be a mapping");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) toJava(node);
        return map;
    }

    /** A JSON tree as unmodifiable maps, lists, strings, numbers, booleans and nulls. */
    private static Object toJava(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.fields().forEachRemaining(field -> map.put(field.getKey(), toJava(field.getValue())));
            return Collections.unmodifiableMap(map);
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            node.forEach(item -> list.add(toJava(item)));
            return Collections.unmodifiableList(list);
        }
        if (node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isNumber()) {
            return node.numberValue();
        }
        return node.asText();
    }
}
