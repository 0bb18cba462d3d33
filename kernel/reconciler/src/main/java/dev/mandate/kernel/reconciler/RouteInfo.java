package dev.mandate.kernel.reconciler;

import java.time.Instant;

/**
 * One route of the reconciler's Camel context, as {@code mandate:routes} shows it.
 *
 * @param id              the route id: {@code connector-<id>}, {@code connector-<id>-changes}, {@code drift}
 * @param state           Camel's route status ({@code Started}, {@code Stopped} …)
 * @param description     what the route does, one line
 * @param lastRun         when its work last ended, or {@code null} before the first
 * @param lastError       one line on why its latest work failed, or {@code null} when it succeeded
 * @param exchangesTotal  exchanges completed or failed since the route started (from Camel's management)
 * @param exchangesFailed exchanges that failed since the route started
 * @since 1.1
 */
public record RouteInfo(String id, String state, String description, Instant lastRun, String lastError,
        long exchangesTotal, long exchangesFailed) {
}
