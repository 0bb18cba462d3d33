package dev.mandate.kernel.decision.internal;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decision ids: time-ordered UUIDs in the version 7 layout — 48 bits of Unix milliseconds, then a
 * 52-bit counter and 22 bits drawn once per decision point. Unique within the process by the
 * counter, told apart across processes by the time and the drawn bits, and sortable by time. A
 * decision costs an atomic increment instead of a {@link SecureRandom} draw on a lock shared by
 * every deciding thread ({@link UUID#randomUUID()}). The ids name records; they are no secret (a
 * grant is trusted for its signature, never for its decision id). Thread-safe.
 */
final class DecisionIds {
    private static final long COUNTER_LOW_BITS = 40;
    private static final long COUNTER_LOW = (1L << COUNTER_LOW_BITS) - 1;

    private final long node;
    private final AtomicLong counter;

    DecisionIds() {
        SecureRandom random = new SecureRandom();
        this.node = random.nextLong() & 0x3F_FFFFL; // 22 bits
        this.counter = new AtomicLong(random.nextInt() & 0x7FFF_FFFFL);
    }

    /** A new id for a decision taken at {@code epochMillis}. */
    String next(long epochMillis) {
        long count = counter.getAndIncrement();
        long high = (epochMillis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | (count >>> COUNTER_LOW_BITS & 0xFFFL);
        long low = 0x8000_0000_0000_0000L | node << COUNTER_LOW_BITS | (count & COUNTER_LOW);
        return new UUID(high, low).toString();
    }
}
