package dev.mandate.api.decision;

/** The request names a target that the model does not hold (and the action is not a create). */
public class UnknownTargetException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String target;

    public UnknownTargetException(String target) {
        super("no element '" + target + "' in the model");
        this.target = target;
    }

    /** The id that was asked for. */
    public String target() {
        return target;
    }
}
