package dev.mandate.api.evidence;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The append-only, SHA-256 chained evidence ledger (IOM §9, §10 "after"). Thread-safe.
 */
@ProviderType
public interface EvidenceLedger {

    /**
     * Appends a record and returns it once it is durable. Blocks for the write.
     *
     * @throws EvidenceUnavailableException when it cannot be made durable; nothing was appended
     */
    EvidenceRecord append(String type, long modelRevision, Map<String, Object> payload);

    /** Up to {@code limit} records from sequence {@code from} on, in order. */
    List<EvidenceRecord> read(long from, int limit);

    /** The newest record, if any. */
    Optional<EvidenceRecord> head();

    /** Recomputes every hash and link of the stored chain. */
    VerificationResult verify();
}
