package dev.mandate.api.evidence;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

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

    /**
     * Appends a record without waiting for the write. The returned stage completes with the record
     * once it is durable (the same moment {@link #append} would return), or exceptionally with
     * {@link EvidenceUnavailableException} when it cannot be made durable (then nothing of it was
     * appended). Acknowledge what the record records only once the stage has completed normally.
     * Records appended by one thread, through either method, are chained in the order of the calls.
     *
     * <p>One caller can keep many records in flight this way; they share group commits without a
     * thread waiting per record. Actions chained to the stage without an executor may run on the
     * ledger's writing thread: keep them short, or pass an executor.
     *
     * <p>This default appends synchronously and returns a completed stage; an implementation with
     * group commit returns before the write.
     *
     * @throws IllegalArgumentException when the type is missing or the payload is no JSON (at once, not through the stage)
     * @since 1.3.0
     */
    default CompletionStage<EvidenceRecord> appendAsync(String type, long modelRevision, Map<String, Object> payload) {
        try {
            return CompletableFuture.completedFuture(append(type, modelRevision, payload));
        } catch (EvidenceUnavailableException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Up to {@code limit} records from sequence {@code from} on, in order. */
    List<EvidenceRecord> read(long from, int limit);

    /** The newest record, if any. */
    Optional<EvidenceRecord> head();

    /**
     * The records that meet {@code query}, in sequence order, from after {@code query.after()} on,
     * at most {@code query.limit()} of them. This default reads the chain page by page; an
     * implementation may narrow the read in its store.
     *
     * @since 1.1.0
     */
    default List<EvidenceRecord> query(EvidenceQuery query) {
        List<EvidenceRecord> found = new java.util.ArrayList<>();
        long from = query.after() + 1;
        while (found.size() < query.limit()) {
            List<EvidenceRecord> page = read(from, 1000);
            if (page.isEmpty()) {
                break;
            }
            for (EvidenceRecord record : page) {
                if (query.matches(record) && found.size() < query.limit()) {
                    found.add(record);
                }
            }
            from = page.get(page.size() - 1).sequence() + 1;
        }
        return found;
    }

    /**
     * How many records meet {@code query}, from after {@code query.after()} on; its {@code limit}
     * does not apply. This default reads the chain page by page through {@link #query(EvidenceQuery)},
     * holding one page at a time; an implementation may count in its store.
     *
     * @since 1.2.0
     */
    default long count(EvidenceQuery query) {
        long count = 0;
        long after = query.after();
        while (true) {
            List<EvidenceRecord> page = query(new EvidenceQuery(query.from(), query.to(), query.type(), query.element(),
                    query.actor(), query.team(), query.blueprint(), query.outcome(), after, 1000));
            count += page.size();
            if (page.size() < 1000) {
                return count;
            }
            after = page.get(page.size() - 1).sequence();
        }
    }

    /** Recomputes every hash and link of the stored chain. */
    VerificationResult verify();
}
