package dev.mandate.kernel.ledger.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.mandate.api.evidence.EvidenceLedger;
import dev.mandate.api.evidence.EvidenceRecord;
import dev.mandate.api.evidence.VerificationResult;

/**
 * Forwards the required methods to a ledger and leaves {@code query} and {@code count} to the api's
 * defaults (a test overrides them to observe or compare).
 */
public class ForwardingLedger implements EvidenceLedger {
    protected final EvidenceLedger ledger;

    public ForwardingLedger(EvidenceLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    public EvidenceRecord append(String type, long modelRevision, Map<String, Object> payload) {
        return ledger.append(type, modelRevision, payload);
    }

    @Override
    public List<EvidenceRecord> read(long from, int limit) {
        return ledger.read(from, limit);
    }

    @Override
    public Optional<EvidenceRecord> head() {
        return ledger.head();
    }

    @Override
    public VerificationResult verify() {
        return ledger.verify();
    }
}
