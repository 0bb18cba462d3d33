package dev.mandate.api.connector;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Optional capability of a {@link StateConnector} that can report only what changed since a cursor.
 */
@ConsumerType
public interface IncrementalStateConnector extends StateConnector {

    /**
     * Reports what changed since {@code cursor} ({@code null}: since the last full collection).
     *
     * @return the cursor to pass next time
     * @throws Exception when the changes could not be read completely
     */
    String collectChanges(String cursor, ObservationSink sink) throws Exception;
}
