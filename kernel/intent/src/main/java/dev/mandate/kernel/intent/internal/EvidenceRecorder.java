package dev.mandate.kernel.intent.internal;

import java.util.Map;

/** Where the registry reports what changed in force; the component sends it to the evidence ledger. */
@FunctionalInterface
public interface EvidenceRecorder {

    /** Records one change; may block for the write. */
    void record(String type, Map<String, Object> payload);
}
