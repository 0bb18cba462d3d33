package dev.mandate.kernel.export.format;

import dev.mandate.api.evidence.EvidenceRecord;
import dev.mandate.kernel.ledger.verify.ChainRecord;
import dev.mandate.kernel.ledger.verify.Jcs;

/** Ledger records in the exported JSON Lines form that {@code mandate-evidence.jar verify} reads. */
public final class JsonLines {
    /** The media type of JSON Lines. */
    public static final String MEDIA_TYPE = "application/jsonl";

    private JsonLines() {
    }

    /** The record as the chain hashes it. */
    public static ChainRecord chained(EvidenceRecord record) {
        return new ChainRecord(record.sequence(), record.type(), ChainRecord.timestamp(record.timestamp()),
                record.modelRevision(), Jcs.write(record.payload()), record.previousHash(), record.hash());
    }

    /** One line of JSON, without the line break. */
    public static String line(EvidenceRecord record) {
        return chained(record).toJsonLine();
    }
}
