package dev.mandate.kernel.intent.internal;

import java.util.Locale;

/** How a rule's match counts: {@code enforce} changes the outcome, {@code warn} tells the actor, {@code audit} records only. */
enum Mode {
    AUDIT, WARN, ENFORCE;

    static Mode parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "audit" -> AUDIT;
            case "warn" -> WARN;
            case "enforce" -> ENFORCE;
            default -> throw new IllegalArgumentException("unknown enforcement mode '" + text
                    + "' (known: audit, warn, enforce)");
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
