package dev.mandate.api.intent;

/** The CEL types a {@link ConstraintFunction} can take and return. */
public enum ValueType {
    STRING, INT, DOUBLE, BOOL, LIST, MAP, DYN
}
