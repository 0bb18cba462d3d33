package dev.mandate.kernel.conformance;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Assesses this running instance against IOM Appendix A and the Appendix B maturity model from
 * live facts (model, intent, reconciliation, drift, evidence). Thread-safe; reads the ledger and
 * the model, so it may take a moment on a large estate: not for framework threads.
 */
@ProviderType
public interface ConformanceService {

    /** The assessment now. */
    Assessment assess();
}
