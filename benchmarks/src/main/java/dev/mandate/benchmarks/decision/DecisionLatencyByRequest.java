package dev.mandate.benchmarks.decision;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Decision;
import dev.mandate.api.decision.DecisionPoint;
import dev.mandate.blueprints.cedar.CedarEstate;
import dev.mandate.blueprints.cedar.MandateHarness;
import dev.mandate.kernel.decision.internal.DecisionPointImpl;

/**
 * Whether the latency tail of {@code DecisionBenchmark.mandateLatency} belongs to particular requests or to
 * the machine: each request of the estate is decided {@code repeats} times after {@code warmups} passes, and
 * its fastest time is kept. A request whose fastest time is slow is slow by its own work; a tail that shows in
 * JMH's samples but not in these minima is noise (collector, JIT, the machine). Prints the distribution of the
 * minima and the slowest requests with what their decisions hold.
 *
 * <p>Arguments: estate folder (default {@code target/cedar-peer/estate-100000}), warm-up passes (3), repeats (5),
 * and {@code no-remedies} to decide without remedies.
 */
public final class DecisionLatencyByRequest {

    private DecisionLatencyByRequest() {
    }

    public static void main(String[] args) {
        Path folder = Path.of(args.length > 0 ? args[0] : "target/cedar-peer/estate-100000");
        int warmups = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        CedarEstate estate = CedarEstate.read(folder, Integer.MAX_VALUE);
        DecisionPoint mandate = MandateHarness.of(estate).decisionPoint();
        if (args.length > 3 && args[3].equals("no-remedies")) {
            ((DecisionPointImpl) mandate).explainDecisions(false);
        }
        ActionRequest[] requests = estate.requests().toArray(ActionRequest[]::new);
        for (int pass = 0; pass < warmups; pass++) {
            for (ActionRequest request : requests) {
                mandate.decide(request);
            }
        }
        long[] fastest = new long[requests.length];
        Arrays.fill(fastest, Long.MAX_VALUE);
        for (int round = 0; round < repeats; round++) {
            for (int i = 0; i < requests.length; i++) {
                long start = System.nanoTime();
                mandate.decide(requests[i]);
                fastest[i] = Math.min(fastest[i], System.nanoTime() - start);
            }
        }
        long[] sorted = fastest.clone();
        Arrays.sort(sorted);
        System.out.printf("%d requests, fastest of %d each: p50 %.1f µs, p90 %.1f, p99 %.1f, p99.9 %.1f, max %.1f%n",
                requests.length, repeats, micros(sorted, 0.50), micros(sorted, 0.90), micros(sorted, 0.99),
                micros(sorted, 0.999), sorted[sorted.length - 1] / 1000.0);
        System.out.println("slowest requests (fastest time µs, verb, outcome, blast radius, reasons, remedies):");
        IntStream.range(0, requests.length).boxed().sorted(Comparator.comparingLong(i -> -fastest[i])).limit(25)
                .forEach(i -> {
                    Decision decision = mandate.decide(requests[i]);
                    System.out.printf("  %8.1f  %-14s %-16s %5d %3d %3d  %s%n", fastest[i] / 1000.0,
                            estate.verbs().get(i), decision.outcome(), decision.blastRadius().count(),
                            decision.reasons().size(), decision.remedies().size(), requests[i].target());
                });
    }

    private static double micros(long[] sorted, double quantile) {
        return sorted[(int) Math.min(sorted.length - 1, Math.round(quantile * sorted.length))] / 1000.0;
    }
}
