package dev.mandate.kernel.intent;

import java.util.List;

/**
 * A source of intent documents whose last load was rejected; it is retried whenever something
 * else changes (a team appears, a conflict goes away, a constraint function is registered).
 *
 * @param source   {@code bundle:<symbolic-name>} or {@code file:<path>}
 * @param problems every problem found, located in its file
 * @since 1.1
 */
public record Rejection(String source, List<Problem> problems) {

    public Rejection {
        problems = problems == null ? List.of() : List.copyOf(problems);
    }
}
