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
}
