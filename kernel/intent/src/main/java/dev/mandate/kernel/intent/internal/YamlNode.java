package dev.mandate.kernel.intent.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A YAML value that remembers where it was written, so that every problem can name a line and a
 * column. Immutable once {@link YamlReader} has built it.
 */
final class YamlNode {

    enum Type {
        MAP, LIST, SCALAR, NULL
    }

    private final Type type;
    private final int line;
    private final int column;
    private final Map<String, YamlNode> fields;
    private final List<YamlNode> items;
    private final String text;
    private final boolean bool;

    private YamlNode(Type type, int line, int column, Map<String, YamlNode> fields, List<YamlNode> items,
            String text, boolean bool) {
        this.type = type;
        this.line = line;
        this.column = column;
        this.fields = fields;
        this.items = items;
        this.text = text;
        this.bool = bool;
    }

    static YamlNode map(int line, int column, LinkedHashMap<String, YamlNode> fields) {
        return new YamlNode(Type.MAP, line, column, Collections.unmodifiableMap(fields), List.of(), null, false);
    }

    static YamlNode list(int line, int column, List<YamlNode> items) {
        return new YamlNode(Type.LIST, line, column, Map.of(), List.copyOf(items), null, false);
    }

    static YamlNode scalar(int line, int column, String text, boolean bool) {
        return new YamlNode(Type.SCALAR, line, column, Map.of(), List.of(), text, bool);
    }

    static YamlNode nullValue(int line, int column) {
        return new YamlNode(Type.NULL, line, column, Map.of(), List.of(), null, false);
    }

    Type type() {
        return type;
    }

    int line() {
        return line;
    }

    int column() {
        return column;
    }

    boolean isMap() {
        return type == Type.MAP;
    }

    boolean isList() {
        return type == Type.LIST;
    }

    boolean isScalar() {
        return type == Type.SCALAR;
    }

    boolean isNull() {
        return type == Type.NULL;
    }

    /** The fields of a mapping, in document order. */
    Map<String, YamlNode> fields() {
        return fields;
    }

    /** The field, or {@code null}. */
    YamlNode get(String name) {
        return fields.get(name);
    }

    List<YamlNode> items() {
        return items;
    }

    /** The scalar's text as written (numbers and booleans too). */
    String text() {
        return text;
    }

    /** Whether the scalar was a YAML boolean. */
    boolean isBoolean() {
        return bool;
    }

    /** What the value looks like, for messages ("a mapping", "a list" …). */
    String describe() {
        return switch (type) {
            case MAP -> "a mapping";
            case LIST -> "a list";
            case SCALAR -> "'" + text + "'";
            case NULL -> "empty";
        };
    }

    /**
     * Appends the canonical JSON of this value: mappings with keys sorted, scalars as strings, empty
     * values as {@code null}, no white space; strings escaped as Jackson writes them ({@code "} and
     * {@code \\} and control characters, those as {@code \\b \\t \\n \\f \\r} or {@code \\u00XX}),
     * so the text is byte for byte Jackson's rendering of {@link #canonical()}.
     */
    void writeCanonical(StringBuilder out) {
        switch (type) {
            case MAP -> {
                out.append('{');
                String[] keys = fields.keySet().toArray(new String[0]);
                java.util.Arrays.sort(keys);
                for (int i = 0; i < keys.length; i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    writeString(keys[i], out);
                    out.append(':');
                    fields.get(keys[i]).writeCanonical(out);
                }
                out.append('}');
            }
            case LIST -> {
                out.append('[');
                for (int i = 0; i < items.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    items.get(i).writeCanonical(out);
                }
                out.append(']');
            }
            case SCALAR -> writeString(text, out);
            case NULL -> out.append("null");
        }
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private static void writeString(String value, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c >= 0x20) {
                out.append(c);
            } else {
                switch (c) {
                    case '\b' -> out.append("\\b");
                    case '\t' -> out.append("\\t");
                    case '\n' -> out.append("\\n");
                    case '\f' -> out.append("\\f");
                    case '\r' -> out.append("\\r");
                    default -> out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                }
            }
        }
        out.append('"');
    }

    /** A plain tree with sorted keys and scalars as text, the canonical form the content hash is taken of. */
    Object canonical() {
        return switch (type) {
            case MAP -> {
                TreeMap<String, Object> sorted = new TreeMap<>();
                fields.forEach((key, value) -> sorted.put(key, value.canonical()));
                yield sorted;
            }
            case LIST -> items.stream().map(YamlNode::canonical).toList();
            case SCALAR -> text;
            case NULL -> null;
        };
    }
}
