package dev.mandate.kernel.export.internal;

import dev.mandate.api.evidence.EvidenceRecord;
import dev.mandate.kernel.ledger.verify.ChainRecord;
import dev.mandate.kernel.ledger.verify.Jcs;

/** Ledger records in the exported JSON Lines form that {@code mandate-evidence.jar verify} reads. */
final class EvidenceLines {
    private EvidenceLines() {
    }

    /** The record as the chain hashes it. */
    static ChainRecord chained(EvidenceRecord record) {
        return new ChainRecord(record.sequence(), record.type(), ChainRecord.timestamp(record.timestamp()),
                record.modelRevision(), Jcs.write(record.payload()), record.previousHash(), record.hash());
    }

    /** One line of JSON, without the line break. */
    static String line(EvidenceRecord record) {
        return chained(record).toJsonLine();
    }
}
