package dev.mandate.kernel.reconciler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/** A test's own embedded Camel context, started (polled for, at most 20 s), without JMX. */
public final class StartedCamel {
    private StartedCamel() {
    }

    public static CamelRuntime start(String name) {
        CamelRuntime camel = new CamelRuntime(name + "-" + UUID.randomUUID(), false, 2, Clock.systemUTC());
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!camel.started()) {
            assertThat(System.nanoTime()).as("camel started").isLessThan(deadline);
            LockSupport.parkNanos(2_000_000);
        }
        return camel;
    }
}
