package dev.mandate.kernel.model.testing;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

import javax.sql.DataSource;

import dev.mandate.api.model.ModelStore;
import dev.mandate.api.model.ModelUnavailableException;
import dev.mandate.kernel.model.internal.ModelStoreImpl;

/**
 * The real model store for other modules' tests, once its start-up load has finished: the store loads
 * its revision off the caller's thread and answers {@link ModelUnavailableException} until then. Shared
 * as this module's test jar.
 */
public final class LoadedModelStore {
    private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(30);
    private static final long POLL_NANOS = 2_000_000;

    private LoadedModelStore() {
    }

    /** The model store on {@code database} by the system clock, loaded. */
    public static ModelStoreImpl on(DataSource database) {
        return on(database, Clock.systemUTC());
    }

    /** The model store on {@code database} by {@code clock}, loaded. */
    public static ModelStoreImpl on(DataSource database, Clock clock) {
        return awaitLoaded(new ModelStoreImpl(database, clock, 0));
    }

    /** {@code store}, once it answers with its current revision (an assertion error after 30 s). */
    public static <S extends ModelStore> S awaitLoaded(S store) {
        long deadline = System.nanoTime() + LOAD_TIMEOUT.toNanos();
        while (true) {
            try {
                store.current();
                return store;
            } catch (ModelUnavailableException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the model store did not load within " + LOAD_TIMEOUT.toSeconds() + " s", e);
                }
                LockSupport.parkNanos(POLL_NANOS);
            }
        }
    }
}
