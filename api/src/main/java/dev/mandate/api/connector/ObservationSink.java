package dev.mandate.api.connector;

import dev.mandate.api.model.Element;
import dev.mandate.api.model.Relation;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Where a connector puts what it observes during one collection. The kernel applies the whole
 * collection as one change set once {@link StateConnector#collect} returns normally; a collection
 * that throws is discarded and nothing it saw before is removed.
 */
@ProviderType
public interface ObservationSink {

    /** An element as observed now. */
    void element(Element element);

    /** A relation as observed now. */
    void relation(Relation relation);

    /** An element the source confirms is gone (for incremental collections). */
    void absent(String elementId);
}
