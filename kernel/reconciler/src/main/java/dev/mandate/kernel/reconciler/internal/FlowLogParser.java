package dev.mandate.kernel.reconciler.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads AWS VPC Flow Logs in the text format: version 2 default format (14 fields, no header), or any
 * custom format (versions 2 to 5 and later) whose first line is the header of field names, as the S3 and
 * CloudWatch exports write it. Rows with log status NODATA or SKIPDATA carry no flow and are skipped;
 * {@code -} is an absent value. Stateless and thread-safe.
 */
final class FlowLogParser {
    /** The fields of the version 2 default format, in order. */
    static final List<String> DEFAULT_FORMAT = List.of("version", "account-id", "interface-id", "srcaddr", "dstaddr",
            "srcport", "dstport", "protocol", "packets", "bytes", "start", "end", "action", "log-status");

    /** One flow record; absent values are {@code null}. */
    record Flow(Map<String, String> fields) {
        String get(String name) {
            return fields.get(name);
        }

        long number(String name) {
            String value = fields.get(name);
            try {
                return value == null ? 0 : Long.parseLong(value);
            } catch (NumberFormatException e) {
                return 0;
            }
        }

        boolean accepted() {
            return "ACCEPT".equals(fields.get("action"));
        }
    }

    /** What a file held: the flows, rows without data, and malformed rows ({@code line n: reason}). */
    record Result(List<Flow> flows, int withoutData, List<String> malformed) {
    }

    Result parse(BufferedReader reader) throws IOException {
        List<Flow> flows = new ArrayList<>();
        List<String> malformed = new ArrayList<>();
        int withoutData = 0;
        List<String> format = DEFAULT_FORMAT;
        String line;
        int number = 0;
        while ((line = reader.readLine()) != null) {
            number++;
            String trimmed = line.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] parts = trimmed.split("\\s+");
            if (number == 1 && parts[0].equals("version")) {
                format = List.of(parts);
                continue;
            }
            if (parts.length != format.size()) {
                malformed.add("line " + number + ": " + parts.length + " fields where the format has " + format.size());
                continue;
            }
            Map<String, String> fields = new HashMap<>();
            for (int i = 0; i < parts.length; i++) {
                fields.put(format.get(i), parts[i].equals("-") ? null : parts[i]);
            }
            String status = fields.get("log-status");
            if ("NODATA".equals(status) || "SKIPDATA".equals(status)) {
                withoutData++;
                continue;
            }
            flows.add(new Flow(fields));
        }
        return new Result(flows, withoutData, malformed);
    }

    /**
     * Reads a file straight into {@code tally}, without a map per record: the same rows as
     * {@link #parse} are accepted, rejected, without data or malformed. Malformed rows are named up to
     * {@code 20} per file (the count is complete).
     */
    void tally(BufferedReader reader, FlowTally tally) throws IOException {
        Columns columns = new Columns(DEFAULT_FORMAT);
        int[] starts = new int[64];
        int[] ends = new int[64];
        String line;
        int number = 0;
        long malformed = 0;
        while ((line = reader.readLine()) != null) {
            number++;
            int count = 0;
            int length = line.length();
            int i = 0;
            while (i < length) {
                while (i < length && line.charAt(i) <= ' ') {
                    i++;
                }
                if (i == length) {
                    break;
                }
                int start = i;
                while (i < length && line.charAt(i) > ' ') {
                    i++;
                }
                if (count < starts.length) {
                    starts[count] = start;
                    ends[count] = i;
                }
                count++;
            }
            if (count == 0 || line.charAt(starts[0]) == '#') {
                continue;
            }
            if (number == 1 && line.startsWith("version", starts[0]) && ends[0] - starts[0] == 7) {
                List<String> names = new ArrayList<>(count);
                for (int k = 0; k < Math.min(count, starts.length); k++) {
                    names.add(line.substring(starts[k], ends[k]));
                }
                columns = new Columns(names);
                continue;
            }
            if (count != columns.size) {
                if (malformed++ < 20) {
                    tally.malformed.add("line " + number + ": " + count + " fields where the format has "
                            + columns.size);
                }
                continue;
            }
            if (columns.status >= 0 && (equals(line, starts, ends, columns.status, "NODATA")
                    || equals(line, starts, ends, columns.status, "SKIPDATA"))) {
                tally.withoutData++;
                continue;
            }
            if (columns.action < 0 || !equals(line, starts, ends, columns.action, "ACCEPT")) {
                tally.rejected++;
                continue;
            }
            tally.accept(text(line, starts, ends, columns.src), text(line, starts, ends, columns.dst),
                    text(line, starts, ends, columns.instance), text(line, starts, ends, columns.protocol),
                    text(line, starts, ends, columns.dstport), number(line, starts, ends, columns.bytes, 0),
                    number(line, starts, ends, columns.packets, 0),
                    number(line, starts, ends, columns.start, Long.MIN_VALUE),
                    number(line, starts, ends, columns.end, Long.MIN_VALUE));
        }
        if (malformed > 20) {
            tally.malformed.add((malformed - 20) + " more malformed lines");
        }
    }

    /** Where the fields the connector uses sit in a format ({@code -1}: absent). */
    private static final class Columns {
        final int size;
        final int src;
        final int dst;
        final int instance;
        final int protocol;
        final int dstport;
        final int bytes;
        final int packets;
        final int start;
        final int end;
        final int action;
        final int status;

        Columns(List<String> format) {
            size = format.size();
            src = format.indexOf("srcaddr");
            dst = format.indexOf("dstaddr");
            instance = format.indexOf("instance-id");
            protocol = format.indexOf("protocol");
            dstport = format.indexOf("dstport");
            bytes = format.indexOf("bytes");
            packets = format.indexOf("packets");
            start = format.indexOf("start");
            end = format.indexOf("end");
            action = format.indexOf("action");
            status = format.indexOf("log-status");
        }
    }

    private static boolean equals(String line, int[] starts, int[] ends, int column, String value) {
        return ends[column] - starts[column] == value.length() && line.startsWith(value, starts[column]);
    }

    /** The field's text, {@code null} when the column is absent or the value is {@code -}. */
    private static String text(String line, int[] starts, int[] ends, int column) {
        if (column < 0 || (ends[column] - starts[column] == 1 && line.charAt(starts[column]) == '-')) {
            return null;
        }
        return line.substring(starts[column], ends[column]);
    }

    /** A non-negative decimal field; {@code absent} for an absent column or {@code -}, 0 for other text. */
    private static long number(String line, int[] starts, int[] ends, int column, long absent) {
        if (column < 0 || (ends[column] - starts[column] == 1 && line.charAt(starts[column]) == '-')) {
            return absent;
        }
        long value = 0;
        for (int i = starts[column]; i < ends[column]; i++) {
            char c = line.charAt(i);
            if (c < '0' || c > '9' || value > (Long.MAX_VALUE - 9) / 10) {
                return 0;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
