package dev.mandate.kernel.reconciler.internal;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import dev.mandate.api.connector.ConnectorState;
import dev.mandate.api.connector.ConnectorStatus;
import dev.mandate.api.connector.Domain;
import dev.mandate.api.connector.ObservationSink;
import dev.mandate.api.connector.StateConnector;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.Relation;

/** A connector whose observations, failures and blocking the test sets between runs. */
final class FakeConnector implements StateConnector {
    private final String id;
    volatile List<Element> elements = List.of();
    volatile List<Relation> relations = List.of();
    volatile List<String> absent = List.of();
    volatile Exception failure;
    /** When not negative: report this many elements, then fail as a truncated page does. */
    volatile int truncateAfter = -1;
    volatile CountDownLatch hold;
    /** When true, {@link #hold} is awaited without giving up on interruption (a connector that hangs). */
    volatile boolean ignoreInterrupts;
    volatile boolean interrupted;
    final AtomicInteger collections = new AtomicInteger();

    FakeConnector(String id) {
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Domain domain() {
        return Domain.CLOUD;
    }

    @Override
    public ConnectorStatus status() {
        return ConnectorStatus.of(ConnectorState.OK, "fine");
    }

    @Override
    public void collect(ObservationSink sink) throws Exception {
        collections.incrementAndGet();
        int truncate = truncateAfter;
        if (truncate >= 0) {
            elements.stream().limit(truncate).forEach(sink::element);
            throw new java.io.IOException("page 2 of " + id + " ended early (truncated response)");
        }
        elements.forEach(sink::element); // reported before failing: a failed run must still change nothing
        CountDownLatch latch = hold;
        if (latch != null && ignoreInterrupts) {
            boolean done = false;
            while (!done) {
                try {
                    latch.await();
                    done = true;
                } catch (InterruptedException e) {
                    interrupted = true; // and carries on waiting, as a badly written connector does
                }
            }
        } else if (latch != null) {
            try {
                latch.await();
            } catch (InterruptedException e) {
                interrupted = true;
                throw e;
            }
        }
        Exception fail = failure;
        if (fail != null) {
            throw fail;
        }
        relations.forEach(sink::relation);
        absent.forEach(sink::absent);
    }
}
