package dev.mandate.benchmarks;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * How much this machine itself stretches a few microseconds of allocating, map-heavy work, with no
 * Mandate code in it: each step fills a small map with 60 fresh arrays and probes a 200,000-key map
 * 40 times (about what one decision does to memory). Run it beside a latency benchmark; when its
 * p99 is far above its p50, the tail of the benchmark is the machine's (a virtual machine whose
 * memory the host takes back and hands again shows stalls of 100 µs and more that count as the
 * thread's CPU time), not the code's. Arguments: rounds (default 4), steps per round (default 300,000).
 */
public final class MachineJitter {
    private static Object sink;

    private MachineJitter() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 300_000;
        String[] keys = new String[5_000];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = "key-" + i;
        }
        Map<String, Integer> big = new HashMap<>();
        for (int i = 0; i < 200_000; i++) {
            big.put("element-" + i, i);
        }
        String[] probes = big.keySet().toArray(String[]::new);
        for (int round = 1; round <= rounds; round++) {
            long[] nanos = new long[steps];
            for (int i = 0; i < steps; i++) {
                long start = System.nanoTime();
                Map<String, Object> small = new HashMap<>();
                for (int k = 0; k < 60; k++) {
                    small.put(keys[(i + k * 31) % keys.length], new int[8]);
                }
                long sum = 0;
                for (int k = 0; k < 40; k++) {
                    Integer value = big.get(probes[(i * 7 + k * 13) % probes.length]);
                    sum += value == null ? 0 : value;
                }
                sink = small.size() + sum;
                nanos[i] = System.nanoTime() - start;
            }
            long slow = Arrays.stream(nanos).filter(n -> n > 80_000).count();
            Arrays.sort(nanos);
            System.out.printf("round %d: p50 %.1f µs, p90 %.1f µs, p99 %.1f µs, %d of %d steps over 80 µs%n", round,
                    nanos[steps / 2] / 1e3, nanos[steps * 9 / 10] / 1e3, nanos[steps * 99 / 100] / 1e3, slow, steps);
        }
        if (sink == null) {
            System.out.println();
        }
    }
}
