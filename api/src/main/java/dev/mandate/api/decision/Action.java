package dev.mandate.api.decision;

import java.util.Locale;

/**
 * What an actor wants to do to a target. {@link #toString()} is the wire name ({@code access-grant}).
 */
public enum Action {
    CREATE("create"),
    UPDATE("update"),
    DELETE("delete"),
    REPLACE("replace"),
    ACCESS_GRANT("access-grant"),
    ACCESS_REVOKE("access-revoke"),
    SCALE("scale"),
    RESTART("restart"),
    READ("read");

    private final String wireName;

    Action(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in requests, blueprints and CEL ({@code request.action}). */
    public String wireName() {
        return wireName;
    }

    @Override
    public String toString() {
        return wireName;
    }

    /**
     * Parses a wire name (case-insensitive; {@code _} accepted for {@code -}).
     *
     * @throws IllegalArgumentException naming the unknown action and the known ones
     */
    public static Action parse(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("action is missing");
        }
        String normalized = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (Action action : values()) {
            if (action.wireName.equals(normalized)) {
                return action;
            }
        }
        StringBuilder known = new StringBuilder();
        for (Action action : values()) {
            known.append(known.length() == 0 ? "" : ", ").append(action.wireName);
        }
        throw new IllegalArgumentException("unknown action '" + name + "' (known: " + known + ")");
    }
}
