package dev.mandate.kernel.rest.internal;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import javax.ws.rs.core.Response;

/** Turns a JSON parse or binding failure into a 400 problem that says what is wrong and where. */
final class JsonErrors {
    private JsonErrors() {
    }

    static Problem toProblem(JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        Integer line = location == null || location.getLineNr() < 0 ? null : location.getLineNr();
        Integer column = location == null || location.getColumnNr() < 0 ? null : location.getColumnNr();
        String pointer = e instanceof JsonMappingException mapping ? pointer(mapping.getPath()) : null;
        String message = describe(e, pointer);
        String detail = "the request body is not a valid document: " + message
                + (line == null ? "" : " (line " + line + ", column " + column + ")");
        return Problem.of(Response.Status.BAD_REQUEST, "malformed-request", detail)
                .withErrors(List.of(new Problem.ProblemError(pointer, line, column, message)));
    }

    private static String describe(JsonProcessingException e, String pointer) {
        String where = pointer == null || pointer.isEmpty() ? "" : "'" + pointer + "': ";
        if (e instanceof UnrecognizedPropertyException unknown) {
            return where + "unknown field '" + unknown.getPropertyName() + "'";
        }
        if (e instanceof InvalidFormatException invalid) {
            Class<?> target = invalid.getTargetType();
            if (target != null && target.isEnum()) {
                String known = Arrays.stream(target.getEnumConstants()).map(Object::toString)
                        .collect(Collectors.joining(", "));
                return where + "'" + invalid.getValue() + "' is not one of " + known;
            }
            return where + "'" + invalid.getValue() + "' is not a valid value";
        }
        if (e instanceof MismatchedInputException mismatched && mismatched.getTargetType() != null) {
            return where + "expected " + simpleType(mismatched.getTargetType());
        }
        if (e.getCause() instanceof IllegalArgumentException illegal) {
            return where + illegal.getMessage();
        }
        return where + firstLine(e.getOriginalMessage());
    }

    private static String simpleType(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        if (java.util.Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "an object";
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "a value of type " + type.getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    private static String pointer(List<JsonMappingException.Reference> path) {
        StringBuilder pointer = new StringBuilder();
        for (JsonMappingException.Reference reference : path) {
            pointer.append('/');
            pointer.append(reference.getFieldName() != null ? reference.getFieldName() : reference.getIndex());
        }
        return pointer.toString();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable input";
        }
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        return line.replace("Unexpected character", "unexpected character")
                .replace("Unexpected end-of-input", "unexpected end of input");
    }
}
