package dev.mandate.kernel.intent.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionResolver;

/**
 * A rule message with {@code ${expression}} parts, rendered with the values of the request that
 * matched: {@code "${blastRadius.count} elements owned by ${blastRadius.owners} depend on it"}.
 * Immutable and thread-safe.
 */
final class MessageTemplate {

    /** One {@code ${…}} part: where it starts in the message and its expression. */
    record Placeholder(int offset, String expression) {
    }

    private final Object[] parts;

    MessageTemplate(List<Object> parts) {
        this.parts = parts.toArray();
    }

    static MessageTemplate literal(String text) {
        return new MessageTemplate(List.of(text));
    }

    /**
     * Splits a message into literal text and placeholders.
     *
     * @throws IllegalArgumentException naming the offset of an unterminated placeholder
     */
    static List<Object> split(String message) {
        List<Object> parts = new ArrayList<>();
        int position = 0;
        while (position < message.length()) {
            int start = message.indexOf("${", position);
            if (start < 0) {
                parts.add(message.substring(position));
                break;
            }
            if (start > position) {
                parts.add(message.substring(position, start));
            }
            int end = closingBrace(message, start + 2);
            if (end < 0) {
                throw new IllegalArgumentException(Integer.toString(start));
            }
            parts.add(new Placeholder(start, message.substring(start + 2, end)));
            position = end + 1;
        }
        return parts;
    }

    private static int closingBrace(String message, int from) {
        int depth = 0;
        char quote = 0;
        for (int i = from; i < message.length(); i++) {
            char c = message.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '{') {
                depth++;
            } else if (c == '}') {
                if (depth == 0) {
                    return i;
                }
                depth--;
            }
        }
        return -1;
    }

    /** The message with every expression replaced by its value ({@code ?} where it cannot be computed). */
    String render(Map<String, Object> variables, CelFunctionResolver functions) {
        if (parts.length == 1 && parts[0] instanceof String text) {
            return text;
        }
        StringBuilder message = new StringBuilder(64);
        for (int i = 0; i < parts.length; i++) {
            Object part = parts[i];
            if (part instanceof CompiledExpression expression) {
                try {
                    message.append(CelValues.format(expression.eval(variables, functions)));
                } catch (CelEvaluationException | RuntimeException e) {
                    message.append('?');
                }
            } else {
                message.append(part);
            }
        }
        return message.toString();
    }
}
