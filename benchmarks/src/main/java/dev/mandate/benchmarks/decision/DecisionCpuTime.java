package dev.mandate.benchmarks.decision;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.CyclicBarrier;

import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Decision;
import dev.mandate.api.decision.DecisionPoint;
import dev.mandate.api.decision.Reason;
import dev.mandate.api.decision.Remedy;
import dev.mandate.blueprints.cedar.CedarEstate;
import dev.mandate.blueprints.cedar.MandateHarness;
import dev.mandate.kernel.decision.internal.DecisionPointImpl;

/**
 * {@link DecisionBenchmark}'s decision ({@code mandateThroughput1/2}: the same harness, the same estate)
 * measured in CPU time of the deciding threads, for a machine shared with other work, where JMH's
 * wall-clock figures mostly measure the wait for a core. Each pass has every thread decide every request
 * of the estate once (thread {@code t} starting at {@code t * 7919}, as the benchmark's cursors do); a
 * pass prints the deciding threads' CPU time per decision (summed over the threads), the wall time and
 * the bytes allocated per decision.
 *
 * <p>Before the timed passes, one untimed pass prints a digest of every answer (outcome, reasons,
 * obligations, approvers, blast radius, blueprints, remedies; not the decision id or the time): two
 * builds whose digests are equal gave the same answers to every request of the estate.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar dev.mandate.benchmarks.decision.DecisionCpuTime
 * [estate folder] [threads] [passes] [warm-up passes] [remedies: on|off]}
 */
public final class DecisionCpuTime {

    private DecisionCpuTime() {
    }

    public static void main(String[] args) throws Exception {
        Path folder = Path.of(args.length > 0 ? args[0] : "target/cedar-peer/estate-100000");
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int passes = args.length > 2 ? Integer.parseInt(args[2]) : 6;
        int warmups = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        boolean remedies = args.length <= 4 || !"off".equals(args[4]);
        if (!Files.isDirectory(folder)) {
            throw new IllegalStateException("estate folder '" + folder.toAbsolutePath() + "' not found");
        }
        CedarEstate estate = CedarEstate.read(folder, Integer.MAX_VALUE);
        MandateHarness harness = MandateHarness.of(estate);
        DecisionPoint decisions = harness.decisionPoint();
        ((DecisionPointImpl) decisions).explainDecisions(remedies);
        ActionRequest[] requests = estate.requests().toArray(ActionRequest[]::new);
        System.out.printf(Locale.ROOT, "estate %s: %d requests, %d thread(s), remedies %s%n", folder, requests.length,
                threads, remedies ? "on" : "off");
        System.out.printf(Locale.ROOT, "answers digest %s%n", digest(decisions, requests));

        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] cpu = new long[threads];
        long[] allocated = new long[threads];
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        CyclicBarrier end = new CyclicBarrier(threads + 1);
        Object[] sinks = new Object[threads];
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread worker = new Thread(() -> {
                try {
                    for (int pass = 0; pass < warmups + passes; pass++) {
                        start.await();
                        long cpuStart = mx.getCurrentThreadCpuTime();
                        long bytesStart = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
                        int next = (thread * 7919) % requests.length;
                        Object last = null;
                        for (int i = 0; i < requests.length; i++) {
                            last = decisions.decide(requests[next]);
                            next = next + 1 == requests.length ? 0 : next + 1;
                        }
                        sinks[thread] = last;
                        cpu[thread] = mx.getCurrentThreadCpuTime() - cpuStart;
                        allocated[thread] = mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - bytesStart;
                        end.await();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "decider-" + t);
            worker.setDaemon(true);
            worker.start();
        }
        for (int pass = 0; pass < warmups + passes; pass++) {
            start.await();
            long wallStart = System.nanoTime();
            end.await();
            long wall = System.nanoTime() - wallStart;
            long cpuSum = 0;
            long bytesSum = 0;
            for (int t = 0; t < threads; t++) {
                cpuSum += cpu[t];
                bytesSum += allocated[t];
            }
            double count = (double) requests.length * threads;
            System.out.printf(Locale.ROOT, "%s %d: cpu %.2f µs/decision, wall %.2f µs/decision (%.0f/s), "
                    + "%.1f KB allocated/decision, load %.1f%n", pass < warmups ? "warm-up" : "pass", pass + 1,
                    cpuSum / count / 1000.0, wall / count / 1000.0, count / (wall / 1e9), bytesSum / count / 1024.0,
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    /**
     * SHA-256 over what each answer says (not its id or time), request by request; remedy parameters in key
     * order ({@code Map.of} iterates in an order that changes from one JVM to the next).
     */
    static String digest(DecisionPoint decisions, ActionRequest[] requests) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        StringBuilder text = new StringBuilder(512);
        for (ActionRequest request : requests) {
            Decision decision = decisions.decide(request);
            text.setLength(0);
            text.append(decision.outcome()).append('|');
            for (Reason reason : decision.reasons()) {
                text.append(reason.source()).append(' ').append(reason.effect()).append(' ').append(reason.message())
                        .append(';');
            }
            text.append('|').append(decision.obligations()).append('|').append(decision.approvers()).append('|')
                    .append(decision.blastRadius()).append('|').append(decision.blueprints()).append('|')
                    .append(decision.modelRevision()).append('|');
            for (Remedy remedy : decision.remedies()) {
                text.append(remedy.kind()).append(' ').append(remedy.message()).append(' ').append(remedy.clears())
                        .append(' ')
                        .append(new java.util.TreeMap<>(remedy.parameters())).append(' ').append(remedy.sufficient())
                        .append(';');
            }
            text.append('\n');
            sha.update(text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    }
}
