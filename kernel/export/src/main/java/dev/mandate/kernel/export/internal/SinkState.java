package dev.mandate.kernel.export.internal;

import java.time.Instant;

/**
 * How far one sink has got: its last acknowledged sequence, its last failure (if the most recent
 * round failed) and when it last succeeded.
 */
record SinkState(String sink, long acknowledged, String lastError, Instant lastSuccess) {
}
