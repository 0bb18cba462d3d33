package dev.mandate.kernel.reconciler;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The routes of the platform's Camel context: one scheduled route per state connector, one change
 * route per incremental connector and the drift route. Thread-safe; never blocks.
 *
 * @since 1.1
 */
@ProviderType
public interface ReconcilerRoutes {

    /** Every route, sorted by id. */
    List<RouteInfo> routes();

    /** Whether the Camel context has started (it starts in the background after activation). */
    boolean started();
}
