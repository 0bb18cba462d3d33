package dev.mandate.api.model;

/**
 * A model revision that cannot be answered: never committed, or older than the history the store
 * keeps.
 *
 * @since 1.1
 */
public class UnknownRevisionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long revision;

    public UnknownRevisionException(long revision) {
        super("unknown model revision " + revision);
        this.revision = revision;
    }

    /** The revision that was asked for. */
    public long revision() {
        return revision;
    }
}
