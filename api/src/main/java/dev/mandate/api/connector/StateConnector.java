package dev.mandate.api.connector;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Feeds the canonical model with what exists in one environment (an AWS account, an Azure
 * subscription, a NetBox, a directory, a vCenter, a folder of inventory files).
 *
 * <p>Register it as an OSGi service; the kernel finds it, runs {@link #collect} on its own threads
 * on the connector's schedule, and stops when the service goes. Its elements stay in the model.
 */
@ConsumerType
public interface StateConnector {

    /** A stable id, unique among connectors; recorded as the source of what it observes. */
    String id();

    /** What it observes. */
    Domain domain();

    /** Its health now; must return quickly. */
    ConnectorStatus status();

    /**
     * Observes everything this connector covers and reports it to {@code sink}: a full snapshot.
     * May block on I/O (it runs on a kernel thread); must give up when the thread is interrupted.
     *
     * @throws Exception when the collection is incomplete; the kernel then keeps what it had
     */
    void collect(ObservationSink sink) throws Exception;
}
