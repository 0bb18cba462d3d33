package dev.mandate.kernel.intent.internal;

import java.util.List;

/**
 * How components of this bundle that find intent sources themselves (the deploy folder installer)
 * hand them to the intent service. A service private to this bundle: its package is not exported.
 */
public interface IntentSources {

    /**
     * Withdraws the sources with these keys, then loads these sources together (in whatever order
     * lets them load, as a folder scan does). Runs on the intent service's loading thread, after
     * everything handed over before; returns at once.
     */
    void apply(List<String> withdrawn, List<IntentSource> loaded);
}
