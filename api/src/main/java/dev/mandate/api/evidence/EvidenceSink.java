package dev.mandate.api.evidence;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Somewhere the ledger is exported to (a file, an object store, a SIEM). The kernel hands each
 * sink the records in order and retries from the first one not acknowledged.
 */
@ConsumerType
public interface EvidenceSink {

    /** A stable name, used to remember how far the sink has got. */
    String name();

    /**
     * Exports {@code records} (in order, contiguous). Returns normally only when all are stored;
     * may block on I/O; is never called from a framework thread.
     *
     * @throws Exception when the sink is unavailable; the same records are offered again later
     */
    void export(List<EvidenceRecord> records) throws Exception;
}
