package dev.mandate.kernel.reconciler.internal;

import java.util.Map;

/**
 * Where the reconciler's scheduled work runs: one route per piece of work, each with an explicit id.
 * Adding and removing routes returns at once; the change is applied in the background in call order.
 */
public interface RouteHost {

    /** Work done on every tick of a route. */
    @FunctionalInterface
    interface Work {
        /**
         * Does one tick's work; may block.
         *
         * @return {@code null} when it went well, else one line on what went wrong (shown as the route's last error)
         */
        String run() throws Exception;

        /**
         * The latest outcome of this work when it also runs outside its route (a retry, a run asked for
         * now), or {@code null} to show what the route's own ticks did.
         */
        default Outcome latest() {
            return null;
        }
    }

    /** When work last ended and its error line ({@code null} when it went well). */
    record Outcome(java.time.Instant at, String error) {
    }

    /**
     * Adds (or replaces) a route {@code routeId} that runs {@code work} first after {@code delayMillis},
     * then {@code periodMillis} after each run ended. A tick never overlaps the previous one: a slow run
     * delays the next instead of queueing ticks.
     */
    void schedule(String routeId, String description, long delayMillis, long periodMillis, Work work);

    /** Stops and removes route {@code routeId}, if present. */
    void remove(String routeId);

    /**
     * Sends one message to the endpoint {@code uri} ({@code log:…}, {@code http://…}) and waits for it to
     * be taken. Blocks; never call on a framework thread.
     *
     * @throws Exception when the endpoint is unknown, refuses the message or cannot be reached
     */
    void send(String uri, String body, Map<String, Object> headers) throws Exception;
}
