package dev.mandate.kernel.conformance.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

import dev.mandate.api.evidence.EvidenceLedger;
import dev.mandate.api.evidence.EvidenceQuery;
import dev.mandate.api.evidence.EvidenceRecord;

/**
 * The decision facts of the assessment window, counted per hour of the record's timestamp and
 * brought up to date from the decisions appended since the last look: the window is read once,
 * a page at a time, and later assessments read only what is new. Memory is one small array per
 * hour of the window, whatever the number of decisions. A decision leaves the counts within the
 * hour after it left the window. Thread-safe.
 */
final class DecisionTally {
    static final int PAGE = 1000;
    private static final int DECISIONS = 0;
    private static final int WITH_RADIUS = 1;
    private static final int COMPLETE = 2;
    private static final int AI = 3;
    private static final int AI_WITH_AGENT = 4;

    /**
     * The decision facts of the window.
     *
     * @param decisions     decision records
     * @param withRadius    of those, with a blast radius
     * @param complete      of those, naming the model revision and the blueprints in force
     * @param ai            decisions about actions of AI actors
     * @param aiWithAgent   of those, naming the agent's model
     */
    record Counts(int decisions, int withRadius, int complete, int ai, int aiWithAgent) {
    }

    private final NavigableMap<Long, int[]> hours = new TreeMap<>();
    private long after; // the last decision read

    /** Reads the decisions appended since the last call (all of the window the first time) and sums the window. */
    synchronized Counts update(EvidenceLedger ledger, Instant windowStart) {
        long head = ledger.head().map(EvidenceRecord::sequence).orElse(0L);
        if (head < after) { // another ledger (a new store): start over
            hours.clear();
            after = 0;
        }
        long firstHour = hourOf(windowStart);
        hours.headMap(firstHour, false).clear();
        while (true) {
            List<EvidenceRecord> page = ledger.query(
                    new EvidenceQuery(windowStart, null, "decision", null, null, null, null, null, after, PAGE));
            for (EvidenceRecord decision : page) {
                add(decision);
                after = decision.sequence();
            }
            if (page.size() < PAGE) {
                break;
            }
        }
        int[] sum = new int[5];
        for (int[] hour : hours.tailMap(firstHour, true).values()) {
            for (int i = 0; i < sum.length; i++) {
                sum[i] += hour[i];
            }
        }
        return new Counts(sum[DECISIONS], sum[WITH_RADIUS], sum[COMPLETE], sum[AI], sum[AI_WITH_AGENT]);
    }

    private void add(EvidenceRecord decision) {
        int[] hour = hours.computeIfAbsent(hourOf(decision.timestamp()), h -> new int[5]);
        Map<String, Object> payload = decision.payload();
        hour[DECISIONS]++;
        if (payload.get("blastRadius") != null) {
            hour[WITH_RADIUS]++;
        }
        if (decision.modelRevision() > 0 && payload.get("blueprints") instanceof List<?>) {
            hour[COMPLETE]++;
        }
        if (payload.get("request") instanceof Map<?, ?> request && request.get("actor") instanceof Map<?, ?> actor
                && "AI".equals(actor.get("kind"))) {
            hour[AI]++;
            if (actor.get("agent") instanceof Map<?, ?> agent && agent.get("model") != null) {
                hour[AI_WITH_AGENT]++;
            }
        }
    }

    private static long hourOf(Instant instant) {
        return Math.floorDiv(instant.getEpochSecond(), 3600);
    }
}
