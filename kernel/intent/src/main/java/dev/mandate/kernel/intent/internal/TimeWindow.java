package dev.mandate.kernel.intent.internal;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Set;

/**
 * When a freeze window is open: an absolute interval ({@code from} inclusive, {@code to} exclusive)
 * or a weekly recurrence (days of the week, a start and end time of day in a time zone; an end
 * before the start runs over midnight into the next day). Immutable.
 */
sealed interface TimeWindow {

    boolean open(Instant at);

    String describe();

    /** An interval between two instants. */
    record Absolute(Instant from, Instant to) implements TimeWindow {
        @Override
        public boolean open(Instant at) {
            return !at.isBefore(from) && at.isBefore(to);
        }

        @Override
        public String describe() {
            return "from " + from + " to " + to;
        }
    }

    /** Every week, on the given days, between two times of day in a zone. */
    record Weekly(Set<DayOfWeek> days, LocalTime from, LocalTime to, ZoneId zone) implements TimeWindow {
        @Override
        public boolean open(Instant at) {
            ZonedDateTime local = at.atZone(zone);
            LocalTime time = local.toLocalTime();
            DayOfWeek day = local.getDayOfWeek();
            if (from.isBefore(to)) {
                return days.contains(day) && !time.isBefore(from) && time.isBefore(to);
            }
            // over midnight: the evening of a listed day, or the early hours of the day after
            return days.contains(day) && !time.isBefore(from) || days.contains(day.minus(1)) && time.isBefore(to);
        }

        @Override
        public String describe() {
            return "every " + days.stream().sorted().map(d -> d.name().substring(0, 3).toLowerCase(java.util.Locale.ROOT))
                    .reduce((a, b) -> a + ", " + b).orElse("") + " from " + from + " to " + to + " " + zone;
        }
    }
}
