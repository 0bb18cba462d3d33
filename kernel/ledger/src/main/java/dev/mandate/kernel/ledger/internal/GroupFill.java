package dev.mandate.kernel.ledger.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * How long a group commit lets its group fill before it writes it.
 *
 * <p>Every commit of an H2 store writes a chunk of changed pages (about 25 KB for the evidence table)
 * however few records it holds; under load that fixed cost was about half of a durable decision's
 * server CPU, because records arrived one or two per commit. So when callers were seen arriving
 * together (the last group held more than one record, or records queued while it was written), the
 * committer waits before taking the next group: until {@code fullGroup} records are queued, until no
 * record has arrived for {@code quiet}, or at most {@code maxWait}. A lone caller (a group of one and
 * nothing queued behind it) is not held back. Nothing is acknowledged earlier for it: callers are still
 * released only after the commit holding their record.
 *
 * <p>Thread-safe: {@link #added()} from any thread; {@link #awaitGroup()} and {@link #committed} by the
 * holder of the ledger's write lock.
 */
final class GroupFill {
    private final long maxWaitNanos;
    private final long quietNanos;
    private final int fullGroup;
    /** Records queued and not yet taken into a group. */
    private final AtomicInteger queued = new AtomicInteger();
    /** The committer waiting for its group to fill, woken early when it is full. */
    private volatile Thread waiting;
    /** Whether the last commit saw callers arrive together; guarded by the ledger's write lock. */
    private boolean together;

    /**
     * @param maxWaitMicros the longest a committer waits for its group (0: never)
     * @param quietMicros a committer stops waiting when no record has arrived for this long
     * @param fullGroup a committer stops waiting once this many records are queued
     */
    GroupFill(long maxWaitMicros, long quietMicros, int fullGroup) {
        if (maxWaitMicros < 0 || quietMicros < 0 || fullGroup < 1) {
            throw new IllegalArgumentException("the group commit wait and quiet gap must be at least 0 and the full"
                    + " group at least 1 record, were " + maxWaitMicros + " µs, " + quietMicros + " µs and " + fullGroup);
        }
        this.maxWaitNanos = TimeUnit.MICROSECONDS.toNanos(maxWaitMicros);
        this.quietNanos = TimeUnit.MICROSECONDS.toNanos(quietMicros);
        this.fullGroup = fullGroup;
    }

    /** No waiting: every committer writes what is queued at once. */
    static GroupFill none() {
        return new GroupFill(0, 0, 1);
    }

    /** Whether committers ever wait. */
    boolean waits() {
        return maxWaitNanos > 0;
    }

    /** A record was queued: wakes the waiting committer when the group is full. */
    void added() {
        if (queued.incrementAndGet() >= fullGroup) {
            Thread committer = waiting;
            if (committer != null) {
                LockSupport.unpark(committer);
            }
        }
    }

    /** {@code count} queued records were taken into a group. */
    void taken(int count) {
        queued.addAndGet(-count);
    }

    /** Waits, as the class comment says, before the caller takes the next group from the queue. */
    void awaitGroup() {
        if (maxWaitNanos == 0 || !together) {
            return;
        }
        long start = System.nanoTime();
        long lastArrival = start;
        int seen = queued.get();
        waiting = Thread.currentThread();
        try {
            while (seen < fullGroup && !Thread.currentThread().isInterrupted()) {
                long now = System.nanoTime();
                long left = Math.min(start + maxWaitNanos, lastArrival + quietNanos) - now;
                if (left <= 0) {
                    return;
                }
                LockSupport.parkNanos(this, left);
                int count = queued.get();
                if (count != seen) {
                    seen = count;
                    lastArrival = System.nanoTime();
                }
            }
        } finally {
            waiting = null;
        }
    }

    /** The commit of a group of {@code size} records is over (committed or failed). */
    void committed(int size) {
        together = size > 1 || queued.get() > 0;
    }
}
