package dev.mandate.kernel.intent.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The lines of an intent file, to turn a position inside a CEL expression into a position in the
 * file. YAML lets an expression be written plain, quoted, or as a literal ({@code |}) or folded
 * ({@code >}) block; each shifts or folds lines differently.
 */
final class SourceText {

    private final String[] lines;

    SourceText(String text) {
        this.lines = text.split("\\R", -1);
    }

    private String line(int number) {
        return number >= 1 && number <= lines.length ? lines[number - 1] : "";
    }

    /**
     * The file position (line, column, both from 1) of a CEL position (line from 1, column from 0)
     * inside the expression written at {@code scalar}.
     */
    int[] locate(YamlNode scalar, int celLine, int celColumn) {
        String first = line(scalar.line());
        int at = scalar.column() - 1;
        char indicator = at >= 0 && at < first.length() ? first.charAt(at) : ' ';
        if (indicator == '|' || indicator == '>') {
            return locateInBlock(scalar.line(), indicator == '|', celLine, celColumn);
        }
        boolean quoted = indicator == '\'' || indicator == '"';
        int start = scalar.column() + (quoted ? 1 : 0);
        if (celLine <= 1) {
            // a flow scalar may continue on following lines, folded into one line with spaces
            List<int[]> segments = new ArrayList<>();
            segments.add(new int[] {scalar.line(), start, Math.max(0, first.length() - (start - 1))});
            int next = scalar.line() + 1;
            while (next <= lines.length && !line(next).isBlank() && indentOf(line(next)) > 0
                    && !line(next).trim().matches("^[-#].*|^[A-Za-z0-9_]+:(\\s.*)?$")) {
                String content = line(next);
                int indent = indentOf(content);
                segments.add(new int[] {next, indent + 1, content.trim().length()});
                next++;
            }
            return walk(segments, celColumn);
        }
        return new int[] {scalar.line() + celLine - 1, celColumn + 1};
    }

    private int[] locateInBlock(int indicatorLine, boolean literal, int celLine, int celColumn) {
        List<int[]> content = new ArrayList<>();
        int blockIndent = -1;
        for (int number = indicatorLine + 1; number <= lines.length; number++) {
            String text = line(number);
            if (text.isBlank()) {
                content.add(new int[] {number, Math.max(blockIndent, 0) + 1, 0});
                continue;
            }
            int indent = indentOf(text);
            if (blockIndent < 0) {
                blockIndent = indent;
            } else if (indent < blockIndent) {
                break;
            }
            content.add(new int[] {number, blockIndent + 1, text.length() - blockIndent});
        }
        if (content.isEmpty()) {
            return new int[] {indicatorLine, 1};
        }
        if (literal) {
            int index = Math.min(celLine - 1, content.size() - 1);
            int[] line = content.get(Math.max(0, index));
            return new int[] {line[0], line[1] + celColumn};
        }
        List<int[]> nonBlank = content.stream().filter(segment -> segment[2] > 0).toList();
        return walk(nonBlank.isEmpty() ? content : nonBlank, celColumn);
    }

    /** Folded segments joined by single spaces: find the segment holding {@code offset}. */
    private static int[] walk(List<int[]> segments, int offset) {
        int remaining = offset;
        for (int[] segment : segments) {
            if (remaining <= segment[2]) {
                return new int[] {segment[0], segment[1] + remaining};
            }
            remaining -= segment[2] + 1;
        }
        int[] last = segments.get(segments.size() - 1);
        return new int[] {last[0], last[1] + last[2]};
    }

    private static int indentOf(String text) {
        int indent = 0;
        while (indent < text.length() && text.charAt(indent) == ' ') {
            indent++;
        }
        return indent;
    }
}
