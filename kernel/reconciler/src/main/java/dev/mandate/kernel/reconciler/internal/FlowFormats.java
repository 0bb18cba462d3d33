package dev.mandate.kernel.reconciler.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Which flow log files the connector reads and how: VPC flow log text ({@code .log}, {@code .txt}), the
 * generic CSV and JSON formats ({@code .csv}, {@code .json}, {@code .jsonl}, {@code .ndjson}), each also
 * gzip-compressed ({@code .gz}, as AWS delivers flow logs to S3). Stateless and thread-safe.
 */
final class FlowFormats {
    private static final FlowLogParser VPC = new FlowLogParser();
    private static final GenericFlowParser GENERIC = new GenericFlowParser();

    private FlowFormats() {
    }

    /** Whether a file or object of this name is read. */
    static boolean supported(String name) {
        String plain = plain(name);
        return plain.endsWith(".log") || plain.endsWith(".txt") || plain.endsWith(".csv") || plain.endsWith(".json")
                || plain.endsWith(".jsonl") || plain.endsWith(".ndjson");
    }

    /** The records of file {@code name}, gzip-compressed or not (the content decides, not only the name). */
    static FlowTally tally(String name, InputStream content) throws IOException {
        PushbackInputStream in = new PushbackInputStream(content, 2);
        int first = in.read();
        int second = first < 0 ? -1 : in.read();
        if (second >= 0) {
            in.unread(second);
        }
        if (first >= 0) {
            in.unread(first);
        }
        boolean gzip = first == 0x1f && second == 0x8b;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(gzip ? new GZIPInputStream(in, 65536)
                : in, StandardCharsets.UTF_8), 65536)) {
            String plain = plain(name);
            if (plain.endsWith(".csv")) {
                return FlowTally.of(GENERIC.parseCsv(reader));
            }
            if (plain.endsWith(".json") || plain.endsWith(".jsonl") || plain.endsWith(".ndjson")) {
                return FlowTally.of(GENERIC.parseJson(reader));
            }
            FlowTally tally = new FlowTally();
            VPC.tally(reader, tally);
            return tally;
        }
    }

    private static String plain(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".gz") ? lower.substring(0, lower.length() - 3) : lower;
    }
}
