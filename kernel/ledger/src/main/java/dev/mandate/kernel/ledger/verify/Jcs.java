package dev.mandate.kernel.ledger.verify;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON Canonicalization Scheme of RFC 8785: object members sorted by the UTF-16 code units of
 * their names, no white space, strings escaped only where JSON requires it (short forms for
 * {@code \b \t \n \f \r}, {@code \\u00xx} in lower case for the other controls), numbers as
 * ECMAScript's {@code Number.prototype.toString} writes the IEEE 754 double. Also a strict parser
 * (I-JSON: no duplicate names) for canonicalizing JSON text. Stateless and thread-safe.
 *
 * <p>Trees are made of {@link Map} (string keys), {@link List}, {@link String}, {@link Number},
 * {@link Boolean} and {@code null}.
 */
public final class Jcs {
    private static final double TWO_53 = 9007199254740992d;

    private Jcs() {
    }

    /** The canonical text of a JSON tree. */
    public static String write(Object tree) {
        StringBuilder out = new StringBuilder(256);
        write(tree, out);
        return out.toString();
    }

    /** The canonical text of JSON text. */
    public static String canonicalize(String json) {
        return write(parse(json));
    }

    /** Appends the canonical text of {@code tree} to {@code out}. */
    public static void write(Object tree, StringBuilder out) {
        if (tree == null) {
            out.append("null");
        } else if (tree instanceof String text) {
            string(text, out);
        } else if (tree instanceof Boolean bool) {
            out.append(bool.booleanValue());
        } else if (tree instanceof Number number) {
            out.append(number(number));
        } else if (tree instanceof Map<?, ?> map) {
            object(map, out);
        } else if (tree instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(list.get(i), out);
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException("a " + tree.getClass().getSimpleName() + " is not a json value");
        }
    }

    private static void object(Map<?, ?> map, StringBuilder out) {
        String[] names = new String[map.size()];
        int i = 0;
        for (Object key : map.keySet()) {
            if (!(key instanceof String name)) {
                throw new IllegalArgumentException("json object names must be strings, found '" + key + "'");
            }
            names[i++] = name;
        }
        Arrays.sort(names); // String.compareTo compares UTF-16 code units, as RFC 8785 §3.2.3 asks
        out.append('{');
        for (i = 0; i < names.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            string(names[i], out);
            out.append(':');
            write(map.get(names[i]), out);
        }
        out.append('}');
    }

    /** A JSON string literal as RFC 8785 §3.2.2.2 writes it. */
    public static void string(String text, StringBuilder out) {
        out.append('"');
        // runs of characters that need no escape are copied whole: most strings are one such run
        int length = text.length();
        int run = 0;
        while (run < length) {
            char c = text.charAt(run);
            if (c < 0x20 || c == '"' || c == '\\') {
                break;
            }
            run++;
        }
        out.append(text, 0, run);
        if (run == length) {
            out.append('"');
            return;
        }
        for (int i = run; i < length; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\f' -> out.append("\\f");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** A number as ECMAScript writes its double value (RFC 8785 §3.2.2.3). */
    public static String number(Number number) {
        if (number instanceof Long || number instanceof Integer || number instanceof Short || number instanceof Byte) {
            long value = number.longValue();
            if (Math.abs(value) <= (long) TWO_53) {
                return Long.toString(value);
            }
        }
        return number(number.doubleValue());
    }

    /** A double as ECMAScript's Number.prototype.toString writes it; NaN and infinities are refused. */
    public static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("json has no representation for the number " + value);
        }
        if (value == 0) {
            return "0"; // -0 as well
        }
        if (value == Math.rint(value) && Math.abs(value) < TWO_53) {
            return Long.toString((long) value);
        }
        BigDecimal shortest = shortest(value);
        String digits = shortest.unscaledValue().abs().toString();
        int k = digits.length();
        int n = k - shortest.scale(); // the value is 0.digits × 10^n
        StringBuilder out = new StringBuilder(26);
        if (value < 0) {
            out.append('-');
        }
        if (k <= n && n <= 21) {
            out.append(digits).append("0".repeat(n - k));
        } else if (0 < n && n <= 21) {
            out.append(digits, 0, n).append('.').append(digits, n, k);
        } else if (-6 < n && n <= 0) {
            out.append("0.").append("0".repeat(-n)).append(digits);
        } else {
            int exponent = n - 1;
            out.append(digits.charAt(0));
            if (k > 1) {
                out.append('.').append(digits, 1, k);
            }
            out.append('e').append(exponent < 0 ? '-' : '+').append(Math.abs(exponent));
        }
        return out.toString();
    }

    /**
     * The decimal with the fewest significant digits that reads back as {@code value}, the closest
     * to it among those (ECMA-262 Number::toString, step 5), without trailing zeros.
     */
    private static BigDecimal shortest(double value) {
        BigDecimal exact = new BigDecimal(value);
        for (int precision = 1; precision <= 17; precision++) {
            BigDecimal nearest = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
            if (nearest.doubleValue() == value) {
                return nearest.stripTrailingZeros();
            }
            // below a power of two the interval that reads back is lopsided: the nearest candidate
            // can fall outside while its neighbour on the other side is inside
            BigDecimal unit = BigDecimal.ONE.scaleByPowerOfTen(-nearest.scale());
            for (BigDecimal neighbour : List.of(nearest.add(unit), nearest.subtract(unit))) {
                if (neighbour.doubleValue() == value) {
                    return neighbour.stripTrailingZeros();
                }
            }
        }
        return exact.round(MathContext.DECIMAL64).stripTrailingZeros();
    }

    /**
     * Parses JSON text into a tree: objects as insertion-ordered maps, integers that fit as
     * {@link Long}, other numbers as {@link Double}.
     *
     * @throws IllegalArgumentException for malformed text or a duplicate member name
     */
    public static Object parse(String json) {
        Parser parser = new Parser(json);
        parser.skipSpace();
        Object value = parser.value();
        parser.skipSpace();
        if (parser.position < json.length()) {
            throw parser.error("unexpected text after the json value");
        }
        return value;
    }

    private static final class Parser {
        private final String text;
        private int position;

        Parser(String text) {
            this.text = text;
        }

        Object value() {
            if (position >= text.length()) {
                throw error("json ends early");
            }
            char c = text.charAt(position);
            return switch (c) {
                case '{' -> object();
                case '[' -> array();
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        yield number();
                    }
                    throw error("unexpected character '" + c + "'");
                }
            };
        }

        private Map<String, Object> object() {
            position++;
            Map<String, Object> members = new LinkedHashMap<>();
            skipSpace();
            if (peek() == '}') {
                position++;
                return members;
            }
            while (true) {
                skipSpace();
                if (peek() != '"') {
                    throw error("a member name must be a string");
                }
                String name = string();
                skipSpace();
                expect(':');
                skipSpace();
                Object value = value();
                if (members.containsKey(name)) {
                    throw error("duplicate member name '" + name + "'");
                }
                members.put(name, value);
                skipSpace();
                char c = next();
                if (c == '}') {
                    return members;
                }
                if (c != ',') {
                    throw error("expected ',' or '}'");
                }
            }
        }

        private List<Object> array() {
            position++;
            List<Object> items = new ArrayList<>();
            skipSpace();
            if (peek() == ']') {
                position++;
                return items;
            }
            while (true) {
                skipSpace();
                items.add(value());
                skipSpace();
                char c = next();
                if (c == ']') {
                    return items;
                }
                if (c != ',') {
                    throw error("expected ',' or ']'");
                }
            }
        }

        private String string() {
            position++;
            StringBuilder out = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return out.toString();
                }
                if (c < 0x20) {
                    throw error("a control character must be escaped in a string");
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char escaped = next();
                switch (escaped) {
                    case '"', '\\', '/' -> out.append(escaped);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (position + 4 > text.length()) {
                            throw error("json ends inside a \\u escape");
                        }
                        try {
                            out.append((char) Integer.parseInt(text.substring(position, position + 4), 16));
                        } catch (NumberFormatException e) {
                            throw error("malformed \\u escape");
                        }
                        position += 4;
                    }
                    default -> throw error("unknown escape '\\" + escaped + "'");
                }
            }
        }

        private Number number() {
            int start = position;
            if (peek() == '-') {
                position++;
            }
            boolean integral = true;
            while (position < text.length()) {
                char c = text.charAt(position);
                if (c >= '0' && c <= '9') {
                    position++;
                } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
                    integral = false;
                    position++;
                } else {
                    break;
                }
            }
            String literal = text.substring(start, position);
            try {
                if (integral) {
                    BigInteger integer = new BigInteger(literal);
                    return integer.bitLength() < 63 ? (Number) integer.longValue() : (Number) integer.doubleValue();
                }
                double value = Double.parseDouble(literal);
                if (Double.isInfinite(value) || literal.endsWith(".") || literal.startsWith(".")) {
                    throw error("number '" + literal + "' is out of range or malformed");
                }
                return value;
            } catch (NumberFormatException e) {
                throw error("malformed number '" + literal + "'");
            }
        }

        private Object literal(String word, Object value) {
            if (!text.startsWith(word, position)) {
                throw error("unexpected text");
            }
            position += word.length();
            return value;
        }

        void skipSpace() {
            while (position < text.length()) {
                char c = text.charAt(position);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                    return;
                }
                position++;
            }
        }

        private char peek() {
            return position < text.length() ? text.charAt(position) : '\0';
        }

        private char next() {
            if (position >= text.length()) {
                throw error("json ends early");
            }
            return text.charAt(position++);
        }

        private void expect(char c) {
            if (next() != c) {
                throw error("expected '" + c + "'");
            }
        }

        IllegalArgumentException error(String message) {
            return new IllegalArgumentException(message + " at character " + position);
        }
    }
}
