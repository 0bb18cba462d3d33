package dev.mandate.api.evidence;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One entry of the hash-chained evidence ledger.
 *
 * @param sequence      position in the chain, from 1
 * @param type          {@code decision}, {@code blueprint.loaded}, {@code connector.run} …
 * @param timestamp     when it was appended
 * @param modelRevision the model revision in force
 * @param payload       what happened, as a JSON-like tree
 * @param previousHash  {@code sha256:<hex>} of the previous record ({@code sha256:000…} for the first)
 * @param hash          {@code sha256:<hex>} over the canonical JSON of this record without {@code hash}
 */
public record EvidenceRecord(long sequence, String type, Instant timestamp, long modelRevision,
        Map<String, Object> payload, String previousHash, String hash) {

    public EvidenceRecord {
        payload = payload == null || payload.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(payload));
    }
}
