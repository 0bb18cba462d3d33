package dev.mandate.api.evidence;

/** The ledger cannot make a record durable; whatever depended on it must fail closed. */
public class EvidenceUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EvidenceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
