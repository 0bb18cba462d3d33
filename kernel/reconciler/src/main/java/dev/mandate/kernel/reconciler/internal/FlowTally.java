package dev.mandate.kernel.reconciler.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The accepted flows of one flow log file or object, summed per (source address, destination address,
 * instance, protocol, destination port), with the counts of rejected, data-less and malformed rows.
 * Addresses are resolved to elements only when the connector reports, so a tally stays valid when the
 * model changes and can be kept for an S3 object that is not read again. Not thread-safe.
 */
final class FlowTally {
    /** What flows are summed by; {@code instance} and {@code dstport} may be {@code null}. */
    record Key(String src, String dst, String instance, String protocol, String dstport) {
    }

    /** The sums of one key; {@code first}/{@code last} stay at their extremes without times. */
    static final class Counts {
        long bytes;
        long packets;
        long flows;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
    }

    final Map<Key, Counts> flows = new HashMap<>();
    long accepted;
    long rejected;
    long withoutData;
    final List<String> malformed = new ArrayList<>();

    /** One accepted record; {@code start}/{@code end} are {@link Long#MIN_VALUE} when absent. */
    void accept(String src, String dst, String instance, String protocol, String dstport, long bytes, long packets,
            long start, long end) {
        accepted++;
        Counts counts = flows.computeIfAbsent(new Key(src, dst, instance, protocol, dstport), key -> new Counts());
        counts.bytes += bytes;
        counts.packets += packets;
        counts.flows++;
        if (start != Long.MIN_VALUE && start < counts.first) {
            counts.first = start;
        }
        if (end != Long.MIN_VALUE && end > counts.last) {
            counts.last = end;
        }
    }

    /** A parsed record of any format. */
    void add(FlowLogParser.Flow flow) {
        if (!flow.accepted()) {
            rejected++;
            return;
        }
        accept(flow.get("srcaddr"), flow.get("dstaddr"), flow.get("instance-id"), flow.get("protocol"),
                flow.get("dstport"), flow.number("bytes"), flow.number("packets"),
                flow.get("start") == null ? Long.MIN_VALUE : flow.number("start"),
                flow.get("end") == null ? Long.MIN_VALUE : flow.number("end"));
    }

    /** All records of a parse result. */
    static FlowTally of(FlowLogParser.Result result) {
        FlowTally tally = new FlowTally();
        result.flows().forEach(tally::add);
        tally.withoutData += result.withoutData();
        tally.malformed.addAll(result.malformed());
        return tally;
    }
}
