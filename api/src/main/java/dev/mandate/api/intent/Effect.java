package dev.mandate.api.intent;

import java.util.Locale;

/** What a matching constraint does. {@link #toString()} is the wire name ({@code require-approval}). */
public enum Effect {
    ALLOW("allow"),
    DENY("deny"),
    REQUIRE_APPROVAL("require-approval");

    private final String wireName;

    Effect(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String toString() {
        return wireName;
    }

    /**
     * Parses a wire name (case-insensitive; {@code _} accepted for {@code -}).
     *
     * @throws IllegalArgumentException naming the unknown effect
     */
    public static Effect parse(String name) {
        String normalized = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (Effect effect : values()) {
            if (effect.wireName.equals(normalized)) {
                return effect;
            }
        }
        throw new IllegalArgumentException("unknown effect '" + name + "' (known: allow, deny, require-approval)");
    }
}
